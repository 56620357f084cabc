/**
 * The durability stage on disk (Apache's SyncRequestProcessor + FileTxnSnapLog): group-committed
 * appends to the txn log, a log roll and a background snapshot after about snapCount txns
 * (randomised as Apache does so an ensemble does not snapshot all at once).
 */
import type { TxnEntry } from "../tree/txn.ts";
import type { DataTree } from "../tree/data_tree.ts";
import type { Durability } from "../server/pipeline.ts";
import { TxnLogWriter } from "./txn_log.ts";
import { type SnapshotSession, writeSnapshot } from "./snapshot.ts";
import { versionDir } from "./files.ts";

export interface StoreOptions {
  dataDir: string;
  dataLogDir: string;
  snapCount: number;
  /** Bytes. */
  preAllocSize: number;
  forceSync: boolean;
  random?: () => number;
}

export interface SnapshotSource {
  tree: DataTree;
  sessions(): SnapshotSession[];
}

export class FileStore implements Durability {
  readonly log: TxnLogWriter;
  private txnsSinceSnap = 0;
  private randRoll: number;
  private snapshotting: Promise<string> | null = null;
  source: SnapshotSource | null = null;
  onSnapshot: (path: string) => void = () => {};
  onError: (e: unknown) => void = () => {};

  constructor(readonly opts: StoreOptions) {
    this.log = new TxnLogWriter(versionDir(opts.dataLogDir), opts.preAllocSize, opts.forceSync);
    this.randRoll = this.roll();
  }

  private roll(): number {
    return Math.floor((this.opts.random ?? Math.random)() * (this.opts.snapCount / 2));
  }

  persist(batch: readonly TxnEntry[]): Promise<void> {
    return this.log.append(batch).then(() => {
      this.txnsSinceSnap += batch.length;
      if (this.txnsSinceSnap > this.opts.snapCount / 2 + this.randRoll) {
        this.txnsSinceSnap = 0;
        this.randRoll = this.roll();
        this.log.roll();
        // After this batch is applied (the pipeline does so right after we resolve).
        setTimeout(() => this.snapshotInBackground(), 0);
      }
    });
  }

  /** Takes a snapshot unless one is already running (Apache: "Too busy to snap, skipping"). */
  snapshotInBackground(): Promise<string> | null {
    if (this.snapshotting || !this.source) return null;
    const src = this.source;
    this.snapshotting = writeSnapshot(versionDir(this.opts.dataDir), src.tree, src.sessions());
    this.snapshotting.then((p) => this.onSnapshot(p), (e) => this.onError(e)).finally(() => {
      this.snapshotting = null;
    });
    return this.snapshotting;
  }

  /** A snapshot now, in full (at start-up, as Apache takes one after loading). */
  snapshotNow(): Promise<string> {
    const src = this.source!;
    return writeSnapshot(
      versionDir(this.opts.dataDir),
      src.tree,
      src.sessions(),
      Number.MAX_SAFE_INTEGER,
    );
  }

  close(): void {
    this.log.close();
  }
}
