/**
 * One cleaning of one log (Kafka 2.8.2's Cleaner.doClean): the offset map is built over the dirty
 * section, then every segment up to the map's end is rewritten group by group (cleaner_plan.ts's
 * grouping) through the record filter (cleaner_filter.ts) into `<base>.*.cleaned` files, which are
 * fsynced, given the modification time of the group's last segment (the next delete horizon is
 * measured from it, as in Kafka) and swapped in (cleaner_swap.ts). Reads and writes go a chunk of
 * log.cleaner.io.buffer.size / 2 at a time, as Kafka's buffers do, and the event loop gets a turn
 * every few milliseconds so the broker keeps serving.
 *
 * @module
 */

import type { Logger } from "../../internal/log.ts";
import { CONTROL_MASK, TRANSACTIONAL_MASK } from "../protocol/records/attributes.ts";
import { legacyDeepMessages } from "../protocol/records/legacy.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { RecordCursor } from "../protocol/records/record.ts";
import { readBatchHeader } from "./_batch_headers.ts";
import {
  type CleanerStats,
  controlType,
  filterChunk,
  type LastRecord,
  newCleanerStats,
  OutputBuffer,
} from "./cleaner_filter.ts";
import {
  deleteHorizonMs,
  groupSegmentsBySize,
  logSegments,
  type SegmentStat,
} from "./cleaner_plan.ts";
import { removeSegmentFiles, type SwapStep } from "./cleaner_swap.ts";
import { CleanedTransactionMetadata } from "./cleaner_txn.ts";
import { producersOf } from "./cleaner_producers.ts";
import type { LogSegment } from "./log_segment.ts";
import type { OffsetMap } from "./offset_map.ts";
import { OffsetIndex } from "./offset_index.ts";
import type { PartitionLog } from "./partition_log.ts";
import type { AbortedTxn } from "./producer_state.ts";
import { segmentFileName } from "./segment_files.ts";
import { SegmentIndexer } from "./segment_indexer.ts";
import { TimeIndex } from "./time_index.ts";
import { decodeTransactionIndex, encodeAbortedTxn } from "./transaction_index.ts";

const LOGGER = "kafka.log.LogCleaner";

/** Thrown inside a pass that was told to stop (shutdown, or the log is being deleted). */
export class CleaningAbortedError extends Error {
  override name = "CleaningAbortedError";
}

/**
 * What a partition log may offer beyond segments once producer state is wired in: the cleaner
 * uses them when present (Kafka's lastStableOffset and lastRecordsOfActiveProducers) and
 * otherwise falls back to the high watermark and a scan of the batch headers.
 */
export interface ProducerStateHooks {
  readonly lastStableOffset?: number;
  lastRecordsOfActiveProducers?(): ReadonlyMap<number, LastRecord>;
}

/** How a pass runs. */
export interface PassOptions {
  map: OffsetMap;
  /** log.cleaner.io.buffer.load.factor */
  loadFactor: number;
  /** Bytes per read and per write buffer (log.cleaner.io.buffer.size / threads / 2). */
  ioBufferSize: number;
  log?: Logger;
  /** Checked between chunks: true aborts the pass. */
  shouldStop: () => boolean;
  /** Crash tests: called after each swap step. */
  onSwapStep?: (step: SwapStep) => void;
}

/** What a pass did. */
export interface PassResult {
  /** The next dirty offset: the checkpoint moves here. */
  endOffset: number;
  stats: CleanerStats;
  /** Milliseconds spent building the map, and in all. */
  mapMs: number;
  totalMs: number;
  /** Bytes in the cleaned segments before and after. */
  bytesBefore: number;
  bytesAfter: number;
  /** Share of the offset map's slots used. */
  bufferUtilization: number;
}

/** The numbers the plan needs of a segment. */
export function segmentStat(s: LogSegment): SegmentStat {
  return {
    baseOffset: s.baseOffset,
    size: s.size,
    offsetIndexBytes: s.offsetIndex.entries * 8,
    timeIndexBytes: s.timeIndex.entries * 12,
    largestTimestamp: s.largestTimestamp(),
    lastModified: s.lastModified(),
    firstBatchTimestamp: firstBatchTimestamp(s),
  };
}

/** The first batch's max timestamp (Kafka's rollingBasedTimestamp), undefined for none or v0. */
function firstBatchTimestamp(s: LogSegment): number | undefined {
  if (s.size < 26) return undefined;
  const b = s.readAt(0, Math.min(s.size, 61));
  const h = readBatchHeader(b, 0, b.length);
  if (typeof h !== "string") return h.maxTimestamp;
  // The batch is longer than what was read: its header fields are all in the first 61 bytes.
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = v.getInt8(16);
  const at = magic === 2 ? 35 : magic === 1 ? 18 : -1;
  if (at < 0 || b.length < at + 8) return undefined;
  return v.getInt32(at) * 4294967296 + v.getUint32(at + 4);
}

/** Walks the whole entries of a segment from `position`, a chunk at a time. */
class ChunkWalk {
  #bufferSize: number;
  constructor(readonly seg: LogSegment, public position: number, bufferSize: number) {
    this.#bufferSize = bufferSize;
  }

  /** The next chunk holding at least one whole entry, or undefined at the end. */
  next(): Uint8Array | undefined {
    const size = this.seg.size;
    if (this.position >= size) return undefined;
    let len = Math.min(this.#bufferSize, size - this.position);
    let chunk = this.seg.readAt(this.position, len);
    const h = readBatchHeader(chunk, 0, chunk.length);
    if (typeof h === "string") {
      // An entry larger than the buffer: grow to it, as Kafka's growBuffersOrFail.
      if (chunk.length < 12) {
        throw new Error(`${this.seg.path("log")}: truncated at ${this.position}`);
      }
      const need = 12 + new DataView(chunk.buffer, chunk.byteOffset).getInt32(8);
      if (need <= len || this.position + need > size) {
        throw new Error(`${this.seg.path("log")}: ${h} at position ${this.position}`);
      }
      len = need;
      chunk = this.seg.readAt(this.position, len);
    }
    return chunk;
  }
}

/**
 * Clean `log` from `firstDirtyOffset` up to `firstUncleanableOffset` (a segment base offset);
 * see the module doc. Throws CleaningAbortedError (the `.cleaned` files removed, the log as it
 * was apart from groups already swapped in) when told to stop.
 */
export async function cleanLog(
  log: PartitionLog,
  firstDirtyOffset: number,
  firstUncleanableOffset: number,
  o: PassOptions,
): Promise<PassResult> {
  const started = performance.now();
  const stats = newCleanerStats();
  const info = (m: string) => o.log?.info(LOGGER, m);
  info(`Beginning cleaning of log ${log.name}.`);
  const segs = [...log.segments];
  const stat = segs.map(segmentStat);
  const aborted = new AbortedTxnReader(log, segs);

  info(`Building offset map for ${log.name}...`);
  await buildOffsetMap(log, segs, firstDirtyOffset, firstUncleanableOffset, aborted, stats, o);
  const endOffset = o.map.latestOffset + 1;
  const mapMs = performance.now() - started;

  const c = log.config;
  const horizon = deleteHorizonMs(stat, firstDirtyOffset, c.deleteRetentionMs);
  const cleanableHorizon = logSegments(stat, 0, firstUncleanableOffset).at(-1)?.lastModified ?? 0;
  info(
    `Cleaning log ${log.name} (cleaning prior to ${new Date(cleanableHorizon)}, discarding ` +
      `tombstones prior to ${new Date(horizon)})...`,
  );
  const hooks = log as unknown as ProducerStateHooks;
  const producers = hooks.lastRecordsOfActiveProducers?.() ?? producersOf(segs).lastRecords;
  const txn = new CleanedTransactionMetadata();
  const toClean = logSegments(stat, 0, endOffset);
  const groups = groupSegmentsBySize(
    toClean,
    c.segmentBytes,
    c.segmentIndexBytes,
    firstUncleanableOffset,
  );
  let bytesBefore = 0;
  let bytesAfter = 0;
  const walker = new Yielder(o.shouldStop);
  for (const group of groups) {
    const members = group.map((g) => segs[stat.indexOf(g)]);
    const w = new CleanedSegmentWriter(log, members[0].baseOffset);
    try {
      for (let i = 0; i < members.length; i++) {
        const seg = members[i];
        const upper = members[i + 1]?.baseOffset ?? o.map.latestOffset + 1;
        txn.addAbortedTransactions(aborted.collect(seg.baseOffset, upper));
        const retain = group[i].lastModified > horizon;
        info(
          `Cleaning ${segmentText(seg)} in log ${log.name} into ${w.base} with deletion horizon ` +
            `${horizon}, ${retain ? "retaining" : "discarding"} deletes.`,
        );
        bytesBefore += seg.size;
        const ctx = {
          map: o.map,
          retainDeletesAndTxnMarkers: retain,
          txn,
          activeProducers: producers,
          stats,
        };
        const walk = new ChunkWalk(seg, 0, o.ioBufferSize);
        const out = new OutputBuffer();
        for (let chunk = walk.next(); chunk; chunk = walk.next()) {
          out.length = 0;
          const r = filterChunk(chunk, 0, chunk.length, ctx, out);
          stats.bytesRead += r.bytesRead;
          walk.position += r.bytesRead;
          if (out.length > 0) {
            w.append(out.view(), r.maxOffset, r.maxTimestamp, r.shallowOffsetOfMaxTimestamp);
          }
          await walker.maybeYield();
        }
      }
      w.finish(txn.takeRetainedAborts(), group[group.length - 1].lastModified);
      bytesAfter += w.size;
      stats.bytesWritten += w.size;
      if (o.shouldStop()) throw new CleaningAbortedError(`cleaning of ${log.name} stopped`);
      info(
        `Swapping in cleaned segment ${w.base} for segment(s) ${
          members.map((m) => m.baseOffset).join(",")
        } in log ${log.name}`,
      );
      if (!log.replaceSegments(w.base, members, o.onSwapStep)) {
        throw new CleaningAbortedError(`segments of ${log.name} were deleted while it was cleaned`);
      }
    } catch (e) {
      w.discard();
      throw e;
    }
  }
  return {
    endOffset,
    stats,
    mapMs,
    totalMs: performance.now() - started,
    bytesBefore,
    bytesAfter,
    bufferUtilization: o.map.utilization,
  };
}

function segmentText(s: LogSegment): string {
  return `LogSegment(baseOffset=${s.baseOffset}, size=${s.size}, lastModifiedTime=${s.lastModified()})`;
}

/** Gives the event loop a turn every few milliseconds; throws when the pass must stop. */
class Yielder {
  #last = performance.now();
  constructor(readonly shouldStop: () => boolean) {}

  async maybeYield(): Promise<void> {
    if (performance.now() - this.#last < 10) return;
    await new Promise((r) => setTimeout(r, 0));
    this.#last = performance.now();
    if (this.shouldStop()) throw new CleaningAbortedError("cleaning stopped");
  }
}

/** Kafka's buildOffsetMap: the latest offset of each key in [start, end), until the map is full. */
async function buildOffsetMap(
  log: PartitionLog,
  segs: readonly LogSegment[],
  start: number,
  end: number,
  aborted: AbortedTxnReader,
  stats: CleanerStats,
  o: PassOptions,
): Promise<void> {
  const map = o.map;
  map.clear();
  const dirty = logSegments(segs, start, end);
  o.log?.info(
    LOGGER,
    `Building offset map for log ${log.name} for ${dirty.length} segments in offset range [${start}, ${end}).`,
  );
  const txn = new CleanedTransactionMetadata();
  txn.addAbortedTransactions(aborted.collect(start, end));
  const maxDesired = Math.floor(map.slots * o.loadFactor);
  const y = new Yielder(o.shouldStop);
  for (let i = 0; i < dirty.length; i++) {
    const seg = dirty[i];
    const next = dirty[i + 1]?.baseOffset ?? end;
    const walk = new ChunkWalk(seg, seg.offsetIndex.lookup(start).position, o.ioBufferSize);
    for (let chunk = walk.next(); chunk; chunk = walk.next()) {
      let pos = 0;
      for (;;) {
        const h = readBatchHeader(chunk, pos, chunk.length);
        if (typeof h === "string") break;
        const entry = chunk.subarray(pos, pos + h.size);
        if (!mapEntry(entry, h.magic, start, map, maxDesired, txn, stats)) return;
        if (h.lastOffset >= start) map.updateLatestOffset(h.lastOffset);
        pos += h.size;
      }
      walk.position += pos;
      stats.mapBytesRead += pos;
      await y.maybeYield();
    }
    map.updateLatestOffset(next - 1);
  }
  o.log?.info(LOGGER, `Offset map for log ${log.name} complete.`);
}

/** One entry into the map; false when the map filled up (it stops mid-batch, as Kafka's). */
function mapEntry(
  entry: Uint8Array,
  magic: number,
  start: number,
  map: OffsetMap,
  maxDesired: number,
  txn: CleanedTransactionMetadata,
  stats: CleanerStats,
): boolean {
  if (magic !== 2) {
    const offset = Number(new DataView(entry.buffer, entry.byteOffset).getBigInt64(0));
    txn.onBatchRead(offset, -1, false);
    for (const m of legacyDeepMessages(entry, 0)) {
      if (m.key !== null && m.offset >= start) {
        if (map.size >= maxDesired) return false;
        map.put(m.key, 0, m.key.length, m.offset);
      }
      stats.mapMessagesRead++;
    }
    return true;
  }
  const batch = new RecordBatch(entry);
  const hd = batch.header;
  const lastOffset = hd.baseOffset + hd.lastOffsetDelta;
  if (hd.attributes & CONTROL_MASK) {
    let type: "ABORT" | "COMMIT" | "UNKNOWN" | undefined;
    if (hd.recordsCount > 0) {
      const c = batch.cursor();
      c.next();
      type = controlType(c.key());
    }
    txn.onControlBatchRead(lastOffset, hd.producerId, type);
    stats.mapMessagesRead++;
    return true;
  }
  if (txn.onBatchRead(lastOffset, hd.producerId, (hd.attributes & TRANSACTIONAL_MASK) !== 0)) {
    stats.mapMessagesRead += hd.recordsCount;
    return true;
  }
  const section = batch.recordsSection();
  const c = new RecordCursor(section, 0, section.length, hd.recordsCount);
  while (c.next()) {
    const offset = hd.baseOffset + c.offsetDelta;
    if (c.keyLength >= 0 && offset >= start) {
      if (map.size >= maxDesired) return false;
      map.put(section, c.keyStart, c.keyLength, offset);
    }
    stats.mapMessagesRead++;
  }
  return true;
}

/** Reads the segments' `.txnindex` files once per pass (Kafka's collectAbortedTransactions). */
class AbortedTxnReader {
  #cache = new Map<number, AbortedTxn[]>();
  constructor(readonly log: PartitionLog, readonly segs: readonly LogSegment[]) {}

  /** Aborted transactions from the segment holding `start` on, overlapping [logStart, upper). */
  collect(start: number, upper: number): AbortedTxn[] {
    const out: AbortedTxn[] = [];
    let i = 0;
    while (i + 1 < this.segs.length && this.segs[i + 1].baseOffset <= start) i++;
    const from = this.log.logStartOffset;
    for (; i < this.segs.length; i++) {
      for (const t of this.#read(this.segs[i].baseOffset)) {
        if (t.lastOffset >= from && t.firstOffset < upper) out.push(t);
        if (t.lastStableOffset >= upper) return out;
      }
    }
    return out;
  }

  #read(base: number): AbortedTxn[] {
    let entries = this.#cache.get(base);
    if (entries) return entries;
    const path = `${this.log.dir}/${segmentFileName(base, "txnindex")}`;
    try {
      entries = decodeTransactionIndex(Deno.readFileSync(path), path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      entries = [];
    }
    this.#cache.set(base, entries);
    return entries;
  }
}

/** The `.cleaned` files of one group, written as Kafka's cleaner appends to its new segment. */
class CleanedSegmentWriter {
  readonly #file: Deno.FsFile;
  readonly #indexer: SegmentIndexer;
  #closed = false;
  size = 0;

  constructor(readonly log: PartitionLog, readonly base: number) {
    removeSegmentFiles(log.dir, base, ".cleaned");
    const c = log.config;
    this.#file = Deno.openSync(this.#path("log"), {
      read: true,
      write: true,
      create: true,
      truncate: true,
    });
    this.#indexer = new SegmentIndexer(
      OffsetIndex.open(this.#path("index"), base, c.segmentIndexBytes),
      TimeIndex.open(this.#path("timeindex"), base, c.segmentIndexBytes),
      c.indexIntervalBytes,
    );
  }

  #path(kind: "log" | "index" | "timeindex" | "txnindex"): string {
    return `${this.log.dir}/${segmentFileName(this.base, kind, ".cleaned")}`;
  }

  /** One chunk's output as one append (Kafka's dest.append: one index entry at most). */
  append(bytes: Uint8Array, maxOffset: number, maxTimestamp: number, offsetOfMax: number): void {
    if (maxOffset - this.base > 0x7fffffff) {
      throw new Error(
        `offset ${maxOffset} does not fit a segment based at ${this.base} (Kafka splits the segment)`,
      );
    }
    for (let done = 0; done < bytes.length;) done += this.#file.writeSync(bytes.subarray(done));
    this.#indexer.onAppend({
      position: this.size,
      size: bytes.length,
      lastOffset: maxOffset,
      maxTimestamp,
      offsetOfMaxTimestamp: offsetOfMax,
    });
    this.size += bytes.length;
  }

  /** Final time index entry, the `.txnindex`, fsync everything, and the old modification time. */
  finish(aborts: readonly AbortedTxn[], lastModified: number): void {
    this.#indexer.onBecomeInactive();
    this.#file.syncDataSync();
    this.#indexer.offsetIndex.flush();
    this.#indexer.timeIndex.flush();
    if (aborts.length > 0) {
      const bytes = new Uint8Array(aborts.length * 34);
      aborts.forEach((t, i) => bytes.set(encodeAbortedTxn(t), i * 34));
      const f = Deno.openSync(this.#path("txnindex"), {
        write: true,
        create: true,
        truncate: true,
      });
      try {
        for (let done = 0; done < bytes.length;) done += f.writeSync(bytes.subarray(done));
        f.syncDataSync();
      } finally {
        f.close();
      }
    }
    this.#close();
    const when = new Date(lastModified);
    for (const k of ["log", "index", "timeindex"] as const) {
      Deno.utimeSync(this.#path(k), when, when);
    }
  }

  /** Give up: close and remove the `.cleaned` files. */
  discard(): void {
    this.#close();
    removeSegmentFiles(this.log.dir, this.base, ".cleaned");
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#indexer.close();
    } finally {
      this.#file.close();
    }
  }
}
