/**
 * Down-conversion for old consumers: Fetch v0-v1 read magic 0 and Fetch v2-v3 magic 1, so a
 * broker whose log holds v2 batches rewrites them on the way out (Kafka's RecordsUtil.downConvert):
 * control batches are dropped, each v2 batch becomes a magic 0/1 set in its own codec with the
 * same absolute offsets (uncompressed: one message per record; compressed: one wrapper per
 * batch), and an uncompressed batch loses the records before the fetch offset. Headers, producer
 * ids and sequences have no place in the old formats and are left out, as Apache leaves them.
 *
 * @module
 */

import { Compression, TIMESTAMP_TYPE_MASK } from "./attributes.ts";
import type { RecordInput } from "./batch_builder.ts";
import { scanEntries } from "./entries.ts";
import { RecordsError, RecordsErrorCode } from "./errors.ts";
import { buildLegacyMessageSet, legacyDeepMessages } from "./legacy.ts";
import { RecordBatch } from "./record_batch.ts";

/**
 * Rewrites `records` (a log slice of any magic) for a consumer that reads magic `toMagic`.
 * `firstOffset` is the fetch offset. zstd cannot be expressed below magic 2: Apache answers
 * UNSUPPORTED_COMPRESSION_TYPE (76) to such fetches, and this throws that.
 *
 * @example
 * ```ts
 * import { buildRecordBatch } from "./batch_builder.ts";
 * import { downConvert } from "./down_convert.ts";
 * import { legacyDeepMessages } from "./legacy.ts";
 * const v2 = buildRecordBatch({
 *   baseOffset: 40, records: [{ timestamp: 5, key: null, value: new Uint8Array([1]) }],
 * });
 * console.log(legacyDeepMessages(downConvert(v2, 1), 0)[0].offset); // 40
 * ```
 */
export function downConvert(records: Uint8Array, toMagic: 0 | 1, firstOffset = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const e of scanEntries(records).entries) {
    const bytes = records.subarray(e.position, e.position + e.sizeInBytes);
    if (e.magic <= toMagic) {
      parts.push(bytes);
      total += bytes.length;
      continue;
    }
    const set = e.magic === 2
      ? convertBatch(new RecordBatch(bytes), toMagic, firstOffset)
      : convertLegacy(bytes, toMagic);
    if (set === undefined) continue;
    parts.push(set);
    total += set.length;
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** A magic 1 entry for a magic 0 reader: same messages and codec, timestamps dropped. */
function convertLegacy(bytes: Uint8Array, toMagic: 0 | 1): Uint8Array {
  const messages = legacyDeepMessages(bytes, 0);
  const base = messages[0].offset;
  return buildLegacyMessageSet({
    magic: toMagic,
    compression: (bytes[17] & 7) as Compression,
    baseOffset: base,
    records: messages.map((m) => ({
      timestamp: m.timestamp,
      key: m.key,
      value: m.value,
      offsetDelta: m.offset - base,
    })),
  });
}

function convertBatch(
  batch: RecordBatch,
  toMagic: 0 | 1,
  firstOffset: number,
): Uint8Array | undefined {
  const h = batch.header;
  if (batch.header.attributes & 0x20) return undefined; // control batches have no old form
  const codec = batch.compression;
  if (codec === Compression.ZSTD) {
    throw new RecordsError(
      RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      "zstd-compressed records cannot be down-converted to a magic below 2",
    );
  }
  const logAppend = (h.attributes & TIMESTAMP_TYPE_MASK) !== 0;
  const kept = batch.records().filter((r) => codec !== Compression.NONE || r.offset >= firstOffset);
  if (kept.length === 0) return undefined;
  const base = kept[0].offset;
  const inputs: RecordInput[] = kept.map((r) => ({
    timestamp: r.timestamp,
    key: r.key,
    value: r.value,
    offsetDelta: r.offset - base,
  }));
  return buildLegacyMessageSet({
    magic: toMagic,
    compression: codec as Compression,
    records: inputs,
    baseOffset: base,
    timestampType: logAppend ? "LogAppendTime" : "CreateTime",
    logAppendTime: logAppend ? h.maxTimestamp : undefined,
  });
}
