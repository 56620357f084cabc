/**
 * The standalone server's stages after prep, wired together: the sync stage logs each prepared
 * txn, and the commit stage applies it once the log says it is durable, then lets its waiter
 * answer the client. Non-txn requests of sessions with writes in flight wait in the server's
 * per-connection queue, so every session sees its requests answered in order (Apache's
 * standalone pipeline). In an ensemble the commit stage is told by the quorum instead.
 */
import type { DataTree, TxnResult } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import type { ChangeView } from "./changes.ts";
import type { ServerMetrics } from "./metrics.ts";
import type { Durability } from "../persist/durability.ts";
import { type Clock, systemClock } from "../../internal/clock.ts";
import { CommitStage } from "./commit_stage.ts";
import { DEFAULT_MAX_IN_FLIGHT, SyncStage } from "./sync_stage.ts";

export class CommitPipeline {
  readonly sync: SyncStage;
  readonly commit: CommitStage;
  /** A durability failure is fatal: Apache exits rather than answer from a diverged log. */
  onFatal: (e: unknown) => void = (e) => {
    throw e;
  };

  constructor(
    tree: DataTree,
    view: ChangeView,
    durability: Durability,
    /** Where the sync stage's measurements go (Apache's SyncRequestProcessor metrics). */
    metrics: ServerMetrics | null = null,
    clock: Clock = systemClock,
    maxInFlight: number = DEFAULT_MAX_IN_FLIGHT,
  ) {
    this.commit = new CommitStage(tree, view);
    this.sync = new SyncStage(durability, maxInFlight, metrics, clock);
    this.sync.onDurable = (zxid) => this.commit.commit(zxid);
    this.sync.onFatal = (e) => this.onFatal(e);
  }

  /** Requests submitted and not yet applied. */
  get pending(): number {
    return this.commit.pending;
  }

  /** Logs a prepared txn and, once it is durable, applies it and calls `done` with its result. */
  submit(entry: TxnEntry, done: (r: TxnResult) => void): void {
    this.commit.add(entry, done);
    this.sync.append(entry);
  }

  /** Runs `done` once every txn submitted before it has been applied. */
  barrier(done: () => void): void {
    this.commit.barrier(done);
  }
}
