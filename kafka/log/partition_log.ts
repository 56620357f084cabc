/**
 * One partition's log on disk (Kafka 2.8.2's kafka.log.Log): segments in `<log.dir>/<topic>-<p>/`,
 * appends validated and offset-assigned by the records codec, sparse indexes, the leader epoch
 * cache and its checkpoint, rolling, reads, lookups by time, retention and DeleteRecords.
 *
 * Appends are cheap and ordered: offsets, index entries and the segment position are assigned at
 * once; the bytes of every append made in the same turn of the event loop go to the file in one
 * write (a microtask later); an fsync (`FsFile.syncData`) is shared by every append waiting for one
 * (group commit). Three offsets say how far things got: the log end offset (written to the file,
 * readable), the synced offset (fsynced), and the high watermark (acknowledged: written, and
 * fsynced when flush.messages asks for it). The recovery point moves only when the indexes are
 * fsynced too (a full flush: roll, flush.ms, shutdown), so recovery after a crash rebuilds every
 * index that might be stale.
 *
 * Producer state (producer_state_store.ts) is checked on every append: a retried batch of an
 * idempotent producer is answered with its original offsets and not written again, sequence gaps
 * and old epochs are refused; transaction markers end transactions, an abort goes to the
 * segment's `.txnindex`, and the last stable offset bounds read_committed consumers. Snapshots
 * (`<offset>.snapshot`) are written at each roll and at close, as Kafka's Log does.
 *
 * @module
 */

import type { Clock } from "../../internal/clock.ts";
import type { Logger } from "../../internal/log.ts";
import { validateAndAssignOffsets } from "../protocol/records/validate.ts";
import type { AppendOrigin } from "../protocol/records/validate.ts";
import { type LogConfig, maxSegmentMs, targetCompression } from "./log_config.ts";
import { LogSegment, type SegmentOptions, type TimestampAndOffset } from "./log_segment.ts";
import { LeaderEpochCache } from "./leader_epoch_cache.ts";
import { loadSegmentFiles } from "./log_loader.ts";
import {
  KafkaStorageError,
  OffsetOutOfRangeError,
  RecordBatchTooLargeError,
} from "./log_errors.ts";
import { partitionDirName, type TopicPartition } from "./segment_files.ts";
import { readPartitionMetadata, writePartitionMetadata } from "./partition_metadata.ts";
import { deleteOldSegments, type RetentionReason } from "./_retention.ts";
import { producerBatches } from "./producer_batch.ts";
import type { AbortedTxn } from "./producer_state.ts";
import { ProducerStateStore } from "./producer_state_store.ts";
import { type AbortedTransaction, collectAbortedTransactions } from "./transaction_index.ts";
import { renameSegmentFiles, type SwapStep } from "./cleaner_swap.ts";

export type { TimestampAndOffset } from "./log_segment.ts";

/** How a partition log is opened. */
export interface PartitionLogOptions {
  topicPartition: TopicPartition;
  config: LogConfig;
  clock: Clock;
  /** From recovery-point-offset-checkpoint; recovery after a crash starts there. */
  recoveryPoint?: number;
  /** From log-start-offset-checkpoint. */
  logStartOffset?: number;
  /** `.kafka_cleanshutdown` was there: no recovery, only index checks. */
  hadCleanShutdown: boolean;
  /** The topic id for partition.metadata (written when missing). */
  topicId?: string;
  log?: Logger;
  /** transactional.id.expiration.ms: producers idle this long are forgotten (default 7 days). */
  producerIdExpirationMs?: number;
  /** A source of randomness in [0, 1) for segment.jitter.ms (tests pin it). */
  random?: () => number;
}

/** What an append did (the Produce response's fields). */
export interface AppendResult {
  /** The first offset assigned, or -1 when there were no records. */
  baseOffset: number;
  lastOffset: number;
  /** The append time stamped on LogAppendTime topics, else -1. */
  logAppendTime: number;
  logStartOffset: number;
  recordCount: number;
}

/** What a read returns. */
export interface ReadResult {
  /** Whole batches from the one holding the fetch offset (empty when there are none). */
  records: Uint8Array;
  highWatermark: number;
  logStartOffset: number;
  logEndOffset: number;
}

/** One append waiting for its write. */
interface Queued {
  seg: LogSegment;
  bytes: Uint8Array;
  endOffset: number;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

const LOGGER = "kafka.log.Log";

/** A partition's log. */
export class PartitionLog {
  #config: LogConfig;
  #segments: LogSegment[];
  #nextOffset: number;
  #logEndOffset: number;
  #syncedOffset: number;
  #highWatermark: number;
  #recoveryPoint: number;
  #logStartOffset: number;
  #lastFlushTime: number;
  #queue: Queued[] = [];
  #group: Deferred | undefined;
  #staging = new Uint8Array(64 * 1024);
  #syncing: Promise<void> | undefined;
  #fullFlushing: Promise<void> = Promise.resolve();
  #failed: KafkaStorageError | undefined;
  #closed = false;
  #pendingDeletes: { paths: string[]; due: number }[] = [];
  /** `.txnindex` appends and snapshot writes, one after the other. */
  #fileWrites: Promise<void> = Promise.resolve();
  readonly #producers: ProducerStateStore;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #log: Logger | undefined;
  readonly epochs: LeaderEpochCache;
  readonly name: string;

  private constructor(
    readonly dir: string,
    readonly topicPartition: TopicPartition,
    readonly topicId: string | undefined,
    o: PartitionLogOptions,
    segments: LogSegment[],
    epochs: LeaderEpochCache,
    logStartOffset: number,
    producers: ProducerStateStore,
  ) {
    this.#producers = producers;
    this.#config = o.config;
    this.#clock = o.clock;
    this.#random = o.random ?? Math.random;
    this.#log = o.log;
    this.#segments = segments;
    this.epochs = epochs;
    this.name = partitionDirName(topicPartition);
    const leo = segments.at(-1)!.nextOffset;
    this.#nextOffset = leo;
    this.#logEndOffset = leo;
    this.#syncedOffset = leo;
    this.#recoveryPoint = leo;
    this.#highWatermark = leo;
    producers.state.onHighWatermarkUpdated(leo);
    this.#logStartOffset = logStartOffset;
    this.#lastFlushTime = o.clock.now();
  }

  /**
   * Open (or create) the log in `dir`: load and, where needed, recover its segments (see
   * log_loader.ts). Throws SegmentDamageError, having changed nothing, when recovery would cut
   * valid data.
   */
  static async open(dir: string, o: PartitionLogOptions): Promise<PartitionLog> {
    await Deno.mkdir(dir, { recursive: true });
    const tp = o.topicPartition;
    const logIdent = `[Log partition=${partitionDirName(tp)}, dir=${parentOf(dir)}]`;
    const loaded = await loadSegmentFiles(dir, {
      recoveryPoint: o.recoveryPoint ?? 0,
      hadCleanShutdown: o.hadCleanShutdown,
      indexIntervalBytes: o.config.indexIntervalBytes,
      maxIndexSize: o.config.segmentIndexBytes,
      logIdent,
      log: o.log,
    });
    const random = o.random ?? Math.random;
    const segOpts = (): SegmentOptions => ({
      indexIntervalBytes: o.config.indexIntervalBytes,
      maxIndexSize: o.config.segmentIndexBytes,
      rollJitterMs: jitter(o.config, random),
      now: o.clock.now(),
    });
    const segments: LogSegment[] = [];
    try {
      const bases = loaded.baseOffsets;
      for (let i = 0; i < bases.length; i++) {
        segments.push(LogSegment.open(dir, bases[i], segOpts(), i === bases.length - 1));
      }
      let logStart = Math.max(o.logStartOffset ?? 0, segments[0]?.baseOffset ?? 0);
      const leo = segments.at(-1)?.nextOffset ?? logStart;
      if (segments.length && leo < logStart) {
        o.log?.warn(
          LOGGER,
          `${logIdent} Deleting all segments because logEndOffset (${leo}) is smaller than ` +
            `logStartOffset (${logStart}). This could happen if segment files were deleted from the file system.`,
        );
        for (const s of segments.splice(0)) for (const p of s.renameToDeleted()) Deno.removeSync(p);
      }
      // An empty last segment starting past the end of the one before it is a roll whose earlier
      // appends never reached the disk (a crash, or a power cut before their fsync): reading
      // would find a hole below the log end offset. Kafka never writes one; drop it.
      while (segments.length > 1) {
        const last = segments.at(-1)!;
        if (last.size > 0 || last.baseOffset <= segments.at(-2)!.nextOffset) break;
        o.log?.warn(
          LOGGER,
          `${logIdent} Deleting empty segment ${last.baseOffset}: the segment before it ends at ${
            segments.at(-2)!.nextOffset
          }`,
        );
        segments.pop();
        for (const p of last.renameToDeleted()) Deno.removeSync(p);
      }
      if (segments.length === 0) segments.push(LogSegment.create(dir, logStart, segOpts()));
      logStart = Math.max(logStart, segments[0].baseOffset);
      const epochs = await LeaderEpochCache.load(dir);
      epochs.truncateFromEnd(segments.at(-1)!.nextOffset);
      epochs.truncateFromStart(logStart);
      await epochs.written();
      if (o.topicId !== undefined) await ensureTopicId(dir, o.topicId);
      const producers = await loadProducerState(dir, o, segments, logStart, loaded, logIdent);
      return new PartitionLog(dir, tp, o.topicId, o, segments, epochs, logStart, producers);
    } catch (e) {
      for (const s of segments) s.close();
      throw e;
    }
  }

  /** The settings the log runs with. */
  get config(): LogConfig {
    return this.#config;
  }

  /** New topic settings (an AlterConfigs): they apply from the next append or roll. */
  updateConfig(c: LogConfig): void {
    this.#config = c;
  }

  /** The first offset a consumer can read. */
  get logStartOffset(): number {
    return this.#logStartOffset;
  }

  /** The offset after the last record written to the file. */
  get logEndOffset(): number {
    return this.#logEndOffset;
  }

  /** The offset up to which records are acknowledged (LEO of this broker, as it runs alone). */
  get highWatermark(): number {
    return this.#highWatermark;
  }

  /** Set the high watermark (replication will move it; it never passes the log end offset). */
  updateHighWatermark(offset: number): void {
    this.#highWatermark = Math.min(Math.max(offset, this.#logStartOffset), this.#logEndOffset);
    this.#producers.state.onHighWatermarkUpdated(this.#highWatermark);
  }

  /**
   * The offset read_committed consumers read up to: the first offset of a transaction not yet
   * decided (or whose marker is not yet acknowledged), else the high watermark.
   */
  get lastStableOffset(): number {
    return this.#producers.state.lastStableOffset(this.#highWatermark);
  }

  /** The partition's producer state and its snapshot files. */
  get producerState(): ProducerStateStore {
    return this.#producers;
  }

  /**
   * The aborted transactions a read_committed fetch from `fetchOffset` must be told of, for
   * records read up to `upperBoundOffset` (exclusive), from the segments' `.txnindex` (Kafka's
   * collectAbortedTransactions).
   */
  abortedTransactions(fetchOffset: number, upperBoundOffset: number): AbortedTransaction[] {
    this.#checkOpen();
    const from = this.#segmentIndexFor(fetchOffset);
    return collectAbortedTransactions(
      this.#segments.slice(from).map((s) => s.txnIndex),
      fetchOffset,
      upperBoundOffset,
    );
  }

  /**
   * Forgets producers idle for transactional.id.expiration.ms without an open transaction (the
   * LogManager calls it every 10 minutes); how many.
   */
  removeExpiredProducers(now: number = this.#clock.now()): number {
    return this.#producers.state.removeExpiredProducers(now);
  }

  /** Up to where data and indexes are known to be on disk. */
  get recoveryPoint(): number {
    return this.#recoveryPoint;
  }

  /** The clock time of the last full flush. */
  get lastFlushTime(): number {
    return this.#lastFlushTime;
  }

  /** The segments' base offsets, oldest first. */
  get segmentBaseOffsets(): number[] {
    return this.#segments.map((s) => s.baseOffset);
  }

  /** Bytes in all segments (DescribeLogDirs' size, retention.bytes' measure). */
  get size(): number {
    let n = 0;
    for (const s of this.#segments) n += s.size;
    return n;
  }

  /**
   * Validate `records` (the topic's timestamp type, max.message.bytes, compression.type, keys
   * for compacted topics), assign offsets, append. Resolves once the records are in the file, and
   * fsynced when flush.messages asks for it; rejects with the codec's RecordsError (nothing
   * appended) for bad input. `records` may be patched in place and must stay untouched until the
   * promise settles.
   */
  async appendAsLeader(
    records: Uint8Array,
    leaderEpoch: number,
    origin: AppendOrigin = "client",
  ): Promise<AppendResult> {
    this.#checkWritable();
    const c = this.#config;
    const now = this.#clock.now();
    const v = validateAndAssignOffsets(records, {
      nextOffset: this.#nextOffset,
      now,
      timestampType: c.messageTimestampType,
      timestampDiffMaxMs: c.messageTimestampDifferenceMaxMs,
      partitionLeaderEpoch: leaderEpoch,
      compacted: c.cleanupPolicy.includes("compact"),
      maxMessageBytes: c.maxMessageBytes,
      targetCompression: targetCompression(c.compressionType),
      origin,
      topicPartition: this.name,
    });
    const logAppendTime = c.messageTimestampType === "LogAppendTime" ? now : -1;
    if (v.recordCount === 0 || v.records.length === 0) {
      return {
        baseOffset: -1,
        lastOffset: -1,
        logAppendTime: -1,
        logStartOffset: this.#logStartOffset,
        recordCount: 0,
      };
    }
    // Throws ProducerStateError (a RecordsError: nothing appended) for a sequence gap, an old
    // epoch, a plain write inside a transaction or a fenced coordinator.
    const check = this.#producers.state.prepareAppend(producerBatches(v.records), origin);
    if ("duplicate" in check) {
      // A retry of a batch already written: Kafka answers its offsets, with its max timestamp as
      // the append time, and writes nothing.
      const d = check.duplicate;
      return {
        baseOffset: d.firstOffset,
        lastOffset: d.lastOffset,
        logAppendTime: d.timestamp,
        logStartOffset: this.#logStartOffset,
        recordCount: 0,
      };
    }
    const size = v.records.length;
    if (size > c.segmentBytes) {
      throw new RecordBatchTooLargeError(
        `Message batch size is ${size} bytes in append to partition ${this.name}, which exceeds the maximum configured segment size of ${c.segmentBytes}.`,
      );
    }
    let seg = this.#segments.at(-1)!;
    if (this.#shouldRoll(seg, size, v.maxTimestamp, v.lastOffset, now)) seg = this.#roll(now);
    seg.reserve(size, v.lastOffset, v.maxTimestamp, v.offsetOfMaxTimestamp);
    const end = v.lastOffset + 1;
    this.#nextOffset = end;
    const newEpoch = this.epochs.assign(leaderEpoch, v.firstOffset);
    const aborted = this.#producers.state.commitAppend(check.append, end);
    const written = this.#enqueue(seg, v.records, end);
    if (aborted.length > 0) this.#appendAborts(seg, aborted);
    await written;
    if (newEpoch) await this.epochs.written();
    if (end - this.#syncedOffset >= c.flushMessages) await this.#syncData(end);
    // The abort is in the .txnindex before the high watermark passes its marker, so a
    // read_committed fetch never reads the aborted records without their abort listed.
    if (aborted.length > 0) await this.#fileWrites;
    if (end > this.#highWatermark) {
      this.#highWatermark = end;
      this.#producers.state.onHighWatermarkUpdated(end);
    }
    return {
      baseOffset: v.firstOffset,
      lastOffset: v.lastOffset,
      logAppendTime,
      logStartOffset: this.#logStartOffset,
      recordCount: v.recordCount,
    };
  }

  /**
   * Whole batches from the one holding `fetchOffset`, up to `maxBytes` (the first batch whole
   * even if larger, with `minOneMessage`), none at or past `maxOffset` (the high watermark or last
   * stable offset for consumers; the log end offset when absent). OffsetOutOfRangeError outside
   * [logStartOffset, logEndOffset]. With `pooled`, `records` may be a view of a pooled buffer
   * (read_pool.ts): give it back with giveReadBuffer once it is written out.
   */
  read(
    fetchOffset: number,
    maxBytes: number,
    o: { minOneMessage: boolean; maxOffset?: number; pooled?: boolean },
  ): Promise<ReadResult> {
    try {
      return Promise.resolve(this.readSync(fetchOffset, maxBytes, o));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** {@linkcode read} without the promise: reads are positioned reads of the page cache. */
  readSync(
    fetchOffset: number,
    maxBytes: number,
    o: { minOneMessage: boolean; maxOffset?: number; pooled?: boolean },
  ): ReadResult {
    this.#checkOpen();
    const leo = this.#logEndOffset;
    const result = (records: Uint8Array): ReadResult => ({
      records,
      highWatermark: this.#highWatermark,
      logStartOffset: this.#logStartOffset,
      logEndOffset: leo,
    });
    if (fetchOffset < this.#logStartOffset || fetchOffset > leo) {
      throw new OffsetOutOfRangeError(
        `Received request for offset ${fetchOffset} for partition ${this.name}, but we only have log segments in the range ${this.#logStartOffset} to ${leo}.`,
      );
    }
    const maxOffset = Math.min(o.maxOffset ?? leo, leo);
    for (let i = this.#segmentIndexFor(fetchOffset); i < this.#segments.length; i++) {
      const seg = this.#segments[i];
      if (seg.baseOffset >= maxOffset) break;
      const r = seg.read(fetchOffset, maxBytes, maxOffset, o.minOneMessage, o.pooled ?? false);
      if (r) return result(r);
    }
    return result(new Uint8Array(0));
  }

  /**
   * ListOffsets for one timestamp, as Kafka 2.8's fetchOffsetByTimestamp: -2 the log start offset
   * (with the earliest epoch if it starts there), -1 the log end offset (with the latest epoch;
   * the handler bounds it by the high watermark or LSO), otherwise the first record with a
   * timestamp at or above `ts`, or undefined when there is none.
   */
  offsetForTimestamp(ts: number): Promise<TimestampAndOffset | undefined> {
    this.#checkOpen();
    if (ts === -2) {
      const first = this.epochs.earliestEntry;
      const epoch = first && first.startOffset <= this.#logStartOffset ? first.epoch : undefined;
      return Promise.resolve({ timestamp: -1, offset: this.#logStartOffset, leaderEpoch: epoch });
    }
    if (ts === -1) {
      return Promise.resolve({
        timestamp: -1,
        offset: this.#logEndOffset,
        leaderEpoch: this.epochs.latestEpoch,
      });
    }
    try {
      const seg = this.#segments.find((s) => s.largestTimestamp() >= ts);
      return Promise.resolve(seg?.findOffsetByTimestamp(ts, this.#logStartOffset));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** OffsetForLeaderEpoch: where `epoch` ended ({-1, -1} when unknown). */
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: number } {
    return this.epochs.endOffsetFor(epoch, this.#logEndOffset);
  }

  /**
   * DeleteRecords: raise the log start offset to `offset` (-1: the high watermark) and delete
   * the segments wholly below it. Resolves with the new log start offset (the low watermark).
   */
  async deleteRecordsBefore(offset: number): Promise<number> {
    this.#checkWritable();
    const target = offset === -1 ? this.#highWatermark : offset;
    if (target < 0) {
      throw new OffsetOutOfRangeError(
        `The offset ${offset} for partition ${this.name} is not valid`,
      );
    }
    if (target > this.#highWatermark) {
      throw new OffsetOutOfRangeError(
        `Cannot increment the log start offset to ${target} of partition ${this.name} since it is larger than the high watermark ${this.#highWatermark}`,
      );
    }
    this.#maybeIncrementLogStartOffset(target, "client delete records request");
    await this.#deleteSegments("start-offset", this.#clock.now());
    await this.epochs.written();
    await this.#fileWrites;
    return this.#logStartOffset;
  }

  /**
   * Retention (Kafka's deleteOldSegments): segments below the log start offset, then, for
   * cleanup.policy=delete, oldest segments past retention.bytes and those whose largest timestamp
   * is older than retention.ms. Rolls first when every segment goes, as Kafka does. Also deletes
   * `.deleted` files whose file.delete.delay.ms has passed. Resolves with the segments deleted.
   */
  async enforceRetention(now: number = this.#clock.now()): Promise<number> {
    this.#checkWritable();
    let n = await this.#deleteSegments("start-offset", now);
    if (this.#config.cleanupPolicy.includes("delete")) {
      n += await this.#deleteSegments("size", now);
      n += await this.#deleteSegments("time", now);
    }
    this.runDueDeletions(now);
    return n;
  }

  /** Remove `.deleted` files that have waited file.delete.delay.ms (all with `all`). */
  runDueDeletions(now: number, all = false): void {
    const keep: { paths: string[]; due: number }[] = [];
    for (const d of this.#pendingDeletes) {
      if (!all && d.due > now) {
        keep.push(d);
        continue;
      }
      for (const p of d.paths) {
        try {
          Deno.removeSync(p);
        } catch (e) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      }
    }
    this.#pendingDeletes = keep;
  }

  /**
   * Make everything written durable, indexes included, and move the recovery point (what
   * flush.ms, a roll and shutdown do). Concurrent callers share the fsyncs.
   */
  async flush(): Promise<void> {
    this.#checkOpen();
    await this.#syncData(this.#nextOffset);
    const run = this.#fullFlushing.then(() => this.#flushIndexes());
    this.#fullFlushing = run.catch(() => {});
    await run;
  }

  /**
   * Wait for queued writes, write the producer state snapshot at the log end (Kafka's Log.close),
   * then close the files. The log is unusable after.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#group) await this.#group.promise.catch(() => {});
    await this.#syncing?.catch(() => {});
    await this.#fullFlushing;
    await this.epochs.written().catch(() => {});
    await this.#fileWrites;
    if (!this.#failed) {
      await this.#producers.takeSnapshot().catch((e) =>
        this.#log?.warn(LOGGER, `Error writing the producer snapshot of ${this.name}: ${e}`)
      );
    }
    this.#closed = true;
    for (const s of this.#segments) s.close();
  }

  /** Close and remove the log's directory with everything in it. */
  async delete(): Promise<void> {
    await this.close();
    await Deno.remove(this.dir, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }

  // ---- appends ---------------------------------------------------------------------------

  #shouldRoll(
    seg: LogSegment,
    size: number,
    maxTimestamp: number,
    lastOffset: number,
    now: number,
  ): boolean {
    const c = this.#config;
    const pos = seg.appendPosition;
    const reachedMs = seg.timeWaitedForRoll(now, maxTimestamp) > maxSegmentMs(c) - seg.rollJitterMs;
    return pos > c.segmentBytes - size || (pos > 0 && reachedMs) || seg.offsetIndex.isFull ||
      seg.timeIndex.isFull || !seg.offsetIndex.canAppendOffset(lastOffset);
  }

  /** Start a new segment at the next offset; the old one is flushed in the background. */
  #roll(now: number): LogSegment {
    const old = this.#segments.at(-1)!;
    const base = this.#nextOffset;
    // Appends still queued for the old segment go to disk before the new file exists, so a crash
    // never leaves a new segment behind a hole in the old one.
    this.#drain();
    old.onBecomeInactive();
    if (old.appendPosition === 0) {
      // Kafka replaces an empty active segment rather than leave an empty one behind.
      this.#segments.pop();
      for (const p of old.renameToDeleted()) Deno.removeSync(p);
    }
    const seg = LogSegment.create(this.dir, base, {
      indexIntervalBytes: this.#config.indexIntervalBytes,
      maxIndexSize: this.#config.segmentIndexBytes,
      rollJitterMs: jitter(this.#config, this.#random),
      now,
    });
    this.#segments.push(seg);
    // Kafka's roll snapshots producer state at the new base offset: the state is captured now,
    // before the append that rolled is applied; the file is written in the background.
    this.#background(this.#producers.snapshotAt(base));
    this.#log?.info(
      LOGGER,
      `[Log partition=${this.name}, dir=${
        parentOf(this.dir)
      }] Rolled new log segment at offset ${base}.`,
    );
    // Kafka schedules flush(newOffset) at a roll: the finished segment goes to disk.
    this.flush().catch((e) => this.#fail(e));
    return seg;
  }

  /** Queues `.txnindex` entries for `seg` (written in order, after earlier ones). */
  #appendAborts(seg: LogSegment, aborted: readonly AbortedTxn[]): void {
    this.#background(async () => {
      for (const a of aborted) await seg.txnIndex.append(a);
    });
  }

  /**
   * Runs a file write after the ones queued before it (or waits for one already started, which
   * writes a file of its own); a failure fails the log.
   */
  #background(write: (() => Promise<void>) | Promise<void>): void {
    const run = typeof write === "function"
      ? this.#fileWrites.then(write)
      : Promise.all([this.#fileWrites, write]).then(() => {});
    this.#fileWrites = run.catch((e) => {
      this.#fail(e);
    });
  }

  #enqueue(seg: LogSegment, bytes: Uint8Array, endOffset: number): Promise<void> {
    this.#queue.push({ seg, bytes, endOffset });
    if (!this.#group) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#group = { promise, resolve, reject };
      queueMicrotask(() => this.#drain());
    }
    return this.#group.promise;
  }

  /** Write every queued append: runs for one segment in one write. */
  #drain(): void {
    const group = this.#group;
    if (!group) return;
    const queue = this.#queue;
    this.#group = undefined;
    this.#queue = [];
    try {
      if (this.#failed) throw this.#failed;
      for (let i = 0; i < queue.length;) {
        let j = i + 1;
        let bytes = queue[i].bytes.length;
        while (j < queue.length && queue[j].seg === queue[i].seg) bytes += queue[j++].bytes.length;
        queue[i].seg.writeReserved(j === i + 1 ? queue[i].bytes : this.#stage(queue, i, j, bytes));
        this.#logEndOffset = queue[j - 1].endOffset;
        i = j;
      }
      group.resolve();
    } catch (e) {
      group.reject(this.#fail(e));
    }
  }

  /** Copy appends i…j-1 into the reused staging buffer, for one write. */
  #stage(queue: Queued[], i: number, j: number, bytes: number): Uint8Array {
    if (this.#staging.length < bytes) {
      this.#staging = new Uint8Array(Math.max(bytes, this.#staging.length * 2));
    }
    let at = 0;
    for (let k = i; k < j; k++) {
      this.#staging.set(queue[k].bytes, at);
      at += queue[k].bytes.length;
    }
    return this.#staging.subarray(0, bytes);
  }

  // ---- durability ------------------------------------------------------------------------

  /** Group commit: resolves once everything up to `upTo` is written and fsynced. */
  async #syncData(upTo: number): Promise<void> {
    if (this.#group) await this.#group.promise;
    upTo = Math.min(upTo, this.#logEndOffset);
    while (this.#syncedOffset < upTo) {
      this.#checkWritable();
      if (!this.#syncing) {
        this.#syncing = this.#syncOnce().finally(() => this.#syncing = undefined);
      }
      await this.#syncing;
    }
  }

  async #syncOnce(): Promise<void> {
    const target = this.#logEndOffset;
    const from = this.#syncedOffset;
    const segs = this.#segments.filter((s, i) =>
      s.baseOffset < target && (this.#segments[i + 1]?.baseOffset ?? Infinity) > from
    );
    try {
      await Promise.all(segs.map((s) => s.flushLog()));
    } catch (e) {
      throw this.#fail(e);
    }
    if (target > this.#syncedOffset) this.#syncedOffset = target;
  }

  async #flushIndexes(): Promise<void> {
    const target = this.#syncedOffset;
    if (target <= this.#recoveryPoint) return;
    const from = this.#recoveryPoint;
    const segs = this.#segments.filter((s, i) =>
      s.baseOffset < target && (this.#segments[i + 1]?.baseOffset ?? Infinity) > from
    );
    try {
      await Promise.all(segs.map((s) => s.flushIndexes()));
    } catch (e) {
      throw this.#fail(e);
    }
    if (target > this.#recoveryPoint) this.#recoveryPoint = target;
    this.#lastFlushTime = this.#clock.now();
  }

  // ---- deletion --------------------------------------------------------------------------

  #maybeIncrementLogStartOffset(offset: number, reason: string): void {
    if (offset <= this.#logStartOffset) return;
    this.#log?.info(
      LOGGER,
      `[Log partition=${this.name}, dir=${
        parentOf(this.dir)
      }] Incremented log start offset to ${offset} due to ${reason}`,
    );
    this.#logStartOffset = offset;
    this.epochs.truncateFromStart(offset);
    const producers = this.#producers;
    this.#background(async () => {
      await producers.files.deleteBefore(offset);
      producers.state.onLogStartOffsetIncremented(offset, producers.files.latest());
    });
  }

  async #deleteSegments(reason: RetentionReason, now: number): Promise<number> {
    const deletable = deleteOldSegments(reason, {
      segments: this.#segments,
      config: this.#config,
      now,
      highWatermark: this.#highWatermark,
      logEndOffset: this.#nextOffset,
      logStartOffset: this.#logStartOffset,
    });
    if (deletable.length === 0) return 0;
    this.#log?.info(
      LOGGER,
      `[Log partition=${this.name}, dir=${
        parentOf(this.dir)
      }] Found deletable segments with base offsets [${
        deletable.map((s) => s.baseOffset).join(",")
      }] due to ${reasonText(reason, this.#config)}`,
    );
    if (deletable.length === this.#segments.length) this.#roll(now);
    this.#segments = this.#segments.slice(deletable.length);
    for (const s of deletable) {
      this.#pendingDeletes.push({
        paths: s.renameToDeleted(),
        due: now + this.#config.fileDeleteDelayMs,
      });
    }
    this.#maybeIncrementLogStartOffset(this.#segments[0].baseOffset, "segment deletion");
    await this.epochs.written();
    await this.#fileWrites;
    return deletable.length;
  }

  // ---- the log cleaner (log_cleaner.ts) ---------------------------------------------------

  /** The segments, oldest first; the last is the active one (what the log cleaner reads). */
  get segments(): readonly LogSegment[] {
    return this.#segments;
  }

  /**
   * Swap the cleaned segment `<base>.*.cleaned` in for `old` (consecutive, the active segment never
   * among them) crash-safely, as Kafka's replaceSegments (cleaner_swap.ts): the old segments'
   * files wait as `.deleted` for file.delete.delay.ms. False, with nothing changed, when `old` is
   * no longer what the log holds (retention or DeleteRecords removed some meanwhile).
   */
  replaceSegments(
    base: number,
    old: readonly LogSegment[],
    onStep?: (step: SwapStep) => void,
  ): boolean {
    this.#checkWritable();
    const at = this.#segments.indexOf(old[0]);
    if (
      at < 0 || at + old.length >= this.#segments.length ||
      old.some((s, i) => this.#segments[at + i] !== s)
    ) return false;
    try {
      onStep?.("cleaned");
      renameSegmentFiles(this.dir, base, ".cleaned", ".swap");
      onStep?.("swap");
      const due = this.#clock.now() + this.#config.fileDeleteDelayMs;
      for (const s of old) this.#pendingDeletes.push({ paths: s.renameToDeleted(), due });
      onStep?.("deleted");
      renameSegmentFiles(this.dir, base, ".swap", "");
      onStep?.("installed");
      const seg = LogSegment.open(this.dir, base, {
        indexIntervalBytes: this.#config.indexIntervalBytes,
        maxIndexSize: this.#config.segmentIndexBytes,
        rollJitterMs: 0,
        now: this.#clock.now(),
      }, false);
      this.#segments.splice(at, old.length, seg);
    } catch (e) {
      throw this.#fail(e);
    }
    return true;
  }

  // ---- helpers ---------------------------------------------------------------------------

  #segmentIndexFor(offset: number): number {
    const segs = this.#segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (segs[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #fail(e: unknown): KafkaStorageError {
    if (e instanceof KafkaStorageError) return e;
    const err = new KafkaStorageError(
      `Error while writing to the log of ${this.name} in dir ${parentOf(this.dir)}: ${
        (e as Error).message
      }`,
      { cause: e },
    );
    if (!this.#closed) this.#failed ??= err;
    return err;
  }

  #checkOpen(): void {
    if (this.#closed) throw new KafkaStorageError(`The log of ${this.name} is closed`);
  }

  #checkWritable(): void {
    this.#checkOpen();
    if (this.#failed) throw this.#failed;
  }
}

function reasonText(reason: RetentionReason, c: LogConfig): string {
  if (reason === "time") return `retention time ${c.retentionMs}ms breach`;
  if (reason === "size") return `retention size in bytes ${c.retentionBytes} breach`;
  return "log start offset breach";
}

/** Kafka's randomSegmentJitter: a per-segment share of segment.jitter.ms. */
function jitter(c: LogConfig, random: () => number): number {
  if (c.segmentJitterMs <= 0) return 0;
  return Math.floor(random() * 0x7fffffff) % Math.min(c.segmentJitterMs, c.segmentMs);
}

function parentOf(dir: string): string {
  const i = dir.lastIndexOf("/");
  return i <= 0 ? "/" : dir.slice(0, i);
}

async function ensureTopicId(dir: string, topicId: string): Promise<void> {
  const existing = await readPartitionMetadata(dir);
  if (existing === undefined) {
    await writePartitionMetadata(dir, { version: 0, topicId });
    return;
  }
  if (existing.topicId !== topicId) {
    throw new Error(
      `Tried to assign topic ID ${topicId} to log for topic partition ${
        dir.split("/").at(-1)
      }, but log already contained topic ID ${existing.topicId}`,
    );
  }
}

/**
 * The partition's producer state at open (Kafka's Log.loadProducerState): stray snapshots
 * removed, the recovered segments' `.txnindex` rebuilt by replaying their batches over the state
 * as it was at the first of them (Kafka's recoverSegment), then the state brought to the log end
 * from the newest snapshot and the segments after it.
 */
async function loadProducerState(
  dir: string,
  o: PartitionLogOptions,
  segments: readonly LogSegment[],
  logStartOffset: number,
  loaded: { recoveredBaseOffsets: readonly number[] },
  logIdent: string,
): Promise<ProducerStateStore> {
  const store = await ProducerStateStore.open(
    dir,
    partitionDirName(o.topicPartition),
    o.producerIdExpirationMs,
  );
  await store.files.removeStray(segments.map((s) => s.baseOffset));
  const view = {
    logStartOffset,
    segmentBaseOffsets: () => segments.map((s) => s.baseOffset),
    readSegment(base: number, from: number, to: number): Promise<Uint8Array> {
      const seg = segments.find((s) => s.baseOffset === base);
      const bytes = seg && seg.size > 0 ? seg.read(from, seg.size, to, true) : undefined;
      return Promise.resolve(bytes ?? new Uint8Array(0));
    },
  };
  const now = o.clock.now();
  const warn = (m: string) => o.log?.warn(LOGGER, `${logIdent} ${m}`);
  const recovered = segments.filter((s) => loaded.recoveredBaseOffsets.includes(s.baseOffset));
  if (recovered.length > 0) {
    await store.rebuild(view, recovered[0].baseOffset, false, now, warn);
    for (const seg of recovered) {
      await seg.txnIndex.reset();
      const bytes = seg.size > 0 ? seg.readAt(0, seg.size) : new Uint8Array(0);
      for (const a of store.state.replay(producerBatches(bytes))) await seg.txnIndex.append(a);
      store.state.updateMapEndOffset(seg.nextOffset);
    }
  }
  await store.rebuild(view, segments.at(-1)!.nextOffset, o.hadCleanShutdown, now, warn);
  return store;
}
