/**
 * The sync stage (Apache's SyncRequestProcessor): logs prepared txns in group-committed batches,
 * one fsync each, with up to `maxInFlight` batches appended and syncing at once, and says, in zxid
 * order, how far the log is durable. It never applies anything: the commit stage does, when told
 * (standalone: when this stage says a txn is durable; in an ensemble: a quorum or a COMMIT).
 */
import type { TxnEntry } from "../tree/txn.ts";
import type { Durability } from "../persist/durability.ts";
import type { ServerMetrics } from "./metrics.ts";
import { type Clock, systemClock } from "../../internal/clock.ts";

/** A batch handed to the log whose fsync has not been reported yet. */
interface InFlight {
  entries: TxnEntry[];
  /** When the batch was taken (0 without metrics). */
  took: number;
  durable: boolean;
}

/**
 * How many batches may be syncing at once by default. Measured with `deno task bench --only=herd
 * --groups=pipelined --rounds=1`, two runs each on a shared 2-core machine, best of the two:
 * create 16×64 37k/55k/65k ops/s and setData 16×64 76k/101k/128k ops/s with 1/2/4 in flight.
 */
export const DEFAULT_MAX_IN_FLIGHT = 4;

export class SyncStage {
  private queue: TxnEntry[] = [];
  private readonly inFlight: InFlight[] = [];
  /** The highest zxid queued: zxids must arrive in increasing order. */
  private lastQueued = 0;
  private scheduled = false;
  private kicking = false;
  /** After a log failure nothing more is logged nor reported durable. */
  private failed = false;
  /** Told, in zxid order, that every txn up to `zxid` is durable. */
  onDurable: (zxid: number) => void = () => {};
  /** A log failure is fatal: Apache exits rather than answer from a log with a hole. */
  onFatal: (e: unknown) => void = (e) => {
    throw e;
  };

  constructor(
    readonly durability: Durability,
    readonly maxInFlight: number = DEFAULT_MAX_IN_FLIGHT,
    /** Where Apache's SyncRequestProcessor measurements go. */
    readonly metrics: ServerMetrics | null = null,
    readonly clock: Clock = systemClock,
  ) {
    if (!(maxInFlight >= 1)) throw new RangeError(`maxInFlight must be at least 1: ${maxInFlight}`);
  }

  /** Txns waiting to be handed to the log. */
  get queued(): number {
    return this.queue.length;
  }

  /** Batches handed to the log and not yet reported durable. */
  get batchesInFlight(): number {
    return this.inFlight.length;
  }

  /** Queues a prepared txn for the log. */
  append(entry: TxnEntry): void {
    const zxid = entry.hdr.zxid;
    if (!(zxid > this.lastQueued)) {
      // A zxid out of order would log a history no replay accepts: stop loudly instead.
      this.fail(
        new Error(`zxid 0x${zxid.toString(16)} logged after 0x${this.lastQueued.toString(16)}`),
      );
      return;
    }
    this.lastQueued = zxid;
    if (this.metrics !== null) this.metrics.syncProcessorRequestQueued++;
    this.queue.push(entry);
    // An idle stage logs at once (and an in-memory one applies at once). With a batch already
    // syncing, the rest of this turn's requests (a socket read holds many) are taken together.
    if (this.inFlight.length === 0) this.kick(false);
    else if (!this.scheduled && this.inFlight.length < this.maxInFlight) {
      this.scheduled = true;
      queueMicrotask(this.kickLater);
    }
  }

  private readonly kickLater = () => {
    this.scheduled = false;
    this.kick(false);
  };

  /** `afterFlush`: a batch just became durable, so what is queued waited for it. */
  private kick(afterFlush: boolean): void {
    // Re-entered from onDurable (an answer that submits a write): the outer loop takes it.
    if (this.kicking || this.failed) return;
    this.kicking = true;
    try {
      while (this.queue.length > 0 && this.inFlight.length < this.maxInFlight && !this.failed) {
        this.take(afterFlush);
        afterFlush = false;
      }
    } finally {
      this.kicking = false;
    }
  }

  private take(afterFlush: boolean): void {
    const entries = this.queue;
    this.queue = [];
    const took = this.metrics !== null ? this.clock.now() : 0;
    let p: Promise<void> | null;
    try {
      p = this.durability.persist(entries);
    } catch (e) {
      // A write that failed at once (a full disk) is as fatal as a failed fsync: the batch is
      // never applied nor answered, and nothing later may be logged after a hole.
      return this.fail(e);
    }
    if (took !== 0) this.tookBatch(entries, took, afterFlush ? entries.length : 0);
    const batch: InFlight = { entries, took, durable: p === null };
    this.inFlight.push(batch);
    if (p === null) return this.report();
    p.then(() => {
      batch.durable = true;
      this.report();
      this.kick(true);
    }, (e) => this.fail(e));
  }

  /** Reports the batches at the head that are durable: an fsync may finish before an earlier one. */
  private report(): void {
    const q = this.inFlight;
    while (q.length > 0 && q[0].durable && !this.failed) {
      const batch = q.shift()!;
      if (batch.took !== 0) this.flushed(batch.entries, batch.took);
      try {
        this.onDurable(batch.entries[batch.entries.length - 1].hdr.zxid);
      } catch (e) {
        return this.fail(e);
      }
    }
  }

  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.queue = [];
    this.onFatal(e);
  }

  /**
   * A batch was taken and appended at `took`. `waiting` is how many txns were queued when the
   * stage became free for it (Apache samples its queue's size each time its sync thread looks for
   * work): none when an idle stage takes a txn as it arrives. A txn's time in the queue runs from
   * its header's time, when its request arrived: prep runs in the same turn, in microseconds.
   */
  private tookBatch(entries: TxnEntry[], took: number, waiting: number): void {
    const m = this.metrics!;
    m.syncProcessorQueueSize.add(waiting);
    m.syncProcessorBatchSize.add(entries.length);
    m.syncProcessTime.add(this.clock.now() - took);
    for (const e of entries) m.syncProcessorQueueTime.add(Math.max(0, took - e.hdr.time));
  }

  /** The batch taken at `took` is durable. */
  private flushed(entries: TxnEntry[], took: number): void {
    const m = this.metrics!;
    const now = this.clock.now();
    m.syncProcessorQueueFlushTime.add(now - took);
    for (const e of entries) m.syncProcessorQueueAndFlushTime.add(Math.max(0, now - e.hdr.time));
  }
}
