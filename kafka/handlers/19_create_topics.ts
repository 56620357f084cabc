/**
 * CreateTopics (key 19), v0–v7, as Apache Kafka 2.8.2's broker answers it in ZooKeeper mode:
 * topics checked and written by {@link TopicAdmin} (ZkAdminManager's checks and messages, the
 * `/config/topics` then `/brokers/topics` writes), the answer held until the controller has given
 * every new partition a leader or timeout_ms passes (REQUEST_TIMED_OUT). From v5 a created or
 * validated topic carries its partition count, replication factor and configs with their sources;
 * from v7 its topic id.
 *
 * @module
 */
import type {
  CreateTopicsRequest,
  CreateTopicsResponse,
} from "../protocol/messages/create_topics.ts";
import type { TopicAdmin } from "../controller/topic_admin.ts";
import type { Handler } from "./handler.ts";

/**
 * The CreateTopics handler over the broker's topic administration.
 *
 * @example
 * ```ts ignore
 * registry.register(19, createTopicsHandler(topicAdmin));
 * ```
 */
export function createTopicsHandler(
  admin: TopicAdmin,
): Handler<CreateTopicsRequest, CreateTopicsResponse> {
  return async (request, ctx) => {
    const outcomes = await admin.createTopics(request.topics, {
      timeoutMs: request.timeoutMs,
      validateOnly: request.validateOnly ?? false,
    }, ctx.apiVersion >= 5);
    return {
      throttleTimeMs: 0,
      topics: outcomes.map((o) => ({
        name: o.name,
        topicId: o.topicId,
        errorCode: o.result.code,
        errorMessage: o.result.message,
        numPartitions: o.numPartitions,
        replicationFactor: o.replicationFactor,
        configs: o.configs,
        topicConfigErrorCode: 0,
      })),
    };
  };
}
