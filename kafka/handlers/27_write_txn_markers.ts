/**
 * WriteTxnMarkers (key 27), v0–v1: what a transaction coordinator sends partition leaders. herd's
 * own coordinator writes its markers directly (the same {@link WriteTxnMarker} function), but a
 * tool or test may send the request, and it is answered as Kafka 2.8.2 does: each partition's
 * marker appended with the coordinator's epoch, one error code per partition.
 *
 * @module
 */
import type {
  WriteTxnMarkersRequest,
  WriteTxnMarkersResponse,
} from "../protocol/messages/write_txn_markers.ts";
import type { Handler } from "./handler.ts";

/** Appends one marker to one partition; resolves with its error code. */
export type WriteTxnMarker = (m: {
  topic: string;
  partition: number;
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  commit: boolean;
}) => Promise<number>;

/**
 * The WriteTxnMarkers handler over a marker writer.
 *
 * @example
 * ```ts ignore
 * registry.register(27, writeTxnMarkersHandler(writeMarker));
 * ```
 */
export function writeTxnMarkersHandler(
  write: WriteTxnMarker,
): Handler<WriteTxnMarkersRequest, WriteTxnMarkersResponse> {
  return async (req) => ({
    markers: await Promise.all(req.markers.map(async (m) => ({
      producerId: m.producerId,
      topics: await Promise.all(m.topics.map(async (t) => ({
        name: t.name,
        partitions: await Promise.all(t.partitionIndexes.map(async (partition) => ({
          partitionIndex: partition,
          errorCode: await write({
            topic: t.name,
            partition,
            producerId: m.producerId,
            producerEpoch: m.producerEpoch,
            coordinatorEpoch: m.coordinatorEpoch,
            commit: m.transactionResult,
          }),
        }))),
      }))),
    }))),
  });
}
