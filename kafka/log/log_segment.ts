/**
 * One segment of a partition's log: its `.log` file and its two sparse indexes (Kafka 2.8.2's
 * LogSegment). Appends are reserved first (positions, index entries, the segment's next offset)
 * and written after, in order, by the partition's writer, so several appends that arrive together
 * go to the file in one write. Reads are bounded by what is written, read with positioned reads of
 * just the range asked for, and hand out whole batches.
 *
 * @module
 */

import { BATCH_HEADER_SIZE, LOG_OVERHEAD } from "../protocol/records/batch_header.ts";
import { legacyDeepMessages } from "../protocol/records/legacy.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { TIMESTAMP_TYPE_MASK } from "../protocol/records/attributes.ts";
import { OffsetIndex } from "./offset_index.ts";
import { giveReadBuffer, takeReadBuffer } from "./read_pool.ts";
import { NO_TIMESTAMP, TimeIndex } from "./time_index.ts";
import { SegmentIndexer } from "./segment_indexer.ts";
import { TransactionIndex } from "./transaction_index.ts";
import { type SegmentFileKind, segmentFileName } from "./segment_files.ts";

/** How a segment is opened. */
export interface SegmentOptions {
  indexIntervalBytes: number;
  /** segment.index.bytes: what a new or active index is sized to. */
  maxIndexSize: number;
  /** This segment's share of segment.jitter.ms. */
  rollJitterMs: number;
  /** The clock's time now: the segment's creation time for segment.ms. */
  now: number;
}

/** A timestamp lookup's answer (ListOffsets by time). */
export interface TimestampAndOffset {
  timestamp: number;
  offset: number;
  /** The batch's partition leader epoch, or undefined when it has none (-1). */
  leaderEpoch: number | undefined;
}

/** A batch header's fields the log needs, read without decoding records. */
interface Peek {
  size: number;
  magic: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

/** An int64 as a number, without a BigInt (exact below 2^53, as every offset and timestamp). */
function int64(v: DataView, at: number): number {
  return v.getInt32(at) * 4294967296 + v.getUint32(at + 4);
}

/** How much a read takes beyond what it was asked for, to find its first batch in one read. */
const READ_SLACK = 32 * 1024;

/**
 * Reads a segment's bytes in chunks, so a walk over batch headers costs a read per chunk rather
 * than one per batch.
 */
class ChunkReader {
  bytes: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.bytes.buffer);
  /** The file position of bytes[0]. */
  start = 0;

  constructor(
    private seg: LogSegment,
    private end: number,
    private want: number,
    /** Read into pooled buffers (read_pool.ts), given back by whoever ends up holding them. */
    readonly pooled = false,
  ) {}

  /** Makes [pos, pos + n) readable (n clipped to the end); the index of pos in `bytes`. */
  ensure(pos: number, n: number): number {
    const need = Math.min(n, this.end - pos);
    if (pos >= this.start && pos + need <= this.start + this.bytes.length) return pos - this.start;
    const len = Math.min(this.end - pos, Math.max(need, this.want));
    if (this.pooled && this.bytes.length > 0) giveReadBuffer(this.bytes);
    this.bytes = this.seg.readAt(pos, len, this.pooled);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.start = pos;
    return 0;
  }

  /** The header of the entry at `pos`, or undefined at the end or for a short remainder. */
  peek(pos: number, out: Peek): Peek | undefined {
    if (pos + LOG_OVERHEAD + 14 > this.end) return undefined;
    const at = this.ensure(pos, BATCH_HEADER_SIZE);
    const v = this.view;
    const avail = this.bytes.length - at;
    out.size = LOG_OVERHEAD + v.getInt32(at + 8);
    out.magic = v.getInt8(at + 16);
    out.baseOffset = int64(v, at);
    if (out.magic === 2 && avail >= BATCH_HEADER_SIZE) {
      out.lastOffset = out.baseOffset + v.getInt32(at + 23);
      out.maxTimestamp = int64(v, at + 35);
    } else {
      out.lastOffset = out.baseOffset;
      out.maxTimestamp = out.magic === 1 && avail >= 26 ? int64(v, at + 18) : -1;
    }
    if (out.size < LOG_OVERHEAD + 14 || pos + out.size > this.end) return undefined;
    return out;
  }
}

/** One segment: `.log`, `.index`, `.timeindex`, and `.txnindex` once a transaction aborts in it. */
export class LogSegment {
  #file: Deno.FsFile;
  #size: number;
  #pending = 0;
  #nextOffset: number;
  #rollingBasedTimestamp: number | undefined;
  #closed = false;
  readonly indexer: SegmentIndexer;
  /** The transactions aborted in this segment (the file is created by the first). */
  readonly txnIndex: TransactionIndex;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    file: Deno.FsFile,
    size: number,
    indexer: SegmentIndexer,
    readonly created: number,
    readonly rollJitterMs: number,
  ) {
    this.#file = file;
    this.#size = size;
    this.indexer = indexer;
    this.#nextOffset = baseOffset;
    this.txnIndex = TransactionIndex.openSync(this.path("txnindex"), baseOffset);
  }

  /** A new, empty segment (any files of that name are replaced). */
  static create(dir: string, baseOffset: number, o: SegmentOptions): LogSegment {
    const path = (k: SegmentFileKind) => `${dir}/${segmentFileName(baseOffset, k)}`;
    for (const k of ["index", "timeindex", "txnindex"] as const) {
      try {
        Deno.removeSync(path(k));
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    const file = Deno.openSync(path("log"), {
      read: true,
      write: true,
      create: true,
      truncate: true,
    });
    const indexer = new SegmentIndexer(
      OffsetIndex.open(path("index"), baseOffset, o.maxIndexSize, true, true),
      TimeIndex.open(path("timeindex"), baseOffset, o.maxIndexSize, true, true),
      o.indexIntervalBytes,
    );
    return new LogSegment(dir, baseOffset, file, 0, indexer, o.now, o.rollJitterMs);
  }

  /**
   * A segment whose files exist and are sound (the loader has recovered or rebuilt what needed
   * it). The active one gets writable indexes sized back to segment.index.bytes.
   */
  static open(dir: string, baseOffset: number, o: SegmentOptions, active: boolean): LogSegment {
    const path = (k: SegmentFileKind) => `${dir}/${segmentFileName(baseOffset, k)}`;
    const file = Deno.openSync(path("log"), { read: true, write: true });
    let indexer: SegmentIndexer;
    try {
      const offsets = OffsetIndex.open(path("index"), baseOffset, o.maxIndexSize, active, true);
      const times = TimeIndex.open(path("timeindex"), baseOffset, o.maxIndexSize, active, true);
      if (active) {
        offsets.resize(o.maxIndexSize);
        times.resize(o.maxIndexSize);
      }
      indexer = new SegmentIndexer(offsets, times, o.indexIntervalBytes);
    } catch (e) {
      file.close();
      throw e;
    }
    const size = file.statSync().size;
    const seg = new LogSegment(dir, baseOffset, file, size, indexer, o.now, o.rollJitterMs);
    seg.#nextOffset = seg.#scanNextOffset();
    return seg;
  }

  /** Bytes written to the `.log`. */
  get size(): number {
    return this.#size;
  }

  /** Where the next reserved append goes: written bytes plus those queued. */
  get appendPosition(): number {
    return this.#size + this.#pending;
  }

  /** The offset after the last batch reserved in this segment (its base offset when empty). */
  get nextOffset(): number {
    return this.#nextOffset;
  }

  get offsetIndex(): OffsetIndex {
    return this.indexer.offsetIndex;
  }

  get timeIndex(): TimeIndex {
    return this.indexer.timeIndex;
  }

  /** The path of one of this segment's files. */
  path(kind: SegmentFileKind): string {
    return `${this.dir}/${segmentFileName(this.baseOffset, kind)}`;
  }

  /**
   * Reserve an append of `size` bytes: its index entries are made now, its bytes are written
   * later by {@linkcode writeReserved}, in reservation order. Returns its position.
   */
  reserve(
    size: number,
    lastOffset: number,
    maxTimestamp: number,
    offsetOfMaxTimestamp: number,
  ): number {
    const position = this.appendPosition;
    // Kafka's rollingBasedTimestamp: segment.ms counts from the first batch's largest timestamp.
    if (position === 0) this.#rollingBasedTimestamp = maxTimestamp;
    this.indexer.onAppend({ position, size, lastOffset, maxTimestamp, offsetOfMaxTimestamp });
    this.#pending += size;
    this.#nextOffset = lastOffset + 1;
    return position;
  }

  /** Write reserved bytes at the end of what is written (one or more appends, in order). */
  writeReserved(bytes: Uint8Array): void {
    this.#file.seekSync(this.#size, Deno.SeekMode.Start);
    let done = 0;
    while (done < bytes.length) done += this.#file.writeSync(bytes.subarray(done));
    this.#size += bytes.length;
    this.#pending -= bytes.length;
  }

  /** Bytes [pos, pos + len) of the `.log` (a fresh buffer, or a pooled one: read_pool.ts). */
  readAt(pos: number, len: number, pooled = false): Uint8Array {
    const out = pooled ? takeReadBuffer(len).subarray(0, len) : new Uint8Array(len);
    this.#file.seekSync(pos, Deno.SeekMode.Start);
    let done = 0;
    while (done < len) {
      const n = this.#file.readSync(out.subarray(done));
      if (n === null) throw new Error(`${this.path("log")}: end of file at ${pos + done}`);
      done += n;
    }
    return out;
  }

  /**
   * Whole batches from the one holding `startOffset` on: at most `maxBytes` of them (but the
   * first whole when `minOneMessage`), none whose last offset is at or past `maxOffset`.
   * Undefined when this segment has no batch at or after `startOffset` below `maxOffset`.
   * With `pooled`, the bytes may be a view of a pooled buffer: the caller gives
   * `result.buffer` back with giveReadBuffer once it no longer needs them.
   */
  read(
    startOffset: number,
    maxBytes: number,
    maxOffset: number,
    minOneMessage: boolean,
    pooled = false,
  ): Uint8Array | undefined {
    const end = this.#size;
    let pos = this.offsetIndex.lookup(startOffset).position;
    if (pos >= end) return undefined;
    const r = new ChunkReader(this, end, Math.max(maxBytes, 0) + READ_SLACK, pooled);
    const give = () => {
      if (pooled && r.bytes.length > 0) giveReadBuffer(r.bytes);
    };
    const h: Peek = { size: 0, magic: 0, baseOffset: 0, lastOffset: 0, maxTimestamp: 0 };
    for (;;) {
      if (!r.peek(pos, h)) return give(), undefined;
      if (h.lastOffset >= startOffset) break;
      pos += h.size;
    }
    if (h.lastOffset >= maxOffset) return give(), undefined;
    const start = pos;
    let total = 0;
    while (r.peek(pos, h) && h.lastOffset < maxOffset) {
      if (total + h.size > maxBytes && !(total === 0 && minOneMessage)) break;
      total += h.size;
      pos += h.size;
    }
    if (total === 0) return give(), new Uint8Array(0);
    const at = r.ensure(start, total);
    if (r.bytes.length - at >= total) return r.bytes.subarray(at, at + total);
    give();
    return this.readAt(start, total);
  }

  /**
   * Kafka's findOffsetByTimestamp: from the time index's entry at or below `timestamp`, the
   * first record with a timestamp at or above it and an offset at or above `startingOffset`.
   */
  findOffsetByTimestamp(
    timestamp: number,
    startingOffset = this.baseOffset,
  ): TimestampAndOffset | undefined {
    const fromOffset = Math.max(this.timeIndex.lookup(timestamp).offset, startingOffset);
    let pos = this.offsetIndex.lookup(fromOffset).position;
    const r = new ChunkReader(this, this.#size, 64 * 1024);
    const h: Peek = { size: 0, magic: 0, baseOffset: 0, lastOffset: 0, maxTimestamp: 0 };
    for (; r.peek(pos, h); pos += h.size) {
      if (h.maxTimestamp < timestamp) continue;
      const at = r.ensure(pos, h.size);
      const bytes = r.bytes.length - at >= h.size
        ? r.bytes.subarray(at, at + h.size)
        : this.readAt(pos, h.size);
      const found = h.magic === 2
        ? firstInBatch(bytes, timestamp, startingOffset)
        : firstInLegacy(bytes, timestamp, startingOffset);
      if (found) return found;
    }
    return undefined;
  }

  /** The largest timestamp in the segment, or the file's modification time when it has none. */
  largestTimestamp(): number {
    const ts = this.indexer.maxTimestampSoFar;
    if (ts >= 0) return ts;
    return this.lastModified();
  }

  /** The `.log` file's modification time (ms). */
  lastModified(): number {
    return this.#file.statSync().mtime?.getTime() ?? 0;
  }

  /** How long the segment has waited to roll by segment.ms, as Kafka's timeWaitedForRoll. */
  timeWaitedForRoll(now: number, messageTimestamp: number): number {
    if (this.#rollingBasedTimestamp === undefined && this.#size > 0) {
      const r = new ChunkReader(this, this.#size, BATCH_HEADER_SIZE);
      const h: Peek = { size: 0, magic: 0, baseOffset: 0, lastOffset: 0, maxTimestamp: 0 };
      if (r.peek(0, h)) this.#rollingBasedTimestamp = h.maxTimestamp;
    }
    const t = this.#rollingBasedTimestamp;
    return t !== undefined && t >= 0 ? messageTimestamp - t : now - this.created;
  }

  /** fsync the `.log` (data only). */
  async flushLog(): Promise<void> {
    if (!this.#closed) await this.#file.syncData();
  }

  /** Write and fsync both indexes. */
  async flushIndexes(): Promise<void> {
    if (this.#closed) return;
    await Promise.all([
      this.offsetIndex.flushAsync(),
      this.timeIndex.flushAsync(),
      this.txnIndex.flush(),
    ]);
  }

  /** The segment stops being the active one: final time index entry, indexes trimmed. */
  onBecomeInactive(): void {
    this.indexer.onBecomeInactive();
  }

  /** Close the files (indexes trimmed, the final time entry written, as Kafka's close). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.txnIndex.close();
    try {
      this.indexer.close();
    } finally {
      this.#file.close();
    }
  }

  /** Close and rename every file of the segment to `<name>.deleted`; the new names. */
  renameToDeleted(): string[] {
    this.close();
    const renamed: string[] = [];
    for (const k of ["log", "index", "timeindex", "txnindex"] as const) {
      const from = this.path(k);
      try {
        Deno.renameSync(from, `${from}.deleted`);
        renamed.push(`${from}.deleted`);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    return renamed;
  }

  /** The offset after the segment's last batch, walking from its last index entry. */
  #scanNextOffset(): number {
    const last = this.offsetIndex.entries === 0
      ? { offset: this.baseOffset, position: 0 }
      : this.offsetIndex.entry(this.offsetIndex.entries - 1);
    const r = new ChunkReader(this, this.#size, 256 * 1024);
    const h: Peek = { size: 0, magic: 0, baseOffset: 0, lastOffset: 0, maxTimestamp: 0 };
    let next = this.baseOffset;
    for (let pos = last.position; r.peek(pos, h); pos += h.size) next = h.lastOffset + 1;
    return next;
  }
}

function firstInBatch(
  bytes: Uint8Array,
  timestamp: number,
  startingOffset: number,
): TimestampAndOffset | undefined {
  const batch = new RecordBatch(bytes);
  const hd = batch.header;
  const epoch = hd.partitionLeaderEpoch === -1 ? undefined : hd.partitionLeaderEpoch;
  const logAppend = (hd.attributes & TIMESTAMP_TYPE_MASK) !== 0;
  const c = batch.cursor();
  while (c.next()) {
    const ts = logAppend ? hd.maxTimestamp : hd.baseTimestamp + c.timestampDelta;
    const offset = hd.baseOffset + c.offsetDelta;
    if (ts >= timestamp && offset >= startingOffset) {
      return { timestamp: ts, offset, leaderEpoch: epoch };
    }
  }
  return undefined;
}

function firstInLegacy(
  bytes: Uint8Array,
  timestamp: number,
  startingOffset: number,
): TimestampAndOffset | undefined {
  for (const m of legacyDeepMessages(bytes, 0)) {
    if (m.timestamp >= timestamp && m.offset >= startingOffset) {
      return { timestamp: m.timestamp, offset: m.offset, leaderEpoch: undefined };
    }
  }
  return undefined;
}

export { NO_TIMESTAMP };
