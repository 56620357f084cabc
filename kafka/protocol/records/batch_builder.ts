/**
 * Builds a v2 record batch from records: encodes them, compresses the section with the batch's
 * codec, fills the header and computes the CRC-32C — what a producer (or the broker re-encoding a
 * batch it cannot patch in place) writes.
 *
 * @module
 */

import {
  Compression,
  CONTROL_MASK,
  DELETE_HORIZON_MASK,
  TIMESTAMP_TYPE_MASK,
  type TimestampType,
  TRANSACTIONAL_MASK,
} from "./attributes.ts";
import {
  BATCH_HEADER_SIZE,
  BatchField,
  LOG_OVERHEAD,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  writeBatchHeader,
} from "./batch_header.ts";
import { compress } from "./compression.ts";
import { crc32c } from "./crc32c.ts";
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from "./_varint.ts";
import type { RecordHeader } from "./record.ts";
import { viewOf } from "./_int64.ts";

/** A record to encode. `offsetDelta` defaults to its index in the batch. */
export interface RecordInput {
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: RecordHeader[];
  offsetDelta?: number;
}

/** Everything a batch header says, with Kafka's defaults for a plain producer batch. */
export interface RecordBatchOptions {
  records: RecordInput[];
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  compression?: Compression;
  timestampType?: TimestampType;
  /** For LogAppendTime: the broker's time, written as every record's timestamp. */
  logAppendTime?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  /** KIP-534: baseTimestamp becomes this horizon and bit 6 is set. */
  deleteHorizon?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
}

const encoder = new TextEncoder();

function bodySize(
  r: RecordInput,
  tsDelta: number,
  offsetDelta: number,
  headerKeys: Uint8Array[],
): number {
  let n = 1 + sizeOfVarlong(tsDelta) + sizeOfVarint(offsetDelta);
  n += r.key === null ? 1 : sizeOfVarint(r.key.length) + r.key.length;
  n += r.value === null ? 1 : sizeOfVarint(r.value.length) + r.value.length;
  const headers = r.headers ?? [];
  n += sizeOfVarint(headers.length);
  for (let i = 0; i < headers.length; i++) {
    const k = headerKeys[i];
    const v = headers[i].value;
    n += sizeOfVarint(k.length) + k.length + (v === null ? 1 : sizeOfVarint(v.length) + v.length);
  }
  return n;
}

function writeBytes(out: Uint8Array, pos: number, b: Uint8Array | null): number {
  if (b === null) return writeVarint(out, pos, -1);
  pos = writeVarint(out, pos, b.length);
  out.set(b, pos);
  return pos + b.length;
}

/**
 * Encodes `records` as a v2 records section (uncompressed), timestamps relative to
 * `baseTimestamp`. `timestampOverride` replaces every record's timestamp (LogAppendTime).
 */
export function encodeRecords(
  records: RecordInput[],
  baseTimestamp: number,
  timestampOverride?: number,
): Uint8Array {
  const sizes = new Array<number>(records.length);
  const keys: Uint8Array[][] = new Array(records.length);
  let total = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    keys[i] = (r.headers ?? []).map((h) => encoder.encode(h.key));
    const ts = (timestampOverride ?? r.timestamp) - baseTimestamp;
    const body = bodySize(r, ts, r.offsetDelta ?? i, keys[i]);
    sizes[i] = body;
    total += sizeOfVarint(body) + body;
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    pos = writeVarint(out, pos, sizes[i]);
    out[pos++] = 0;
    pos = writeVarlong(out, pos, (timestampOverride ?? r.timestamp) - baseTimestamp);
    pos = writeVarint(out, pos, r.offsetDelta ?? i);
    pos = writeBytes(out, pos, r.key);
    pos = writeBytes(out, pos, r.value);
    const headers = r.headers ?? [];
    pos = writeVarint(out, pos, headers.length);
    for (let h = 0; h < headers.length; h++) {
      pos = writeBytes(out, pos, keys[i][h]);
      pos = writeBytes(out, pos, headers[h].value);
    }
  }
  return out;
}

/**
 * Builds one v2 batch.
 *
 * @example
 * ```ts
 * import { buildRecordBatch } from "./batch_builder.ts";
 * import { Compression } from "./attributes.ts";
 * const batch = buildRecordBatch({
 *   compression: Compression.GZIP,
 *   records: [{ timestamp: 1700000000000, key: null, value: new TextEncoder().encode("hi") }],
 * });
 * console.log(batch[16]); // 2 (the magic byte)
 * ```
 */
export function buildRecordBatch(o: RecordBatchOptions): Uint8Array {
  const records = o.records;
  const compression = o.compression ?? Compression.NONE;
  const logAppend = o.timestampType === "LogAppendTime";
  const override = logAppend ? (o.logAppendTime ?? NO_TIMESTAMP) : undefined;
  const firstTimestamp = records.length === 0 ? NO_TIMESTAMP : override ?? records[0].timestamp;
  let maxTimestamp = NO_TIMESTAMP;
  let lastOffsetDelta = -1;
  for (let i = 0; i < records.length; i++) {
    const ts = override ?? records[i].timestamp;
    if (ts > maxTimestamp) maxTimestamp = ts;
    const d = records[i].offsetDelta ?? i;
    if (d > lastOffsetDelta) lastOffsetDelta = d;
  }
  // With a delete horizon the base field holds the horizon and deltas are taken from it.
  const base = o.deleteHorizon ?? firstTimestamp;
  const section = compress(compression, encodeRecords(records, base, override));
  const batch = new Uint8Array(BATCH_HEADER_SIZE + section.length);
  let attributes = compression;
  if (logAppend) attributes |= TIMESTAMP_TYPE_MASK;
  if (o.isTransactional) attributes |= TRANSACTIONAL_MASK;
  if (o.isControl) attributes |= CONTROL_MASK;
  if (o.deleteHorizon !== undefined) attributes |= DELETE_HORIZON_MASK;
  const view = viewOf(batch);
  writeBatchHeader(view, 0, {
    baseOffset: o.baseOffset ?? 0,
    batchLength: batch.length - LOG_OVERHEAD,
    partitionLeaderEpoch: o.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
    magic: 2,
    crc: 0,
    attributes,
    lastOffsetDelta: Math.max(lastOffsetDelta, 0),
    baseTimestamp: base,
    maxTimestamp,
    producerId: o.producerId ?? NO_PRODUCER_ID,
    producerEpoch: o.producerEpoch ?? NO_PRODUCER_EPOCH,
    baseSequence: o.baseSequence ?? NO_SEQUENCE,
    recordsCount: records.length,
  });
  batch.set(section, BATCH_HEADER_SIZE);
  view.setUint32(BatchField.CRC, crc32c(batch, BatchField.ATTRIBUTES));
  return batch;
}
