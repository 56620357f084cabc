/**
 * DeleteTopics (key 20), v0–v6, as Apache Kafka 2.8.2's broker answers it in ZooKeeper mode:
 * each known topic is marked in `/admin/delete_topics`, and the answer waits until the controller
 * has deleted them (or timeout_ms: REQUEST_TIMED_OUT). Unknown names get
 * UNKNOWN_TOPIC_OR_PARTITION, unknown ids (v6) UNKNOWN_TOPIC_ID, an entry with both a name and an
 * id INVALID_REQUEST, all without a message; with delete.topic.enable=false every topic gets
 * TOPIC_DELETION_DISABLED.
 *
 * @module
 */
import type {
  DeleteTopicsRequest,
  DeleteTopicsResponse,
} from "../protocol/messages/delete_topics.ts";
import { ZERO_UUID } from "../protocol/uuid.ts";
import type { TopicAdmin } from "../controller/topic_admin.ts";
import type { Handler } from "./handler.ts";

/**
 * The DeleteTopics handler over the broker's topic administration.
 *
 * @example
 * ```ts ignore
 * registry.register(20, deleteTopicsHandler(topicAdmin));
 * ```
 */
export function deleteTopicsHandler(
  admin: TopicAdmin,
): Handler<DeleteTopicsRequest, DeleteTopicsResponse> {
  return async (request, ctx) => {
    const specs = ctx.apiVersion >= 6
      ? (request.topics ?? []).map((t) => ({ name: t.name, topicId: t.topicId }))
      : (request.topicNames ?? []).map((name) => ({ name, topicId: ZERO_UUID }));
    const outcomes = await admin.deleteTopics(specs, request.timeoutMs, ctx.apiVersion);
    return {
      throttleTimeMs: 0,
      responses: outcomes.map((o) => ({
        name: o.name,
        topicId: o.topicId,
        errorCode: o.result.code,
        errorMessage: o.result.message,
      })),
    };
  };
}
