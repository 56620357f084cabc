/**
 * Magic 0 and 1 message sets (Kafka before 0.11), for old clients and old log segments. Each
 * entry is `offset int64 | size int32 | message`, the message being
 *
 * ```
 * crc uint32 (CRC-32/IEEE of magic..end) | magic int8 | attributes int8 | [timestamp int64, v1]
 * | keyLength int32 | key | valueLength int32 | value
 * ```
 *
 * A compressed set is one wrapper message whose value is the compressed inner entries. In magic
 * 1 inner offsets are relative (0..n-1) and the wrapper carries the absolute offset of the last;
 * in magic 0 inner offsets are absolute, which is why a broker must rebuild a compressed v0 set
 * to assign offsets. In magic 1 a LogAppendTime wrapper's timestamp overrides the inner ones.
 *
 * @module
 */

import * as zlib from "node:zlib";
import {
  Compression,
  COMPRESSION_MASK,
  TIMESTAMP_TYPE_MASK,
  type TimestampType,
} from "./attributes.ts";
import type { RecordInput } from "./batch_builder.ts";
import { LOG_OVERHEAD, NO_TIMESTAMP } from "./batch_header.ts";
import { compress, decompress } from "./compression.ts";
import { corruptMessage } from "./errors.ts";
import { getInt64, setInt64, viewOf } from "./_int64.ts";

/** Bytes of a v0 message before its key bytes (crc, magic, attributes, key length, value length). */
export const RECORD_OVERHEAD_V0 = 14;
/** The same for v1 (adds the timestamp). */
export const RECORD_OVERHEAD_V1 = 22;

/** One decoded legacy message (a wrapper or a plain message). */
export interface LegacyMessage {
  /** The entry's offset field (for a v1 wrapper: the absolute offset of its last inner message). */
  offset: number;
  magic: 0 | 1;
  attributes: number;
  /** -1 in magic 0. */
  timestamp: number;
  timestampType: TimestampType | "NoTimestampType";
  crc: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** Entry size: 12 + the size field. */
  sizeInBytes: number;
}

function crcIeee(b: Uint8Array, start: number, end: number): number {
  return zlib.crc32(b.subarray(start, end)) >>> 0;
}

/**
 * Decodes the legacy entry at `pos` (bytes from `pos` to `pos + 12 + size` must be present).
 * Throws CORRUPT_MESSAGE for a message whose fields do not fit its size.
 */
export function readLegacyMessage(bytes: Uint8Array, pos: number): LegacyMessage {
  const view = viewOf(bytes);
  const size = view.getInt32(pos + 8);
  const end = pos + LOG_OVERHEAD + size;
  const magic = bytes[pos + 16];
  if (magic > 1) throw corruptMessage(`Invalid magic found in record: ${magic}`);
  const overhead = magic === 0 ? RECORD_OVERHEAD_V0 : RECORD_OVERHEAD_V1;
  if (size < overhead || end > bytes.length) {
    throw corruptMessage(
      `Record size ${size} is less than the minimum record overhead (${overhead})`,
    );
  }
  const attributes = bytes[pos + 17];
  let p = pos + 18;
  let timestamp = NO_TIMESTAMP;
  if (magic === 1) {
    timestamp = getInt64(view, p);
    p += 8;
  }
  const key = sizedBytes(bytes, view, p, end);
  p += 4 + (key?.length ?? 0);
  const value = sizedBytes(bytes, view, p, end);
  p += 4 + (value?.length ?? 0);
  if (p !== end) {
    throw corruptMessage("Record is corrupt (key and value sizes do not match its size)");
  }
  return {
    offset: getInt64(view, pos),
    magic: magic as 0 | 1,
    attributes,
    timestamp,
    timestampType: magic === 0
      ? "NoTimestampType"
      : attributes & TIMESTAMP_TYPE_MASK
      ? "LogAppendTime"
      : "CreateTime",
    crc: view.getUint32(pos + 12),
    key,
    value,
    sizeInBytes: LOG_OVERHEAD + size,
  };
}

function sizedBytes(b: Uint8Array, view: DataView, p: number, end: number): Uint8Array | null {
  if (p + 4 > end) throw corruptMessage("Record is corrupt (a length runs past its size)");
  const n = view.getInt32(p);
  if (n < 0) return null;
  if (p + 4 + n > end) throw corruptMessage("Record is corrupt (a length runs past its size)");
  return b.subarray(p + 4, p + 4 + n);
}

/** The stored CRC matches the one computed over magic..end (Kafka's LegacyRecord.isValid). */
export function isLegacyMessageValid(bytes: Uint8Array, pos: number): boolean {
  const view = viewOf(bytes);
  const size = view.getInt32(pos + 8);
  if (size < RECORD_OVERHEAD_V0 || pos + LOG_OVERHEAD + size > bytes.length) return false;
  return view.getUint32(pos + 12) === crcIeee(bytes, pos + 16, pos + LOG_OVERHEAD + size);
}

/** Throws CORRUPT_MESSAGE unless {@link isLegacyMessageValid}. */
export function ensureLegacyMessageValid(bytes: Uint8Array, pos: number): void {
  if (!isLegacyMessageValid(bytes, pos)) {
    const view = viewOf(bytes);
    const size = view.getInt32(pos + 8);
    const computed = size >= RECORD_OVERHEAD_V0 && pos + LOG_OVERHEAD + size <= bytes.length
      ? crcIeee(bytes, pos + 16, pos + LOG_OVERHEAD + size)
      : 0;
    throw corruptMessage(
      `Record is corrupt (stored crc = ${view.getUint32(pos + 12)}, computed crc = ${computed})`,
    );
  }
}

/**
 * The messages inside the entry at `pos`: the message itself when uncompressed, else the inner
 * messages with absolute offsets (and, for a LogAppendTime v1 wrapper, its timestamp). Inner
 * CRCs are checked as Apache checks them for compressed sets.
 *
 * @example
 * ```ts
 * import { buildLegacyMessageSet, legacyDeepMessages } from "./legacy.ts";
 * import { Compression } from "./attributes.ts";
 * const set = buildLegacyMessageSet({
 *   magic: 1, compression: Compression.GZIP, baseOffset: 5,
 *   records: [{ timestamp: 1, key: null, value: new Uint8Array([1]) },
 *             { timestamp: 2, key: null, value: new Uint8Array([2]) }],
 * });
 * console.log(legacyDeepMessages(set, 0).map((m) => m.offset)); // [ 5, 6 ]
 * ```
 */
export function legacyDeepMessages(bytes: Uint8Array, pos: number): LegacyMessage[] {
  const wrapper = readLegacyMessage(bytes, pos);
  const codec = wrapper.attributes & COMPRESSION_MASK;
  if (codec === Compression.NONE) return [wrapper];
  if (wrapper.value === null) throw corruptMessage("Compressed message has a null value");
  const inner = decompress(codec, wrapper.value, wrapper.magic === 0);
  const out: LegacyMessage[] = [];
  let p = 0;
  while (p < inner.length) {
    if (inner.length - p < LOG_OVERHEAD) throw corruptMessage("Truncated inner message");
    const size = viewOf(inner).getInt32(p + 8);
    if (size < RECORD_OVERHEAD_V0) {
      throw corruptMessage(
        `Record size is less than the minimum record overhead (${RECORD_OVERHEAD_V0})`,
      );
    }
    ensureLegacyMessageValid(inner, p);
    const m = readLegacyMessage(inner, p);
    if ((m.attributes & COMPRESSION_MASK) !== 0) {
      throw corruptMessage(
        "Compressed outer record should not have an inner record with a compression attribute set",
      );
    }
    out.push(m);
    p += m.sizeInBytes;
  }
  if (wrapper.magic === 1 && out.length > 0) {
    // Relative inner offsets: the wrapper holds the absolute offset of the last one.
    const base = wrapper.offset - out[out.length - 1].offset;
    for (const m of out) {
      m.offset += base;
      if (wrapper.timestampType === "LogAppendTime") {
        m.timestamp = wrapper.timestamp;
        m.timestampType = "LogAppendTime";
      }
    }
  }
  return out;
}

/** Options for {@link buildLegacyMessageSet}. */
export interface LegacySetOptions {
  magic: 0 | 1;
  records: RecordInput[];
  compression?: Compression;
  baseOffset?: number;
  timestampType?: TimestampType;
  /** The wrapper's (and every message's) timestamp for LogAppendTime. */
  logAppendTime?: number;
}

function messageSize(magic: 0 | 1, r: RecordInput): number {
  return (magic === 0 ? RECORD_OVERHEAD_V0 : RECORD_OVERHEAD_V1) + (r.key?.length ?? 0) +
    (r.value?.length ?? 0);
}

function writeMessage(
  out: Uint8Array,
  pos: number,
  offset: number,
  magic: 0 | 1,
  attributes: number,
  timestamp: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
): number {
  const view = viewOf(out);
  setInt64(view, pos, offset);
  const size = (magic === 0 ? RECORD_OVERHEAD_V0 : RECORD_OVERHEAD_V1) + (key?.length ?? 0) +
    (value?.length ?? 0);
  view.setInt32(pos + 8, size);
  out[pos + 16] = magic;
  out[pos + 17] = attributes;
  let p = pos + 18;
  if (magic === 1) {
    setInt64(view, p, timestamp);
    p += 8;
  }
  for (const b of [key, value]) {
    view.setInt32(p, b === null ? -1 : b.length);
    p += 4;
    if (b !== null) {
      out.set(b, p);
      p += b.length;
    }
  }
  view.setUint32(pos + 12, crcIeee(out, pos + 16, p));
  return p;
}

/**
 * Encodes a magic 0/1 message set: plain entries at `baseOffset + offsetDelta` (consecutive by
 * default; a compacted log's gaps are kept), or with a codec one
 * wrapper around them (v1: relative inner offsets, wrapper at the last absolute offset with the
 * max timestamp; v0: absolute inner offsets), as Apache's MemoryRecordsBuilder writes them.
 */
export function buildLegacyMessageSet(o: LegacySetOptions): Uint8Array {
  const { magic, records } = o;
  const codec = o.compression ?? Compression.NONE;
  const base = o.baseOffset ?? 0;
  const logAppend = magic === 1 && o.timestampType === "LogAppendTime";
  const tsAttr = logAppend ? TIMESTAMP_TYPE_MASK : 0;
  const stamp = (r: RecordInput) =>
    magic === 0 ? NO_TIMESTAMP : logAppend ? o.logAppendTime ?? NO_TIMESTAMP : r.timestamp;
  const inner = new Uint8Array(
    records.reduce((n, r) => n + LOG_OVERHEAD + messageSize(magic, r), 0),
  );
  let p = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const delta = r.offsetDelta ?? i;
    const offset = codec !== Compression.NONE && magic === 1 ? delta : base + delta;
    // Inner messages of a compressed set keep CreateTime; the wrapper carries the type.
    const attr = codec === Compression.NONE ? tsAttr : 0;
    p = writeMessage(inner, p, offset, magic, attr, stamp(r), r.key, r.value);
  }
  if (codec === Compression.NONE) return inner;
  const value = compress(codec, inner, magic === 0);
  let maxTs = NO_TIMESTAMP;
  for (const r of records) maxTs = Math.max(maxTs, stamp(r));
  const out = new Uint8Array(
    LOG_OVERHEAD + (magic === 0 ? RECORD_OVERHEAD_V0 : RECORD_OVERHEAD_V1) + value.length,
  );
  const last = records.length === 0
    ? -1
    : records[records.length - 1].offsetDelta ?? records.length - 1;
  writeMessage(out, 0, base + last, magic, codec | tsAttr, maxTs, null, value);
  return out;
}
