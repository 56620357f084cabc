/**
 * DeleteRecords (key 21), v0–v2: raises each partition's log start offset to the offset asked
 * (-1: the high watermark), deleting the segments wholly below it, and answers the new low
 * watermark. An offset past the high watermark is OFFSET_OUT_OF_RANGE, as Apache answers.
 *
 * @module
 */
import type {
  DeleteRecordsPartitionResult,
  DeleteRecordsRequest,
  DeleteRecordsResponse,
  DeleteRecordsTopicResult,
} from "../protocol/messages/delete_records.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { ReplicaManager } from "../server/replica_manager.ts";
import type { Handler } from "./handler.ts";

/**
 * The DeleteRecords handler over `replicas`.
 *
 * @example
 * ```ts ignore
 * registry.register(21, deleteRecordsHandler(replicaManager));
 * ```
 */
export function deleteRecordsHandler(
  replicas: ReplicaManager,
): Handler<DeleteRecordsRequest, DeleteRecordsResponse> {
  return async (request) => {
    const topics: DeleteRecordsTopicResult[] = [];
    for (const t of request.topics) {
      const partitions: DeleteRecordsPartitionResult[] = [];
      for (const p of t.partitions) {
        const result = (errorCode: number, lowWatermark = -1) => ({
          partitionIndex: p.partitionIndex,
          errorCode,
          lowWatermark,
        });
        const led = replicas.partition(t.name, p.partitionIndex);
        if ("errorCode" in led) {
          partitions.push(result(led.errorCode));
          continue;
        }
        const hw = led.log.highWatermark;
        const to = p.offset === -1 ? hw : p.offset;
        if (to < 0 || to > hw) {
          partitions.push(result(ErrorCode.OFFSET_OUT_OF_RANGE));
          continue;
        }
        partitions.push(result(ErrorCode.NONE, await led.log.deleteRecordsBefore(to)));
      }
      topics.push({ name: t.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  };
}
