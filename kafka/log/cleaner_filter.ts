/**
 * The log cleaner's record filter over a chunk of a segment (Kafka 2.8.2's Cleaner.cleanInto with
 * MemoryRecords.filterTo), byte for byte:
 *
 * - a record stays if it is past the offset map's range, or it holds its key's latest offset and
 *   has a value (a tombstone stays too while `retainDeletesAndTxnMarkers`); keyless records go;
 * - a batch of an aborted transaction goes; a marker goes once its transaction has no batch left
 *   (and the segment is past the delete horizon); the last batch of each active producer stays,
 *   emptied to its 61-byte header when none of its records do (so the producer's last sequence and
 *   epoch survive);
 * - a batch whose every record stays is copied unchanged; otherwise it is rebuilt with the same
 *   base offset, last offset delta, producer fields, leader epoch, attributes and codec (records
 *   recompressed), its first timestamp that of the first record kept (Kafka's builder), the
 *   records keeping their offsets, timestamps and header bytes;
 * - magic 0/1 message sets are filtered message by message (a compressed wrapper rebuilt around
 *   the messages kept).
 *
 * @module
 */

import {
  CONTROL_MASK,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_MASK,
} from "../protocol/records/attributes.ts";
import {
  BATCH_HEADER_SIZE,
  BatchField,
  LOG_OVERHEAD,
  writeBatchHeader,
} from "../protocol/records/batch_header.ts";
import { compress } from "../protocol/records/compression.ts";
import { crc32c } from "../protocol/records/crc32c.ts";
import { buildLegacyMessageSet, legacyDeepMessages } from "../protocol/records/legacy.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { RecordCursor } from "../protocol/records/record.ts";
import { readBatchHeader } from "./_batch_headers.ts";
import type { CleanedTransactionMetadata } from "./cleaner_txn.ts";
import type { OffsetMap } from "./offset_map.ts";

/** What the producer state says of an active producer's last write (Kafka's LastRecord). */
export interface LastRecord {
  /** The last offset of its last data batch, undefined when it has none. */
  lastDataOffset: number | undefined;
  producerEpoch: number;
}

/** Counters of one clean (Kafka's CleanerStats). */
export interface CleanerStats {
  mapMessagesRead: number;
  mapBytesRead: number;
  messagesRead: number;
  bytesRead: number;
  messagesWritten: number;
  bytesWritten: number;
  invalidMessages: number;
}

/** Fresh counters. */
export function newCleanerStats(): CleanerStats {
  return {
    mapMessagesRead: 0,
    mapBytesRead: 0,
    messagesRead: 0,
    bytesRead: 0,
    messagesWritten: 0,
    bytesWritten: 0,
    invalidMessages: 0,
  };
}

/** What the filter consults. */
export interface FilterContext {
  map: OffsetMap;
  /** The segment is newer than the delete horizon: tombstones and markers stay. */
  retainDeletesAndTxnMarkers: boolean;
  txn: CleanedTransactionMetadata;
  /** Active producers by id (Kafka's lastRecordsOfActiveProducers). */
  activeProducers: ReadonlyMap<number, LastRecord>;
  stats: CleanerStats;
}

/** One chunk's outcome (Kafka's FilterResult). */
export interface ChunkResult {
  /** Bytes of whole entries consumed from the chunk (a partial last entry is left). */
  bytesRead: number;
  /** The largest offset written (a batch's last offset when copied whole), -1 when none. */
  maxOffset: number;
  maxTimestamp: number;
  shallowOffsetOfMaxTimestamp: number;
}

/** A growable output buffer, reused from chunk to chunk. */
export class OutputBuffer {
  bytes = new Uint8Array(64 * 1024);
  length = 0;

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.length + n, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Append bytes. */
  write(b: Uint8Array): void {
    this.ensure(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  /** The bytes written so far. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** Retained records of the batch being filtered, as positions in its records section. */
class Kept {
  n = 0;
  offsetDelta: number[] = [];
  timestamp: number[] = [];
  keyStart: number[] = [];
  keyLength: number[] = [];
  valueStart: number[] = [];
  valueLength: number[] = [];
  /** From the header count varint to the end of the record. */
  tailStart: number[] = [];
  tailEnd: number[] = [];
}

function int64(v: DataView, at: number): number {
  return v.getInt32(at) * 4294967296 + v.getUint32(at + 4);
}

/**
 * Filter the whole entries of `bytes[start, end)` into `out`; see the module doc. Throws on bytes
 * that are not batches (the cleaner reads segments the loader has validated).
 */
export function filterChunk(
  bytes: Uint8Array,
  start: number,
  end: number,
  ctx: FilterContext,
  out: OutputBuffer,
): ChunkResult {
  const r: ChunkResult = {
    bytesRead: 0,
    maxOffset: -1,
    maxTimestamp: -1,
    shallowOffsetOfMaxTimestamp: -1,
  };
  const kept = new Kept();
  let pos = start;
  while (pos < end) {
    const h = readBatchHeader(bytes, pos, end);
    if (typeof h === "string") {
      if (h.includes("runs past the end") || h.includes("too few for a batch header")) break;
      throw new Error(`not a record batch at position ${pos}: ${h}`);
    }
    const entry = bytes.subarray(pos, pos + h.size);
    r.bytesRead += h.size;
    pos += h.size;
    if (h.magic === 2) filterBatch(entry, ctx, out, r, kept);
    else filterLegacy(entry, ctx, out, r);
  }
  return r;
}

function retained(
  r: ChunkResult,
  maxTimestamp: number,
  shallowOffsetOfMaxTimestamp: number,
  maxOffset: number,
): void {
  if (maxTimestamp > r.maxTimestamp) {
    r.maxTimestamp = maxTimestamp;
    r.shallowOffsetOfMaxTimestamp = shallowOffsetOfMaxTimestamp;
  }
  if (maxOffset > r.maxOffset) r.maxOffset = maxOffset;
}

/** Cleaner.shouldRetainRecord. */
function shouldRetain(
  ctx: FilterContext,
  offset: number,
  key: Uint8Array,
  keyStart: number,
  keyLength: number,
  hasValue: boolean,
): boolean {
  if (offset > ctx.map.latestOffset) return true;
  if (keyLength < 0) {
    ctx.stats.invalidMessages++;
    return false;
  }
  const found = ctx.map.get(key, keyStart, keyLength);
  return offset >= found && (hasValue || ctx.retainDeletesAndTxnMarkers);
}

/** A control record's type from its key (Kafka's ControlRecordType.parse). */
export function controlType(key: Uint8Array | null): "ABORT" | "COMMIT" | "UNKNOWN" {
  if (key === null || key.length < 4) throw new Error("Invalid control record key");
  const v = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const version = v.getInt16(0);
  if (version < 0) throw new Error(`Invalid version found for control record: ${version}`);
  const type = v.getInt16(2);
  return type === 0 ? "ABORT" : type === 1 ? "COMMIT" : "UNKNOWN";
}

function filterBatch(
  entry: Uint8Array,
  ctx: FilterContext,
  out: OutputBuffer,
  r: ChunkResult,
  kept: Kept,
): void {
  const batch = new RecordBatch(entry);
  const hd = batch.header;
  const lastOffset = hd.baseOffset + hd.lastOffsetDelta;
  const isControl = (hd.attributes & CONTROL_MASK) !== 0;
  const isTxn = (hd.attributes & TRANSACTIONAL_MASK) !== 0;
  const logAppend = (hd.attributes & TIMESTAMP_TYPE_MASK) !== 0;
  const section = batch.recordsSection();
  let discard: boolean;
  if (isControl) {
    let type: "ABORT" | "COMMIT" | "UNKNOWN" | undefined;
    if (hd.recordsCount > 0) {
      const c = new RecordCursor(section, 0, section.length, hd.recordsCount);
      c.next();
      type = controlType(c.key());
    }
    discard = ctx.txn.onControlBatchRead(lastOffset, hd.producerId, type) &&
      !ctx.retainDeletesAndTxnMarkers;
  } else {
    discard = ctx.txn.onBatchRead(lastOffset, hd.producerId, isTxn);
  }
  const last = hd.producerId >= 0 ? ctx.activeProducers.get(hd.producerId) : undefined;
  const isLastOfProducer = last !== undefined &&
    (last.lastDataOffset !== undefined
      ? lastOffset === last.lastDataOffset
      : isControl && hd.producerEpoch === last.producerEpoch);
  if (!isLastOfProducer && discard) return; // BatchRetention.DELETE

  kept.n = 0;
  let writeOriginal = true;
  let maxOffset = -1;
  const c = new RecordCursor(section, 0, section.length, hd.recordsCount);
  while (c.next()) {
    ctx.stats.messagesRead++;
    const offset = hd.baseOffset + c.offsetDelta;
    const keep = !discard &&
      shouldRetain(ctx, offset, c.bytes, c.keyStart, c.keyLength, c.valueLength >= 0);
    if (!keep) {
      writeOriginal = false;
      continue;
    }
    if (offset > maxOffset) maxOffset = offset;
    const i = kept.n++;
    kept.offsetDelta[i] = c.offsetDelta;
    kept.timestamp[i] = logAppend ? hd.maxTimestamp : hd.baseTimestamp + c.timestampDelta;
    kept.keyStart[i] = c.keyStart;
    kept.keyLength[i] = c.keyLength;
    kept.valueStart[i] = c.valueStart;
    kept.valueLength[i] = c.valueLength;
    kept.tailStart[i] = c.valueStart + Math.max(c.valueLength, 0);
    kept.tailEnd[i] = c.start + c.sizeInBytes;
  }
  if (kept.n > 0 && writeOriginal) {
    out.write(entry);
    ctx.stats.messagesWritten += kept.n;
    retained(r, hd.maxTimestamp, lastOffset, lastOffset);
  } else if (kept.n > 0) {
    const rebuilt = rebuildBatch(batch, section, kept, logAppend);
    out.write(rebuilt.bytes);
    ctx.stats.messagesWritten += kept.n;
    retained(r, rebuilt.maxTimestamp, lastOffset, maxOffset);
  } else if (isLastOfProducer) {
    out.write(emptyBatch(batch));
    retained(r, hd.maxTimestamp, lastOffset, lastOffset);
  }
}

/** Kafka's DefaultRecordBatch.writeEmptyHeader: the header alone, uncompressed, no records. */
function emptyBatch(batch: RecordBatch): Uint8Array {
  const hd = batch.header;
  const b = new Uint8Array(BATCH_HEADER_SIZE);
  const v = new DataView(b.buffer);
  writeBatchHeader(v, 0, {
    ...hd,
    batchLength: BATCH_HEADER_SIZE - LOG_OVERHEAD,
    attributes: hd.attributes & (TIMESTAMP_TYPE_MASK | TRANSACTIONAL_MASK | CONTROL_MASK),
    baseTimestamp: -1,
    recordsCount: 0,
  });
  v.setUint32(BatchField.CRC, crc32c(b, BatchField.ATTRIBUTES));
  return b;
}

/** The kept records in a new batch with the original's header fields (see the module doc). */
function rebuildBatch(
  batch: RecordBatch,
  section: Uint8Array,
  kept: Kept,
  logAppend: boolean,
): { bytes: Uint8Array; maxTimestamp: number } {
  const hd = batch.header;
  const first = kept.timestamp[0];
  let maxTimestamp = -1;
  let size = 0;
  const bodies: number[] = [];
  for (let i = 0; i < kept.n; i++) {
    if (kept.timestamp[i] > maxTimestamp) maxTimestamp = kept.timestamp[i];
    const body = 1 + sizeOfVarlong(kept.timestamp[i] - first) + sizeOfVarlong(kept.offsetDelta[i]) +
      fieldSize(kept.keyLength[i]) + fieldSize(kept.valueLength[i]) +
      (kept.tailEnd[i] - kept.tailStart[i]);
    bodies.push(body);
    size += sizeOfVarlong(body) + body;
  }
  if (logAppend) maxTimestamp = hd.maxTimestamp;
  const records = new Uint8Array(size);
  let p = 0;
  for (let i = 0; i < kept.n; i++) {
    p = writeVarlong(records, p, bodies[i]);
    records[p++] = 0;
    p = writeVarlong(records, p, kept.timestamp[i] - first);
    p = writeVarlong(records, p, kept.offsetDelta[i]);
    p = writeField(records, p, section, kept.keyStart[i], kept.keyLength[i]);
    p = writeField(records, p, section, kept.valueStart[i], kept.valueLength[i]);
    records.set(section.subarray(kept.tailStart[i], kept.tailEnd[i]), p);
    p += kept.tailEnd[i] - kept.tailStart[i];
  }
  const body = compress(batch.compression, records);
  const bytes = new Uint8Array(BATCH_HEADER_SIZE + body.length);
  const v = new DataView(bytes.buffer);
  writeBatchHeader(v, 0, {
    ...hd,
    batchLength: bytes.length - LOG_OVERHEAD,
    baseTimestamp: first,
    maxTimestamp,
    recordsCount: kept.n,
  });
  bytes.set(body, BATCH_HEADER_SIZE);
  v.setUint32(BatchField.CRC, crc32c(bytes, BatchField.ATTRIBUTES));
  return { bytes, maxTimestamp };
}

function filterLegacy(
  entry: Uint8Array,
  ctx: FilterContext,
  out: OutputBuffer,
  r: ChunkResult,
): void {
  const messages = legacyDeepMessages(entry, 0);
  const shallowOffset = Number(new DataView(entry.buffer, entry.byteOffset).getBigInt64(0));
  const shallowTimestamp = entry[16] === 1
    ? int64(new DataView(entry.buffer, entry.byteOffset), 18)
    : -1;
  ctx.txn.onBatchRead(shallowOffset, -1, false);
  const keep = messages.filter((m) => {
    ctx.stats.messagesRead++;
    const key = m.key ?? entry;
    return shouldRetain(ctx, m.offset, key, 0, m.key ? key.length : -1, m.value !== null);
  });
  if (keep.length === 0) return;
  ctx.stats.messagesWritten += keep.length;
  if (keep.length === messages.length) {
    out.write(entry);
    retained(r, shallowTimestamp, shallowOffset, shallowOffset);
    return;
  }
  const base = keep[0].offset;
  const logAppend = (entry[17] & TIMESTAMP_TYPE_MASK) !== 0;
  const rebuilt = buildLegacyMessageSet({
    magic: entry[16] as 0 | 1,
    compression: (entry[17] & 0x07) as 0 | 1 | 2 | 3 | 4,
    baseOffset: base,
    timestampType: logAppend ? "LogAppendTime" : "CreateTime",
    logAppendTime: shallowTimestamp,
    records: keep.map((m) => ({
      timestamp: m.timestamp,
      key: m.key,
      value: m.value,
      offsetDelta: m.offset - base,
    })),
  });
  out.write(rebuilt);
  const lastKept = keep[keep.length - 1].offset;
  let maxTs = -1;
  for (const m of keep) if (m.timestamp > maxTs) maxTs = m.timestamp;
  retained(r, logAppend ? shallowTimestamp : maxTs, lastKept, lastKept);
}

// ---- varints (zigzag, as v2 records encode them; exact for any safe integer) ----------------

function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

function sizeOfVarlong(v: number): number {
  let z = zigzag(v);
  let n = 1;
  while (z >= 0x80) {
    z = Math.floor(z / 128);
    n++;
  }
  return n;
}

function writeVarlong(b: Uint8Array, p: number, v: number): number {
  let z = zigzag(v);
  while (z >= 0x80) {
    b[p++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  b[p++] = z;
  return p;
}

function fieldSize(length: number): number {
  return length < 0 ? 1 : sizeOfVarlong(length) + length;
}

function writeField(
  b: Uint8Array,
  p: number,
  src: Uint8Array,
  start: number,
  length: number,
): number {
  if (length < 0) return writeVarlong(b, p, -1);
  p = writeVarlong(b, p, length);
  b.set(src.subarray(start, start + length), p);
  return p + length;
}
