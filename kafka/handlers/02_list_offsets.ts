/**
 * ListOffsets (key 2), v0–v6, as a single Apache Kafka 2.8.2 broker answers it: timestamp -1 is
 * the high watermark (read_uncommitted) or last stable offset (read_committed), -2 the log start
 * offset, any other the first offset whose timestamp is at least it, below that bound (-1/-1 when
 * there is none).
 * v0 answers a list of offsets (old_style_offsets) instead; v4+ carries the leader epoch and
 * checks current_leader_epoch; a partition asked twice is INVALID_REQUEST, as Apache answers.
 *
 * @module
 */
import type {
  ListOffsetsPartitionResponse,
  ListOffsetsRequest,
  ListOffsetsResponse,
  ListOffsetsTopicResponse,
} from "../protocol/messages/list_offsets.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { ReplicaManager } from "../server/replica_manager.ts";
import { leaderEpochError } from "./_leader_epoch.ts";
import type { Handler } from "./handler.ts";

/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

/**
 * The ListOffsets handler over `replicas`.
 *
 * @example
 * ```ts ignore
 * registry.register(2, listOffsetsHandler(replicaManager));
 * ```
 */
export function listOffsetsHandler(
  replicas: ReplicaManager,
): Handler<ListOffsetsRequest, ListOffsetsResponse> {
  return async (request, ctx) => {
    const v = ctx.apiVersion;
    const seen = new Set<string>();
    const dup = new Set<string>();
    for (const t of request.topics) {
      for (const p of t.partitions) {
        const k = `${t.name}\0${p.partitionIndex}`;
        if (seen.has(k)) dup.add(k);
        seen.add(k);
      }
    }
    const topics: ListOffsetsTopicResponse[] = [];
    for (const t of request.topics) {
      const partitions: ListOffsetsPartitionResponse[] = [];
      for (const p of t.partitions) {
        const error = (errorCode: number): ListOffsetsPartitionResponse =>
          v === 0
            ? { partitionIndex: p.partitionIndex, errorCode, oldStyleOffsets: [] }
            : { partitionIndex: p.partitionIndex, errorCode, timestamp: -1, offset: -1 };
        if (dup.has(`${t.name}\0${p.partitionIndex}`)) {
          partitions.push(error(ErrorCode.INVALID_REQUEST));
          continue;
        }
        const led = replicas.partition(t.name, p.partitionIndex);
        if ("errorCode" in led) {
          partitions.push(error(led.errorCode));
          continue;
        }
        const fenced = leaderEpochError(p.currentLeaderEpoch, led.state.leaderEpoch);
        if (fenced !== ErrorCode.NONE) {
          partitions.push(error(fenced));
          continue;
        }
        const log = led.log;
        // Kafka's lastFetchableOffset: read_committed consumers see up to the last stable offset.
        const bound = (request.isolationLevel ?? 0) === 1
          ? log.lastStableOffset ?? log.highWatermark
          : log.highWatermark;
        if (v === 0) {
          partitions.push({
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.NONE,
            oldStyleOffsets: oldStyleOffsets(p.timestamp, p.maxNumOffsets ?? 1, bound, log),
          });
          continue;
        }
        let found = await log.offsetForTimestamp(p.timestamp);
        // A record found by time but not yet fetchable is not answered (Kafka filters it).
        if (p.timestamp >= 0 && found !== undefined && found.offset >= bound) found = undefined;
        let offset = found?.offset ?? -1;
        if (p.timestamp === LATEST_TIMESTAMP) offset = bound;
        partitions.push({
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.NONE,
          timestamp: p.timestamp < 0 ? -1 : found?.timestamp ?? -1,
          offset,
          leaderEpoch: found?.leaderEpoch ?? -1,
        });
      }
      topics.push({ name: t.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  };
}

/**
 * v0's answer: Kafka lists segment base offsets before the timestamp; for the two special
 * timestamps that is one offset, which is what every v0 client asks for.
 */
function oldStyleOffsets(
  timestamp: number,
  max: number,
  latest: number,
  log: { logStartOffset: number },
): number[] {
  if (max <= 0) return [];
  if (timestamp === EARLIEST_TIMESTAMP) return [log.logStartOffset];
  if (timestamp === LATEST_TIMESTAMP) return [latest];
  return [log.logStartOffset];
}
