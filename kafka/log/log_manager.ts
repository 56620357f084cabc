/**
 * Every partition log of a broker across its log.dirs (Kafka 2.8.2's LogManager): checks and
 * writes `meta.properties`, loads (and where needed recovers) every partition dir at start,
 * places new partitions, deletes partitions by renaming them to `-delete` dirs removed later,
 * writes the per-dir checkpoints, and runs retention, flushes and checkpoints on the injected
 * clock. A clean shutdown flushes everything and leaves `.kafka_cleanshutdown` in each dir, so the
 * next start skips recovery.
 *
 * @module
 */

import type { Clock } from "../../internal/clock.ts";
import type { Logger } from "../../internal/log.ts";
import { type LogConfig, logConfigFrom, mergeTopicConfig } from "./log_config.ts";
import { PartitionLog } from "./partition_log.ts";
import {
  DEFAULT_PRODUCER_ID_EXPIRATION_MS,
  PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS,
} from "./producer_state.ts";
import { type CleanerConfig, cleanerConfigFrom } from "./cleaner_config.ts";
import { LogCleaner } from "./log_cleaner.ts";
import { LogDirMetadataError } from "./log_errors.ts";
import { type MetaProperties, readMetaProperties, writeMetaProperties } from "./meta_properties.ts";
import { type DirLock, lockLogDir } from "./dir_lock.ts";
import {
  CLEANER_CHECKPOINT,
  LOG_START_OFFSET_CHECKPOINT,
  type PartitionOffset,
  readOffsetCheckpoint,
  RECOVERY_POINT_CHECKPOINT,
  REPLICATION_CHECKPOINT,
  writeOffsetCheckpoint,
} from "./offset_checkpoint.ts";
import {
  CLEAN_SHUTDOWN_FILE,
  deleteDirName,
  parsePartitionDirName,
  partitionDirName,
  type TopicPartition,
} from "./segment_files.ts";

/** Timers the background work runs on (globalThis's by default; tests call tick instead). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** How a LogManager starts. */
export interface LogManagerOptions {
  logDirs: string[];
  brokerId: number;
  /** The cluster's id from ZooKeeper: a log dir stamped with another one is refused. */
  clusterId?: string;
  clock: Clock;
  /** Topic config defaults (`topicDefaults(broker)`); broker keys for the intervals may be here too. */
  defaults: ReadonlyMap<string, string>;
  /** Per-topic overrides (`/config/topics/<t>`), for the partitions loaded at start. */
  topicOverrides?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** log.retention.check.interval.ms (default 300000). */
  retentionCheckIntervalMs?: number;
  /** log.flush.scheduler.interval.ms (default never). */
  flushSchedulerIntervalMs?: number;
  /** log.flush.offset.checkpoint.interval.ms (default 60000). */
  recoveryPointCheckpointIntervalMs?: number;
  /** log.flush.start.offset.checkpoint.interval.ms (default 60000). */
  logStartOffsetCheckpointIntervalMs?: number;
  /** replica.high.watermark.checkpoint.interval.ms (default 5000). */
  highWatermarkCheckpointIntervalMs?: number;
  /**
   * transactional.id.expiration.ms: 2.8 forgets a partition's producer ids idle this long
   * (default 7 days; also read from `defaults`).
   */
  producerIdExpirationMs?: number;
  log?: Logger;
  timers?: Timers;
  /** When the background tasks first run, after start (Kafka's fixed 30 s; tests shorten it). */
  initialTaskDelayMs?: number;
  /** The log cleaner's settings (log.cleaner.* keys in `defaults` apply too). */
  cleaner?: Partial<CleanerConfig>;
}

/** Kafka's LogManager.InitialTaskDelayMs: background tasks first run 30 s after start. */
const INITIAL_TASK_DELAY_MS = 30_000;
const MAX_TIMER_MS = 0x7fff_ffff;
const LOGGER = "kafka.log.LogManager";

interface Task {
  name: string;
  period: number;
  due: number;
  run: (now: number) => Promise<void>;
}

/** The logs of one broker. */
export class LogManager {
  #logs = new Map<string, { log: PartitionLog; logDir: string }>();
  #creating = new Map<string, Promise<PartitionLog>>();
  #toDelete: { path: string; due: number }[] = [];
  #tasks: Task[] = [];
  #timer: unknown;
  #ticking: Promise<void> | undefined;
  #stopped = false;
  /** Each dir's `.lock`, held from open to shutdown (dir_lock.ts). */
  #locks: DirLock[] = [];
  /** The log cleaner (log.cleaner.enable), compacting logs with cleanup.policy=compact. */
  cleaner: LogCleaner | undefined;
  readonly #defaults: ReadonlyMap<string, string>;
  readonly #clock: Clock;
  readonly #log: Logger | undefined;
  readonly #timers: Timers;

  private constructor(readonly logDirs: string[], readonly o: LogManagerOptions) {
    this.#defaults = o.defaults;
    this.#clock = o.clock;
    this.#log = o.log;
    this.#timers = o.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as number),
    };
  }

  /**
   * Check meta.properties in every dir (write it where missing), then load every partition.
   * Refuses with LogDirMetadataError (Kafka's message) a dir of another broker or cluster, and
   * with SegmentDamageError a partition whose recovery would cut valid data.
   */
  static async open(o: LogManagerOptions): Promise<LogManager> {
    if (o.logDirs.length === 0) throw new Error("log.dirs names no directory");
    const m = new LogManager(o.logDirs.map((d) => d.replace(/\/+$/, "") || "/"), o);
    for (const dir of m.logDirs) {
      try {
        await Deno.stat(dir);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
        o.log?.info(LOGGER, `Log directory ${dir} not found, creating it.`);
        await Deno.mkdir(dir, { recursive: true });
      }
    }
    // Kafka locks every dir before reading anything in it: a second broker on the same dir stops
    // here, with LogDirLockedError, before it has touched a file.
    try {
      for (const dir of m.logDirs) m.#locks.push(lockLogDir(dir));
      await m.#checkMetaProperties();
    } catch (e) {
      m.#releaseLocks();
      throw e;
    }
    try {
      for (const dir of m.logDirs) await m.#loadDir(dir);
      const cleanerConfig = cleanerConfigFrom(o.defaults, o.cleaner);
      if (cleanerConfig.enable) {
        m.cleaner = await LogCleaner.open({
          config: cleanerConfig,
          logDirs: m.logDirs,
          clock: o.clock,
          logs: () => m.#logs.values(),
          log: o.log,
        });
      }
    } catch (e) {
      await Promise.all([...m.#logs.values()].map((l) => l.log.close().catch(() => {})));
      m.#releaseLocks();
      throw e;
    }
    return m;
  }

  /** The config a topic's partitions run with: defaults merged with `overrides`. */
  configFor(overrides: ReadonlyMap<string, string> = new Map()): LogConfig {
    return logConfigFrom(mergeTopicConfig(this.#defaults, overrides));
  }

  /** The log of a partition, if this broker has it. */
  get(topic: string, partition: number): PartitionLog | undefined {
    return this.#logs.get(`${topic}-${partition}`)?.log;
  }

  /** Every log, with the log dir it lives in. */
  all(): { topicPartition: TopicPartition; log: PartitionLog; logDir: string }[] {
    return [...this.#logs.values()].map((e) => ({ topicPartition: e.log.topicPartition, ...e }));
  }

  /**
   * The partition's log, created in the log dir holding the fewest partitions (Kafka's rule,
   * ties to the first in log.dirs) when it does not exist; partition.metadata is written when
   * `topicId` is given.
   */
  getOrCreate(tp: TopicPartition, config: LogConfig, topicId?: string): Promise<PartitionLog> {
    const key = partitionDirName(tp);
    const existing = this.#logs.get(key);
    if (existing) return Promise.resolve(existing.log);
    const pending = this.#creating.get(key);
    if (pending) return pending;
    const counts = new Map(this.logDirs.map((d) => [d, 0]));
    for (const e of this.#logs.values()) counts.set(e.logDir, (counts.get(e.logDir) ?? 0) + 1);
    const logDir = [...counts.entries()].sort((a, b) => a[1] - b[1])[0][0];
    const created = PartitionLog.open(`${logDir}/${key}`, {
      topicPartition: tp,
      config,
      clock: this.#clock,
      hadCleanShutdown: true,
      topicId,
      log: this.#log,
      producerIdExpirationMs: this.producerIdExpirationMs,
    }).then((log) => {
      this.#logs.set(key, { log, logDir });
      this.#log?.info(
        LOGGER,
        `Created log for partition ${key} in ${logDir}/${key} with properties {}`,
      );
      return log;
    }).finally(() => this.#creating.delete(key));
    this.#creating.set(key, created);
    return created;
  }

  /**
   * Delete a partition: its dir is renamed to `<topic>-<p>.<uuid>-delete` at once and removed
   * after file.delete.delay.ms (by the background tasks, or at shutdown).
   */
  async delete(tp: TopicPartition): Promise<void> {
    const key = partitionDirName(tp);
    const entry = this.#logs.get(key);
    if (!entry) return;
    this.#logs.delete(key);
    await this.cleaner?.abortAndForget(tp, entry.logDir);
    await entry.log.close();
    const target = `${entry.logDir}/${deleteDirName(tp)}`;
    await Deno.rename(entry.log.dir, target);
    this.#toDelete.push({
      path: target,
      due: this.#clock.now() + entry.log.config.fileDeleteDelayMs,
    });
    this.#log?.info(
      LOGGER,
      `Log for partition ${key} is renamed to ${target} and is scheduled for deletion`,
    );
    await this.#checkpointDir(entry.logDir);
  }

  /** Write every dir's recovery point, high watermark and log start offset checkpoints. */
  async checkpoint(): Promise<void> {
    await Promise.all(this.logDirs.map((d) => this.#checkpointDir(d)));
  }

  /**
   * Run the background work on the injected timers: retention every
   * log.retention.check.interval.ms, flush.ms flushes every log.flush.scheduler.interval.ms,
   * checkpoints at their intervals, `-delete` dirs removed when due.
   */
  startBackground(): void {
    const o = this.o;
    const now = this.#clock.now();
    const period = (key: string, given: number | undefined, fallback: number) =>
      given ?? numberOr(this.#defaults.get(key), fallback);
    const task = (
      name: string,
      p: number,
      run: (now: number) => Promise<void>,
      delay = o.initialTaskDelayMs ?? INITIAL_TASK_DELAY_MS,
    ) => this.#tasks.push({ name, period: p, due: now + delay, run });
    task(
      "kafka-log-retention",
      period("log.retention.check.interval.ms", o.retentionCheckIntervalMs, 300_000),
      (t) => this.enforceRetention(t),
    );
    task(
      "kafka-log-flusher",
      period(
        "log.flush.scheduler.interval.ms",
        o.flushSchedulerIntervalMs,
        Number.MAX_SAFE_INTEGER,
      ),
      (t) => this.flushDirtyLogs(t),
    );
    task(
      "kafka-recovery-point-checkpoint",
      period(
        "log.flush.offset.checkpoint.interval.ms",
        o.recoveryPointCheckpointIntervalMs,
        60_000,
      ),
      () => this.checkpoint(),
    );
    task(
      "kafka-log-start-offset-checkpoint",
      period(
        "log.flush.start.offset.checkpoint.interval.ms",
        o.logStartOffsetCheckpointIntervalMs,
        60_000,
      ),
      () => this.checkpoint(),
    );
    task(
      "highwatermark-checkpoint",
      period(
        "replica.high.watermark.checkpoint.interval.ms",
        o.highWatermarkCheckpointIntervalMs,
        5000,
      ),
      () => this.checkpoint(),
      0,
    );
    task("kafka-delete-logs", 1000, (t) => this.deleteDueLogs(t), 0);
    task(
      "PeriodicProducerExpirationCheck",
      PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS,
      (t) => Promise.resolve(this.removeExpiredProducers(t)),
      PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS,
    );
    this.#schedule();
    this.cleaner?.start(this.#timers);
  }

  /** Run whatever background task is due at `now` (what the timers call; tests call it too). */
  tick(now: number = this.#clock.now()): Promise<void> {
    if (this.#ticking) return this.#ticking;
    this.#ticking = (async () => {
      for (const t of this.#tasks) {
        if (t.due > now) continue;
        t.due = now + t.period;
        try {
          await t.run(now);
        } catch (e) {
          this.#log?.error(LOGGER, `Uncaught exception in scheduled task '${t.name}': ${e}`);
        }
      }
    })().finally(() => this.#ticking = undefined);
    return this.#ticking;
  }

  /** Retention on every log (and removal of their `.deleted` files that are due). */
  async enforceRetention(now: number = this.#clock.now()): Promise<void> {
    for (const { log } of this.#logs.values()) await log.enforceRetention(now);
  }

  /** Forgets idle producers in every log (Kafka's PeriodicProducerExpirationCheck). */
  removeExpiredProducers(now: number = this.#clock.now()): void {
    for (const { log } of this.#logs.values()) log.removeExpiredProducers(now);
  }

  /** transactional.id.expiration.ms, as the logs apply it to producer ids. */
  get producerIdExpirationMs(): number {
    return this.o.producerIdExpirationMs ??
      numberOr(
        this.#defaults.get("transactional.id.expiration.ms"),
        DEFAULT_PRODUCER_ID_EXPIRATION_MS,
      );
  }

  /** Flush every log whose last flush is older than its flush.ms. */
  async flushDirtyLogs(now: number = this.#clock.now()): Promise<void> {
    for (const { log } of this.#logs.values()) {
      if (now - log.lastFlushTime >= log.config.flushMs) await log.flush();
    }
  }

  /** Remove the `-delete` dirs whose file.delete.delay.ms has passed (all with `all`). */
  async deleteDueLogs(now: number = this.#clock.now(), all = false): Promise<void> {
    const keep = [];
    for (const d of this.#toDelete) {
      if (!all && d.due > now) {
        keep.push(d);
        continue;
      }
      await Deno.remove(d.path, { recursive: true }).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
      this.#log?.info(
        LOGGER,
        `Deleted log for partition ${d.path.split("/").at(-1)} in ${d.path}.`,
      );
    }
    this.#toDelete = keep;
  }

  /** Flush all, write the checkpoints, close every log, and mark each dir cleanly shut down. */
  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    await this.cleaner?.shutdown();
    await this.#ticking;
    const logs = [...this.#logs.values()].map((e) => e.log);
    // One failed log (a bad disk) must not keep the others from closing cleanly.
    const failed = (await Promise.allSettled(logs.map((l) => l.flush())))
      .filter((r): r is PromiseRejectedResult => r.status === "rejected");
    for (const f of failed) {
      this.#log?.error(LOGGER, `Error while flushing a log at shutdown: ${f.reason}`);
    }
    try {
      await this.checkpoint();
      await Promise.allSettled(logs.map((l) => l.close()));
      if (failed.length) throw failed[0].reason;
      for (const l of logs) l.runDueDeletions(this.#clock.now(), true);
      for (const dir of this.logDirs) {
        await Deno.writeFile(`${dir}/${CLEAN_SHUTDOWN_FILE}`, new Uint8Array(0));
      }
    } finally {
      this.#releaseLocks();
    }
  }

  /**
   * Closes every log and frees the dirs with nothing flushed, checkpointed or marked clean: what a
   * crash leaves, so the next open recovers (for a broker that must stop on a storage failure,
   * and for crash tests).
   */
  async abandon(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    await this.cleaner?.shutdown();
    await this.#ticking;
    await Promise.allSettled([...this.#logs.values()].map((e) => e.log.close()));
    this.#releaseLocks();
  }

  #releaseLocks(): void {
    for (const l of this.#locks) l.release();
    this.#locks = [];
  }

  // ---- start-up --------------------------------------------------------------------------

  async #checkMetaProperties(): Promise<void> {
    const found: [string, MetaProperties][] = [];
    for (const dir of this.logDirs) {
      const meta = await readMetaProperties(dir);
      if (meta) found.push([dir, meta]);
    }
    for (const [, meta] of found) {
      if (meta.version !== 0) {
        throw new LogDirMetadataError(
          "UnexpectedVersion",
          `Found unexpected version in loaded \`meta.properties\`: ${describeMeta(meta)}. ` +
            "Zk-based brokers only support version 0 (which is implicit when the `version` field is missing).",
        );
      }
    }
    const distinct = new Set(found.map(([, m]) => `${m.brokerId}/${m.clusterId}`));
    if (distinct.size > 1) {
      throw new LogDirMetadataError(
        "InconsistentBrokerMetadataException",
        "BrokerMetadata is not consistent across log.dirs. This could happen if multiple brokers shared a log directory (log.dirs) or partial data was manually copied from another broker. Found:\n" +
          found.map(([d, m]) => `- ${d} -> ${describeMeta(m)}`).join("\n"),
      );
    }
    const stored = found[0]?.[1];
    const { brokerId, clusterId } = this.o;
    if (stored?.brokerId !== undefined && brokerId >= 0 && stored.brokerId !== brokerId) {
      throw new LogDirMetadataError(
        "InconsistentBrokerIdException",
        `Configured broker.id ${brokerId} doesn't match stored broker.id Some(${stored.brokerId}) in meta.properties. ` +
          "If you moved your data, make sure your configured broker.id matches. " +
          "If you intend to create a new broker, you should remove all data in your data directories (log.dirs).",
      );
    }
    if (
      stored?.clusterId !== undefined && clusterId !== undefined && stored.clusterId !== clusterId
    ) {
      throw new LogDirMetadataError(
        "InconsistentClusterIdException",
        `The Cluster ID ${clusterId} doesn't match stored clusterId Some(${stored.clusterId}) in meta.properties. ` +
          "The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.",
      );
    }
    const have = new Set(found.map(([d]) => d));
    for (const dir of this.logDirs) {
      if (have.has(dir)) continue;
      await writeMetaProperties(dir, {
        version: 0,
        brokerId,
        clusterId: clusterId ?? stored?.clusterId,
      });
    }
  }

  async #loadDir(dir: string): Promise<void> {
    const marker = `${dir}/${CLEAN_SHUTDOWN_FILE}`;
    let hadCleanShutdown = true;
    try {
      await Deno.stat(marker);
    } catch {
      hadCleanShutdown = false;
    }
    const byKey = (entries: PartitionOffset[]) =>
      new Map(entries.map((e) => [`${e.topic}-${e.partition}`, e.offset]));
    const recoveryPoints = byKey(await readOffsetCheckpoint(`${dir}/${RECOVERY_POINT_CHECKPOINT}`));
    const logStarts = byKey(await readOffsetCheckpoint(`${dir}/${LOG_START_OFFSET_CHECKPOINT}`));
    // Read (so a malformed one is reported) though a lone broker does not use it; see below.
    await readOffsetCheckpoint(`${dir}/${REPLICATION_CHECKPOINT}`);
    const names = [];
    for await (const e of Deno.readDir(dir)) if (e.isDirectory) names.push(e.name);
    names.sort();
    for (const name of names) {
      const parsed = parsePartitionDirName(name);
      if (parsed.state === "delete") {
        this.#toDelete.push({
          path: `${dir}/${name}`,
          due: this.#clock.now() + numberOr(this.#defaults.get("file.delete.delay.ms"), 60_000),
        });
        continue;
      }
      if (parsed.state === "future") {
        this.#log?.warn(
          LOGGER,
          `Ignoring ${dir}/${name}: herd does not move replicas between log dirs`,
        );
        continue;
      }
      const key = partitionDirName(parsed);
      const other = this.#logs.get(key);
      if (other) {
        throw new Error(
          `Duplicate log directories for ${key} are found in both ${other.log.dir} and ${dir}/${name}. ` +
            "It is likely because log directory failure happened while broker was replacing current replica with future replica. " +
            "Recover broker from this failure by manually deleting one of the two directories for this partition.",
        );
      }
      const log = await PartitionLog.open(`${dir}/${name}`, {
        topicPartition: { topic: parsed.topic, partition: parsed.partition },
        config: this.configFor(this.o.topicOverrides?.get(parsed.topic)),
        clock: this.#clock,
        recoveryPoint: recoveryPoints.get(key),
        logStartOffset: logStarts.get(key),
        hadCleanShutdown,
        log: this.#log,
        producerIdExpirationMs: this.producerIdExpirationMs,
      });
      // The checkpointed high watermark is not applied: alone in its ISR, a 2.8 leader moves its
      // high watermark to its log end offset as soon as it leads, and so does herd's log at open.
      this.#logs.set(key, { log, logDir: dir });
    }
    await Deno.remove(marker).catch(() => {});
    // Kafka's cleaner creates its checkpoint empty at start; the dir then lists as Apache's.
    const cleaner = `${dir}/${CLEANER_CHECKPOINT}`;
    await Deno.writeFile(cleaner, new Uint8Array(0), { createNew: true }).catch(() => {});
  }

  async #checkpointDir(dir: string): Promise<void> {
    const logs = [...this.#logs.values()].filter((e) => e.logDir === dir).map((e) => e.log);
    const entry = (l: PartitionLog, offset: number): PartitionOffset => ({
      topic: l.topicPartition.topic,
      partition: l.topicPartition.partition,
      offset,
    });
    await writeOffsetCheckpoint(
      `${dir}/${RECOVERY_POINT_CHECKPOINT}`,
      logs.map((l) => entry(l, l.recoveryPoint)),
    );
    await writeOffsetCheckpoint(
      `${dir}/${REPLICATION_CHECKPOINT}`,
      logs.map((l) => entry(l, l.highWatermark)),
    );
    // Kafka writes only the logs whose start is above their first segment's base offset.
    await writeOffsetCheckpoint(
      `${dir}/${LOG_START_OFFSET_CHECKPOINT}`,
      logs.filter((l) => l.logStartOffset > l.segmentBaseOffsets[0]).map((l) =>
        entry(l, l.logStartOffset)
      ),
    );
  }

  #schedule(): void {
    if (this.#stopped || this.#tasks.length === 0) return;
    const next = Math.min(...this.#tasks.map((t) => t.due));
    const delay = Math.max(0, Math.min(next - this.#clock.now(), MAX_TIMER_MS));
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.tick().finally(() => this.#schedule());
    }, delay);
  }
}

function numberOr(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text === undefined || text === "" || !Number.isFinite(n) ? fallback : n;
}

/** RawMetaProperties' toString, as Kafka prints it in its errors. */
function describeMeta(m: MetaProperties): string {
  const props: string[] = [];
  if (m.brokerId !== undefined) props.push(`broker.id=${m.brokerId}`);
  props.push(`version=${m.version}`);
  if (m.clusterId !== undefined) props.push(`cluster.id=${m.clusterId}`);
  return `{${props.join(", ")}}`;
}
