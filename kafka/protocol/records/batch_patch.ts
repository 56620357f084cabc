/**
 * In-place changes a broker makes to a v2 batch it appends, without re-encoding the records
 * (Kafka's DefaultRecordBatch setters): the base offset and partition leader epoch sit before
 * the CRC'd range and cost nothing; the max timestamp and timestamp-type bit sit inside it, so
 * changing them recomputes the CRC-32C over the batch once.
 *
 * @module
 */

import { TIMESTAMP_TYPE_MASK, type TimestampType } from "./attributes.ts";
import { BatchField } from "./batch_header.ts";
import { crc32c } from "./crc32c.ts";
import { getInt64, setInt64, viewOf } from "./_int64.ts";

/**
 * Sets the batch's base offset (`batch` is exactly one v2 batch). The CRC does not cover it.
 *
 * @example
 * ```ts
 * import { buildRecordBatch } from "./batch_builder.ts";
 * import { setBaseOffset } from "./batch_patch.ts";
 * const b = buildRecordBatch({ records: [{ timestamp: 1, key: null, value: null }] });
 * setBaseOffset(b, 42);
 * console.log(new DataView(b.buffer).getInt32(4)); // 42
 * ```
 */
export function setBaseOffset(batch: Uint8Array, baseOffset: number): void {
  setInt64(viewOf(batch), BatchField.BASE_OFFSET, baseOffset);
}

/** Sets the base offset so that the batch's last offset is `lastOffset` (Kafka's setLastOffset). */
export function setLastOffset(batch: Uint8Array, lastOffset: number): void {
  const view = viewOf(batch);
  setInt64(view, BatchField.BASE_OFFSET, lastOffset - view.getInt32(BatchField.LAST_OFFSET_DELTA));
}

/** Sets the partition leader epoch. The CRC does not cover it. */
export function setPartitionLeaderEpoch(batch: Uint8Array, epoch: number): void {
  viewOf(batch).setInt32(BatchField.PARTITION_LEADER_EPOCH, epoch);
}

/**
 * Sets the timestamp type and max timestamp, recomputing the CRC — or does nothing when both
 * already hold those values, as Apache skips the rewrite. Returns whether the batch changed.
 */
export function setMaxTimestamp(
  batch: Uint8Array,
  type: TimestampType,
  maxTimestamp: number,
): boolean {
  const view = viewOf(batch);
  const attributes = view.getInt16(BatchField.ATTRIBUTES);
  const isLogAppend = (attributes & TIMESTAMP_TYPE_MASK) !== 0;
  if (
    isLogAppend === (type === "LogAppendTime") &&
    getInt64(view, BatchField.MAX_TIMESTAMP) === maxTimestamp
  ) {
    return false;
  }
  const next = type === "LogAppendTime"
    ? attributes | TIMESTAMP_TYPE_MASK
    : attributes & ~TIMESTAMP_TYPE_MASK;
  view.setInt16(BatchField.ATTRIBUTES, next);
  setInt64(view, BatchField.MAX_TIMESTAMP, maxTimestamp);
  view.setUint32(BatchField.CRC, crc32c(batch, BatchField.ATTRIBUTES));
  return true;
}
