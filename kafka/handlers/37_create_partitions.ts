/**
 * CreatePartitions (key 37), v0–v3, as Apache Kafka 2.8.2's broker answers it in ZooKeeper mode:
 * the topic znode rewritten with the new partitions (placed as AdminZkClient places them, or as
 * assigned), the answer held until the controller has given them leaders or timeout_ms passes.
 * A topic named twice gets one INVALID_REQUEST "Duplicate topic in request."; the other checks
 * and messages are ZkAdminManager's (topic_admin.ts).
 *
 * @module
 */
import type {
  CreatePartitionsRequest,
  CreatePartitionsResponse,
} from "../protocol/messages/create_partitions.ts";
import type { TopicAdmin } from "../controller/topic_admin.ts";
import type { Handler } from "./handler.ts";

/**
 * The CreatePartitions handler over the broker's topic administration.
 *
 * @example
 * ```ts ignore
 * registry.register(37, createPartitionsHandler(topicAdmin));
 * ```
 */
export function createPartitionsHandler(
  admin: TopicAdmin,
): Handler<CreatePartitionsRequest, CreatePartitionsResponse> {
  return async (request) => {
    const results = await admin.createPartitions(request.topics, {
      timeoutMs: request.timeoutMs,
      validateOnly: request.validateOnly,
    });
    return {
      throttleTimeMs: 0,
      results: results.map((r) => ({
        name: r.name,
        errorCode: r.result.code,
        errorMessage: r.result.message,
      })),
    };
  };
}
