/**
 * The log cleaner (Kafka 2.8.2's LogCleaner and LogCleanerManager, one cleaner thread's worth on
 * the event loop): every log whose cleanup.policy includes `compact` is a candidate; each round
 * picks the filthiest cleanable log (cleaner_plan.ts), cleans it (cleaner_pass.ts) and moves its
 * entry in the log dir's `cleaner-offset-checkpoint` to where the pass ended; the next round
 * starts at once after a clean, or after log.cleaner.backoff.ms when there was nothing to do.
 * A log whose cleaning fails unexpectedly is marked uncleanable and skipped from then on, as
 * Kafka does; deleting a partition aborts its cleaning and drops its checkpoint entry.
 *
 * @module
 */

import type { Clock } from "../../internal/clock.ts";
import type { Logger } from "../../internal/log.ts";
import { type CleanerConfig, offsetMapMemory } from "./cleaner_config.ts";
import {
  CleaningAbortedError,
  cleanLog,
  type PassResult,
  type ProducerStateHooks,
  segmentStat,
} from "./cleaner_pass.ts";
import {
  cleanableOffsets,
  filthiest,
  type LogStat,
  type LogToClean,
  logToClean,
} from "./cleaner_plan.ts";
import type { SwapStep } from "./cleaner_swap.ts";
import { producersOf } from "./cleaner_producers.ts";
import { OffsetMap } from "./offset_map.ts";
import {
  CLEANER_CHECKPOINT,
  type PartitionOffset,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from "./offset_checkpoint.ts";
import type { PartitionLog } from "./partition_log.ts";
import { partitionDirName, type TopicPartition } from "./segment_files.ts";

const LOGGER = "kafka.log.LogCleaner";
const MANAGER = "kafka.log.LogCleanerManager";

/** A log the cleaner may clean, with the log dir it lives in. */
export interface CleanerEntry {
  log: PartitionLog;
  logDir: string;
}

/** Timers the cleaner's rounds run on. */
export interface CleanerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** How the cleaner starts. */
export interface LogCleanerOptions {
  config: CleanerConfig;
  logDirs: readonly string[];
  clock: Clock;
  /** The broker's logs now (the LogManager's). */
  logs: () => Iterable<CleanerEntry>;
  log?: Logger;
  /** Crash tests: called after each swap step. */
  onSwapStep?: (step: SwapStep) => void;
}

/** A finished round: which log, from where to where, and the pass's numbers. */
export interface CleanRound extends PassResult {
  topicPartition: TopicPartition;
  firstDirtyOffset: number;
}

/** The broker's log cleaner. */
export class LogCleaner {
  readonly #checkpoints = new Map<string, Map<string, PartitionOffset>>();
  readonly #map: OffsetMap;
  readonly #uncleanable = new Set<string>();
  readonly #aborting = new Set<string>();
  #inProgress: string | undefined;
  #running: Promise<CleanRound | undefined> | undefined;
  #stopped = false;
  #writing: Promise<void> = Promise.resolve();
  #timer: unknown;
  #timers: CleanerTimers | undefined;

  private constructor(readonly o: LogCleanerOptions) {
    this.#map = new OffsetMap(offsetMapMemory(o.config));
  }

  /** Read every dir's `cleaner-offset-checkpoint` (an unreadable one is reported and ignored). */
  static async open(o: LogCleanerOptions): Promise<LogCleaner> {
    const c = new LogCleaner(o);
    for (const dir of o.logDirs) {
      const entries = new Map<string, PartitionOffset>();
      try {
        for (const e of await readOffsetCheckpoint(`${dir}/${CLEANER_CHECKPOINT}`)) {
          entries.set(partitionDirName(e), e);
        }
      } catch (e) {
        o.log?.warn(
          MANAGER,
          `Failed to access checkpoint file ${dir}/${CLEANER_CHECKPOINT}: ${(e as Error).message}`,
        );
      }
      c.#checkpoints.set(dir, entries);
    }
    return c;
  }

  /** The cleaner checkpoint of a partition (where its dirty section starts), if any. */
  checkpointOf(tp: TopicPartition, logDir?: string): number | undefined {
    const key = partitionDirName(tp);
    for (const [dir, m] of this.#checkpoints) {
      if (logDir !== undefined && dir !== logDir) continue;
      const e = m.get(key);
      if (e) return e.offset;
    }
    return undefined;
  }

  /** Partitions marked uncleanable after a failure. */
  get uncleanable(): string[] {
    return [...this.#uncleanable];
  }

  /**
   * One round (Kafka's tryCleanFilthiestLog): clean the filthiest cleanable log, if any.
   * Resolves with what was cleaned, or undefined when nothing was due (or the pass was aborted).
   */
  cleanOnce(now: number = this.o.clock.now()): Promise<CleanRound | undefined> {
    if (this.#running) return this.#running;
    const run = this.#round(now).finally(() => {
      this.#running = undefined;
      this.#inProgress = undefined;
    });
    this.#running = run;
    return run;
  }

  /** Run rounds on `timers` until shutdown: at once after a clean, else after the backoff. */
  start(timers: CleanerTimers): void {
    this.#timers = timers;
    this.#schedule(0);
  }

  /** Stop: the running pass is aborted (its `.cleaned` files removed) and awaited. */
  async shutdown(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers?.clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  /**
   * A partition is being deleted: abort its cleaning (awaited) and drop its checkpoint entry
   * (Kafka's abortCleaning + updateCheckpoints(remove)).
   */
  async abortAndForget(tp: TopicPartition, logDir: string): Promise<void> {
    const key = partitionDirName(tp);
    // A round touching any log may still write the checkpoint: let it finish (aborting it if it
    // cleans this log).
    this.#aborting.add(key);
    await this.#running?.catch(() => {});
    this.#aborting.delete(key);
    this.#uncleanable.delete(key);
    const m = this.#checkpoints.get(logDir);
    if (m?.delete(key)) await this.#writeCheckpoint(logDir, key);
  }

  async #round(now: number): Promise<CleanRound | undefined> {
    const picked = await this.#grabFilthiest(now);
    if (!picked) return undefined;
    const { entry, ltc } = picked;
    const key = entry.log.name;
    this.#inProgress = key;
    const tp = entry.log.topicPartition;
    let endOffset = ltc.firstDirtyOffset;
    try {
      const result = await cleanLog(entry.log, ltc.firstDirtyOffset, ltc.firstUncleanableOffset, {
        map: this.#map,
        loadFactor: this.o.config.ioBufferLoadFactor,
        ioBufferSize: Math.max(
          Math.floor(this.o.config.ioBufferSize / Math.max(this.o.config.threads, 1) / 2),
          1024,
        ),
        log: this.o.log,
        shouldStop: () => this.#stopped || this.#aborting.has(key),
        onSwapStep: this.o.onSwapStep,
      });
      endOffset = result.endOffset;
      this.#logStats(key, ltc.firstDirtyOffset, result);
      return { ...result, topicPartition: tp, firstDirtyOffset: ltc.firstDirtyOffset };
    } catch (e) {
      if (e instanceof CleaningAbortedError) {
        this.o.log?.info(LOGGER, `Cleaning of ${key} aborted: ${e.message}`);
        return undefined;
      }
      this.#uncleanable.add(key);
      this.o.log?.error(
        LOGGER,
        `Unexpected exception thrown when cleaning log ${key}. Marking its partition (${key}) as uncleanable: ${
          (e as Error).message
        }`,
      );
      return undefined;
    } finally {
      // Kafka's doneCleaning: the checkpoint moves to where the pass got (unchanged on abort).
      if (!this.#aborting.has(key) && this.#checkpoints.has(entry.logDir)) {
        this.#checkpoints.get(entry.logDir)!.set(key, { ...tp, offset: endOffset });
        await this.#writeCheckpoint(entry.logDir).catch((e) =>
          this.o.log?.error(
            MANAGER,
            `Failed to write the cleaner checkpoint of ${entry.logDir}: ${e}`,
          )
        );
      }
    }
  }

  /** Kafka's grabFilthiestCompactedLog. */
  async #grabFilthiest(now: number): Promise<{ entry: CleanerEntry; ltc: LogToClean } | undefined> {
    const candidates: { entry: CleanerEntry; ltc: LogToClean; minCleanableDirtyRatio: number }[] =
      [];
    for (const entry of this.o.logs()) {
      const log = entry.log;
      const c = log.config;
      if (!c.cleanupPolicy.includes("compact") || this.#uncleanable.has(log.name)) continue;
      try {
        const stat = logStat(log);
        const checkpoints = this.#checkpoints.get(entry.logDir);
        const offsets = cleanableOffsets(stat, checkpoints?.get(log.name)?.offset, now);
        if (offsets.forceUpdateCheckpoint && checkpoints) {
          if (!c.cleanupPolicy.includes("delete")) {
            this.o.log?.warn(
              MANAGER,
              `Resetting first dirty offset of ${log.name} to log start offset ${log.logStartOffset} since ${offsets.resetReason}.`,
            );
          }
          checkpoints.set(log.name, { ...log.topicPartition, offset: offsets.firstDirtyOffset });
          await this.#writeCheckpoint(entry.logDir);
        }
        const ltc = logToClean(stat, offsets, now);
        candidates.push({ entry, ltc, minCleanableDirtyRatio: c.minCleanableDirtyRatio });
      } catch (e) {
        this.#uncleanable.add(log.name);
        this.o.log?.error(
          LOGGER,
          `Failed to calculate log cleaning stats for partition ${log.name}; marking it uncleanable: ${
            (e as Error).message
          }`,
        );
      }
    }
    return filthiest(candidates);
  }

  /** Checkpoint writes run one at a time (they share `<file>.tmp`). */
  #writeCheckpoint(dir: string, removed?: string): Promise<void> {
    const run = this.#writing.then(() => this.#writeCheckpointNow(dir, removed));
    this.#writing = run.catch(() => {});
    return run;
  }

  async #writeCheckpointNow(dir: string, removed?: string): Promise<void> {
    const m = this.#checkpoints.get(dir);
    if (!m) return;
    const live = new Set<string>();
    for (const e of this.o.logs()) live.add(e.log.name);
    // Kafka keeps only entries of logs it has; a removed one is gone already.
    const entries = [...m.entries()].filter(([k]) => live.has(k) && k !== removed).map(([, e]) =>
      e
    );
    await writeOffsetCheckpoint(`${dir}/${CLEANER_CHECKPOINT}`, entries);
  }

  #schedule(delay: number): void {
    if (this.#stopped || !this.#timers) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.cleanOnce().then(
        (r) => this.#schedule(r ? 0 : this.o.config.backoffMs),
        (e) => {
          this.o.log?.error(LOGGER, `Uncaught exception in the log cleaner: ${e}`);
          this.#schedule(this.o.config.backoffMs);
        },
      );
    }, delay);
  }

  #logStats(name: string, from: number, r: PassResult): void {
    if (!this.o.log) return;
    const mb = (b: number) => (b / (1024 * 1024)).toFixed(1);
    const sec = (ms: number) => (ms / 1000).toFixed(1);
    const rate = (b: number, ms: number) =>
      (ms <= 0 ? 0 : b / (1024 * 1024) / (ms / 1000)).toFixed(1);
    const s = r.stats;
    const cleanMs = r.totalMs - r.mapMs;
    const pct = (a: number, b: number) => (b === 0 ? 0 : 100 * a / b).toFixed(1);
    this.o.log.info(
      LOGGER,
      "\n" +
        `\tLog cleaner thread 0 cleaned log ${name} (dirty section = [${from}, ${r.endOffset}])\n` +
        `\t${mb(s.mapBytesRead + s.bytesRead)} MB of log processed in ${sec(r.totalMs)} seconds (${
          rate(s.mapBytesRead + s.bytesRead, r.totalMs)
        } MB/sec).\n` +
        `\tIndexed ${mb(s.mapBytesRead)} MB in ${sec(r.mapMs)} seconds (${
          rate(s.mapBytesRead, r.mapMs)
        } Mb/sec, ${pct(r.mapMs, r.totalMs)}% of total time)\n` +
        `\tBuffer utilization: ${(100 * r.bufferUtilization).toFixed(1)}%\n` +
        `\tCleaned ${mb(s.bytesRead)} MB in ${sec(cleanMs)} seconds (${
          rate(s.bytesRead, cleanMs)
        } Mb/sec, ${pct(cleanMs, r.totalMs)}% of total time)\n` +
        `\tStart size: ${mb(s.bytesRead)} MB (${s.messagesRead} messages)\n` +
        `\tEnd size: ${mb(s.bytesWritten)} MB (${s.messagesWritten} messages)\n` +
        `\t${pct(s.bytesRead - s.bytesWritten, s.bytesRead)}% size reduction (${
          pct(s.messagesRead - s.messagesWritten, s.messagesRead)
        }% fewer messages)\n`,
    );
  }
}

/** The plan's view of a partition log. */
export function logStat(log: PartitionLog): LogStat {
  const hooks = log as unknown as ProducerStateHooks;
  return {
    segments: log.segments.map(segmentStat),
    logStartOffset: log.logStartOffset,
    logEndOffset: log.logEndOffset,
    lastStableOffset: hooks.lastStableOffset ??
      Math.min(log.highWatermark, producersOf(log.segments).firstUnstableOffset ?? Infinity),
    config: log.config,
  };
}
