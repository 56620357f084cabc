/**
 * One v2 record batch as bytes: its header, its CRC check, and its records (decompressed on
 * demand). The view never copies the batch; `records()` hands out subarrays of the (possibly
 * decompressed) section.
 *
 * @module
 */

import { compressionOf, timestampTypeOf } from "./attributes.ts";
import {
  BATCH_HEADER_SIZE,
  BatchField,
  CRC_START,
  LOG_OVERHEAD,
  readBatchHeader,
  type RecordBatchHeader,
} from "./batch_header.ts";
import { decompress } from "./compression.ts";
import { crc32c } from "./crc32c.ts";
import { corruptMessage, invalidRecord } from "./errors.ts";
import { type Record, RecordCursor } from "./record.ts";
import { viewOf } from "./_int64.ts";

/**
 * A view over exactly one magic-2 batch.
 *
 * @example
 * ```ts
 * import { buildRecordBatch } from "./batch_builder.ts";
 * import { RecordBatch } from "./record_batch.ts";
 * const bytes = buildRecordBatch({
 *   baseOffset: 10,
 *   records: [{ timestamp: 7, key: null, value: new TextEncoder().encode("v") }],
 * });
 * const batch = new RecordBatch(bytes);
 * console.log(batch.isValid(), batch.records()[0].offset); // true 10
 * ```
 */
export class RecordBatch {
  readonly header: RecordBatchHeader;

  /** `bytes` must hold the whole batch (12 + batchLength bytes) and at least its header. */
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < BATCH_HEADER_SIZE) {
      throw invalidRecord(
        `Record batch is corrupt (the size of the batch ${bytes.length} is smaller than the minimum allowed overhead ${BATCH_HEADER_SIZE})`,
      );
    }
    this.header = readBatchHeader(viewOf(bytes), 0);
  }

  /** Total size in bytes. */
  get sizeInBytes(): number {
    return LOG_OVERHEAD + this.header.batchLength;
  }

  /** The CRC-32C computed over attributes..end. */
  computeChecksum(): number {
    return crc32c(this.bytes, CRC_START, this.sizeInBytes);
  }

  /** Size at least the header's and the stored CRC matches (Kafka's `isValid`). */
  isValid(): boolean {
    return this.sizeInBytes >= BATCH_HEADER_SIZE && this.sizeInBytes <= this.bytes.length &&
      this.header.crc === this.computeChecksum();
  }

  /** Throws CORRUPT_MESSAGE (2) when the CRC does not match, as Apache does on append. */
  ensureValid(): void {
    if (!this.isValid()) {
      throw corruptMessage(
        `Record is corrupt (stored crc = ${this.header.crc}, computed crc = ${this.computeChecksum()})`,
      );
    }
  }

  /** The codec id (attribute bits 0-2). */
  get compression(): number {
    return compressionOf(this.header.attributes);
  }

  /** The records section, decompressed if the batch is compressed. */
  recordsSection(): Uint8Array {
    const section = this.bytes.subarray(BATCH_HEADER_SIZE, this.sizeInBytes);
    return decompress(this.compression, section);
  }

  /** A cursor over the records (decompresses first if needed). */
  cursor(): RecordCursor {
    const section = this.recordsSection();
    const count = this.header.recordsCount;
    if (count < 0) throw invalidRecord(`Found invalid record count ${count}`);
    return new RecordCursor(section, 0, section.length, count);
  }

  /** Every record with absolute offsets and timestamps (LogAppendTime batches: maxTimestamp). */
  records(): Record[] {
    const h = this.header;
    const logAppend = timestampTypeOf(h.attributes) === "LogAppendTime";
    const c = this.cursor();
    const out: Record[] = [];
    while (c.next()) {
      out.push({
        offset: h.baseOffset + c.offsetDelta,
        timestamp: logAppend ? h.maxTimestamp : h.baseTimestamp + c.timestampDelta,
        key: c.key(),
        value: c.value(),
        headers: c.headers(),
      });
    }
    return out;
  }
}

/** The magic byte of the entry at `pos` (v2 batch or legacy message: both at byte 16). */
export function magicAt(bytes: Uint8Array, pos: number): number {
  return (bytes[pos + BatchField.MAGIC] << 24) >> 24;
}
