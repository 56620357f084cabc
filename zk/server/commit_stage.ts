/**
 * The commit stage (Apache's CommitProcessor, then FinalRequestProcessor's apply): holds prepared
 * txns in zxid order and applies them to the tree when told they are committed, then lets each
 * waiter answer its client. Standalone, a txn is committed once the sync stage says it is durable;
 * in an ensemble, once a quorum acked it (leader) or a COMMIT names it (follower). The tree is
 * never told which.
 */
import type { DataTree, TxnResult } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import type { ChangeView } from "./changes.ts";

type Item =
  | { entry: TxnEntry; done: (r: TxnResult) => void }
  | { entry: null; done: () => void };

export class CommitStage {
  private queue: Item[] = [];
  /** Items before this index are done. */
  private head = 0;
  private lastQueued = 0;
  /** Every txn up to this zxid may be applied. */
  private committed = 0;
  private applying = false;
  /** Called after each commit applied something (e.g. to flush sockets). */
  onApplied: () => void = () => {};

  constructor(readonly tree: DataTree, readonly view: ChangeView) {
    this.lastQueued = tree.lastProcessedZxid;
    this.committed = tree.lastProcessedZxid;
  }

  /** Txns (and barriers) waiting to be applied. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Queues a prepared txn; `done` gets its result once it is committed and applied. */
  add(entry: TxnEntry, done: (r: TxnResult) => void): void {
    const zxid = entry.hdr.zxid;
    if (!(zxid > this.lastQueued)) {
      throw new Error(
        `commit: zxid 0x${zxid.toString(16)} queued after 0x${this.lastQueued.toString(16)}`,
      );
    }
    this.lastQueued = zxid;
    this.queue.push({ entry, done });
  }

  /** Runs `done` once every txn queued before it has been applied. */
  barrier(done: () => void): void {
    if (this.pending === 0) return done();
    this.queue.push({ entry: null, done });
  }

  /**
   * Every queued txn up to `zxid` is committed: apply them in order. Committing a zxid that was
   * never queued would apply a history this server does not have, so it stops loudly instead.
   */
  commit(zxid: number): void {
    if (zxid > this.lastQueued) {
      throw new Error(
        `commit: 0x${zxid.toString(16)} is past the last queued txn 0x${
          this.lastQueued.toString(16)
        }`,
      );
    }
    if (zxid > this.committed) this.committed = zxid;
    // A waiter that submits a write (in memory, applied at once) lands here re-entered: the loop
    // below, already running, applies it in its turn, never ahead of earlier txns.
    if (this.applying) return;
    this.applying = true;
    try {
      this.applyCommitted();
    } finally {
      this.applying = false;
    }
    this.onApplied();
  }

  private applyCommitted(): void {
    const q = this.queue;
    while (this.head < q.length) {
      const it = q[this.head];
      if (it.entry === null) {
        this.head++;
        it.done();
        continue;
      }
      const hdr = it.entry.hdr;
      if (hdr.zxid > this.committed) break;
      this.head++;
      const r = this.tree.apply(hdr, it.entry.txn);
      this.view.applied(hdr.zxid);
      it.done(r);
    }
    // Done items are dropped in bulk, not one shift per txn.
    if (this.head === q.length) {
      q.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > q.length) {
      this.queue = q.slice(this.head);
      this.head = 0;
    }
  }
}
