/**
 * OffsetForLeaderEpoch (key 23), v0–v4: the end offset of a leader epoch (the start of the next
 * epoch, or the log end offset for the latest), which a consumer (v3+, replica_id -1) asks to
 * detect log truncation after a leader change (KIP-320). v2+ checks current_leader_epoch.
 *
 * @module
 */
import type {
  EpochEndOffset,
  OffsetForLeaderEpochRequest,
  OffsetForLeaderEpochResponse,
} from "../protocol/messages/offset_for_leader_epoch.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { ReplicaManager } from "../server/replica_manager.ts";
import { leaderEpochError } from "./_leader_epoch.ts";
import type { Handler } from "./handler.ts";

/**
 * The OffsetForLeaderEpoch handler over `replicas`.
 *
 * @example
 * ```ts ignore
 * registry.register(23, offsetForLeaderEpochHandler(replicaManager));
 * ```
 */
export function offsetForLeaderEpochHandler(
  replicas: ReplicaManager,
): Handler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse> {
  return (request) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p): EpochEndOffset => {
        const error = (errorCode: number): EpochEndOffset => ({
          errorCode,
          partition: p.partition,
          leaderEpoch: -1,
          endOffset: -1,
        });
        const led = replicas.partition(t.topic, p.partition);
        if ("errorCode" in led) return error(led.errorCode);
        const fenced = leaderEpochError(p.currentLeaderEpoch, led.state.leaderEpoch);
        if (fenced !== ErrorCode.NONE) return error(fenced);
        const end = led.log.endOffsetForEpoch(p.leaderEpoch);
        return {
          errorCode: ErrorCode.NONE,
          partition: p.partition,
          leaderEpoch: end.epoch,
          endOffset: end.endOffset,
        };
      }),
    })),
  });
}
