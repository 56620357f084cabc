/**
 * The durability stage on disk (Apache's SyncRequestProcessor + FileTxnSnapLog): group-committed
 * appends to the txn log, a log roll and a background snapshot after about snapCount txns
 * (randomised as Apache does so an ensemble does not snapshot all at once).
 */
import type { TxnEntry } from "../tree/txn.ts";
import type { DataTree } from "../tree/data_tree.ts";
import type { Durability } from "./durability.ts";
import { TxnLogWriter } from "./txn_log.ts";
import { type SnapshotSession, writeSnapshot } from "./snapshot.ts";
import { versionDir } from "./files.ts";
import type { SnapshotJob } from "./snapshot_worker.ts";

export interface StoreOptions {
  dataDir: string;
  dataLogDir: string;
  snapCount: number;
  /** Bytes. */
  preAllocSize: number;
  forceSync: boolean;
  random?: () => number;
  /**
   * Take background snapshots in a worker from the files (default), or serialise the live tree on
   * this thread between requests (also the fallback when a worker cannot start).
   */
  snapshotWorker?: boolean;
  /** The worker's module (tests point it elsewhere). */
  snapshotWorkerUrl?: string;
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
  private worker: Worker | null = null;
  private workerUnavailable = false;
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
    // The batch is in the file when append returns; its promise is the fsync.
    const durable = this.log.append(batch);
    this.txnsSinceSnap += batch.length;
    if (this.txnsSinceSnap > this.opts.snapCount / 2 + this.randRoll) {
      this.txnsSinceSnap = 0;
      this.randRoll = this.roll();
      // The rolled file ends with this batch: a snapshot as of its last zxid can be made from
      // the files alone, while later txns go to the next file.
      this.log.roll();
      const upTo = batch[batch.length - 1].hdr.zxid;
      // Once durable, and after the pipeline has applied it (it does so as this promise settles).
      durable.then(() => setTimeout(() => this.snapshotInBackground(upTo), 0), () => {});
    }
    return durable;
  }

  /**
   * Takes a snapshot unless one is already running (Apache: "Too busy to snap, skipping"): in a
   * worker from the files as of `upTo` when given, else from the live tree on this thread.
   */
  snapshotInBackground(upTo?: number): Promise<string> | null {
    if (this.snapshotting || !this.source) return null;
    const inThread = () =>
      writeSnapshot(versionDir(this.opts.dataDir), this.source!.tree, this.source!.sessions());
    this.snapshotting =
      upTo !== undefined && this.opts.snapshotWorker !== false && !this.workerUnavailable
        ? this.inWorker(upTo).catch((e) => {
          this.onWorkerError(e);
          return inThread();
        })
        : inThread();
    this.snapshotting.then((p) => this.onSnapshot(p), (e) => this.onError(e)).finally(() => {
      this.snapshotting = null;
    });
    return this.snapshotting;
  }

  /** Told when a worker snapshot failed and the live tree was serialised instead. */
  onWorkerError: (e: unknown) => void = () => {};

  /**
   * Runs a patch in a worker of its own, ended when done: a worker kept between snapshots holds
   * on to the memory of the last one (measured: ~400 MB more resident after 1M creates).
   */
  private inWorker(upTo: number): Promise<string> {
    return new Promise((resolve, reject) => {
      let w: Worker;
      try {
        const url = this.opts.snapshotWorkerUrl ??
          new URL("./snapshot_worker.ts", import.meta.url).href;
        // A bundle copied without its worker: say so in the fallback's WARN, instead of the
        // runtime printing an "Uncaught (in worker)" trace when the module fails to load.
        if (url.startsWith("file:") && !exists(new URL(url))) {
          this.workerUnavailable = true;
          return reject(new Error(`no snapshot worker module at ${new URL(url).pathname}`));
        }
        w = new Worker(url, { type: "module" });
      } catch (e) {
        return reject(e);
      }
      this.worker = w;
      w.onmessage = (e: MessageEvent<{ ok: boolean; path?: string; error?: string }>) => {
        w.terminate();
        if (this.worker === w) this.worker = null;
        if (e.data.ok) resolve(e.data.path!);
        else reject(new Error(e.data.error));
      };
      w.onerror = (e) => {
        // The worker itself failed (its module missing, as in a bundle): stop trying it.
        e.preventDefault();
        w.terminate();
        if (this.worker === w) this.worker = null;
        this.workerUnavailable = true;
        reject(new Error(e.message));
      };
      const job: SnapshotJob = {
        dataDir: this.opts.dataDir,
        dataLogDir: this.opts.dataLogDir,
        upTo,
      };
      w.postMessage(job);
    });
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
    this.worker?.terminate();
    this.worker = null;
    this.log.close();
  }
}

function exists(path: URL): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
