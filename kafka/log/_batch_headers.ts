/**
 * The few fixed-position fields of a batch header that the log layer needs to find batch
 * boundaries and build indexes, read without decoding records: the log overhead every magic
 * shares (offset int64, length int32) and the magic byte at 16, then for v2 the last offset delta
 * (int32 at 23) and max timestamp (int64 at 35), for v1 the message timestamp (int64 at 18).
 *
 * The field positions and minimum sizes are the records codec's (kafka/protocol/records), and
 * integrity (CRC) is its check (log_loader.ts's codecBatchValidator). What stays here is what the
 * codec does not offer: a header read that never throws and says in words why bytes are not a
 * batch, which recovery needs to scan damaged segments and report where and why.
 *
 * @module
 */

import { BATCH_HEADER_SIZE, BatchField, LOG_OVERHEAD } from "../protocol/records/batch_header.ts";
import { RECORD_OVERHEAD_V0, RECORD_OVERHEAD_V1 } from "../protocol/records/legacy.ts";

export { LOG_OVERHEAD };
/** Offset, length, leader epoch or CRC (4), magic: what must be there to know the format. */
export const HEADER_SIZE_UP_TO_MAGIC = BatchField.MAGIC + 1;
/** A v2 batch's header size (RecordBatch's RECORD_BATCH_OVERHEAD). */
export const V2_HEADER_SIZE = BATCH_HEADER_SIZE;
/** The smallest length a message of each magic can have (LegacyRecord.RECORD_OVERHEAD_V0/V1). */
const MIN_LENGTH = [RECORD_OVERHEAD_V0, RECORD_OVERHEAD_V1, V2_HEADER_SIZE - LOG_OVERHEAD];

/** What the log layer reads from a batch header. */
export interface BatchHeader {
  /** Where the batch starts in the segment. */
  position: number;
  /** LOG_OVERHEAD + the length field. */
  size: number;
  magic: number;
  baseOffset: number;
  lastOffset: number;
  /** The largest timestamp (-1 for magic v0). */
  maxTimestamp: number;
  /** v2's partition leader epoch, -1 before v2. */
  partitionLeaderEpoch: number;
}

/**
 * The header at `position`, or a reason it is not one: too few bytes left for a header or for
 * the length it declares, a length below the minimum for its magic, an unknown magic, offsets
 * that do not fit. Says nothing about the CRC: that is the codec's check.
 */
export function readBatchHeader(
  bytes: Uint8Array,
  position: number,
  end = bytes.length,
): BatchHeader | string {
  if (position + HEADER_SIZE_UP_TO_MAGIC > end) {
    return `${end - position} bytes left, too few for a batch header`;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = v.getInt32(position + BatchField.LENGTH);
  const magic = v.getInt8(position + BatchField.MAGIC);
  if (magic < 0 || magic > 2) return `unknown magic ${magic}`;
  if (length < MIN_LENGTH[magic]) {
    return `batch length ${length} is below the ${
      MIN_LENGTH[magic]
    } bytes a magic v${magic} batch needs`;
  }
  const size = LOG_OVERHEAD + length;
  if (position + size > end) {
    return `batch length ${length} runs past the end (${end - position - LOG_OVERHEAD} bytes left)`;
  }
  const baseOffset = v.getBigInt64(position);
  if (baseOffset < 0n || baseOffset > BigInt(Number.MAX_SAFE_INTEGER)) {
    return `base offset ${baseOffset} is out of range`;
  }
  const base = Number(baseOffset);
  if (magic === 2) {
    const delta = v.getInt32(position + BatchField.LAST_OFFSET_DELTA);
    if (delta < 0) return `negative last offset delta ${delta}`;
    return {
      position,
      size,
      magic,
      baseOffset: base,
      lastOffset: base + delta,
      maxTimestamp: Number(v.getBigInt64(position + BatchField.MAX_TIMESTAMP)),
      partitionLeaderEpoch: v.getInt32(position + BatchField.PARTITION_LEADER_EPOCH),
    };
  }
  // A v0/v1 entry is one message (or a compressed wrapper whose offset is its last inner one).
  return {
    position,
    size,
    magic,
    baseOffset: base,
    lastOffset: base,
    maxTimestamp: magic === 1 ? Number(v.getBigInt64(position + 18)) : -1,
    partitionLeaderEpoch: -1,
  };
}
