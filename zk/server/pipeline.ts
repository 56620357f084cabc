/**
 * The stages after prep: make txns durable (group commit), apply them to the tree in zxid order,
 * then let each waiter answer its client. Non-txn requests of sessions with writes in flight wait
 * here too, so every session sees its requests answered in order (Apache's standalone pipeline).
 */
import type { DataTree, TxnResult } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import type { ChangeView } from "./changes.ts";
import type { ServerMetrics } from "./metrics.ts";
import { type Clock, systemClock } from "../../internal/clock.ts";

/**
 * The durability stage. `persist` makes a batch durable; it returns null when it finished
 * synchronously (in-memory), otherwise a promise. The ensemble replaces this with ZAB.
 */
export interface Durability {
  persist(batch: readonly TxnEntry[]): Promise<void> | null;
}

/** No durability: txns apply as soon as they are prepared. */
export const inMemory: Durability = { persist: () => null };

type Item =
  | { entry: TxnEntry; done: (r: TxnResult) => void }
  | { entry: null; done: () => void };

export class CommitPipeline {
  private queue: Item[] = [];
  private inFlight = false;
  /** After a durability failure nothing more is logged, applied or answered. */
  private failed = false;
  /** Called after each applied batch (e.g. to flush sockets). */
  onBatchApplied: () => void = () => {};
  /** A durability failure is fatal: Apache exits rather than answer from a diverged log. */
  onFatal: (e: unknown) => void = (e) => {
    throw e;
  };

  constructor(
    readonly tree: DataTree,
    readonly view: ChangeView,
    readonly durability: Durability,
    /** Where the sync stage's measurements go (Apache's SyncRequestProcessor metrics). */
    readonly metrics: ServerMetrics | null = null,
    readonly clock: Clock = systemClock,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  submit(entry: TxnEntry, done: (r: TxnResult) => void): void {
    if (this.metrics !== null) this.metrics.syncProcessorRequestQueued++;
    this.queue.push({ entry, done });
    this.kick();
  }

  /** Runs `done` once every txn submitted before it has been applied. */
  barrier(done: () => void): void {
    if (!this.inFlight && this.queue.length === 0) return done();
    this.queue.push({ entry: null, done });
    this.kick();
  }

  /** `afterFlush`: called as a batch became durable, so what is queued waited for it. */
  private kick(afterFlush = false): void {
    if (this.inFlight || this.failed) return;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const entries: TxnEntry[] = [];
      for (const it of batch) if (it.entry !== null) entries.push(it.entry);
      const took = entries.length > 0 && this.metrics !== null ? this.clock.now() : 0;
      let p: Promise<void> | null;
      try {
        p = entries.length > 0 ? this.durability.persist(entries) : null;
      } catch (e) {
        // A write that failed at once (a full disk) is as fatal as a failed fsync: the batch is
        // never applied nor answered, and nothing later may be logged after a hole.
        this.failed = true;
        return this.onFatal(e);
      }
      if (took !== 0) this.tookBatch(entries, took, afterFlush ? entries.length : 0);
      afterFlush = false;
      if (p === null) {
        if (took !== 0) this.flushed(entries, took);
        this.applyBatch(batch);
        continue;
      }
      this.inFlight = true;
      p.then(() => {
        this.inFlight = false;
        if (took !== 0) this.flushed(entries, took);
        this.applyBatch(batch);
        this.kick(true);
      }, (e) => {
        this.failed = true;
        this.onFatal(e);
      });
      return;
    }
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

  private applyBatch(batch: Item[]): void {
    for (const it of batch) {
      if (it.entry === null) {
        it.done();
        continue;
      }
      const r = this.tree.apply(it.entry.hdr, it.entry.txn);
      this.view.applied(it.entry.hdr.zxid);
      it.done(r);
    }
    this.onBatchApplied();
  }
}
