/**
 * A server on disk: recover the tree and sessions from dataDir/dataLogDir, take the start-up
 * snapshot as Apache does, then serve with the txn log as the durability stage.
 */
import { FileStore } from "../persist/store.ts";
import { recover } from "../persist/recovery.ts";
import { purge } from "../persist/purge.ts";
import { Logger } from "./log.ts";
import { DEFAULT_SETTINGS, type ServerSettings, ZkServer } from "./server.ts";

export interface DurableOptions {
  snapCount?: number;
  /** KB, as zoo.cfg's preAllocSize. */
  preAllocSizeKB?: number;
  forceSync?: boolean;
  autopurge?: { purgeInterval: number; snapRetainCount: number };
}

export async function startDurableServer(
  settings: Partial<ServerSettings>,
  opts: DurableOptions = {},
  log: Logger = new Logger(),
): Promise<{ server: ZkServer; store: FileStore; stop(): Promise<void> }> {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const started = performance.now();
  const rec = await recover(s.dataDir, s.dataLogDir);
  for (const n of rec.notes) log.warn("main:FileTxnSnapLog@1", n);
  const store = new FileStore({
    dataDir: s.dataDir,
    dataLogDir: s.dataLogDir,
    snapCount: opts.snapCount ?? 100000,
    preAllocSize: (opts.preAllocSizeKB ?? 65536) * 1024,
    forceSync: opts.forceSync ?? true,
  });
  const server = new ZkServer({
    settings: s,
    durability: store,
    tree: rec.tree,
    sessions: rec.sessions,
    logger: log,
  });
  store.log.fsyncTime = server.metrics.fsyncTime;
  const loadMs = Math.round(performance.now() - started);
  server.metrics.dbInitTime.add(loadMs);
  server.metrics.startupTxnsLoaded.add(rec.txnsReplayed);
  store.source = {
    tree: server.tree,
    sessions: () =>
      [...server.sessions.sessions.values()].map((x) => ({ id: x.id, timeout: x.timeout })),
  };
  store.onSnapshot = (p) => log.info("Snapshot Thread:FileTxnSnapLog@1", `Snapshotting: ${p}`);
  store.onWorkerError = (e) =>
    log.warn(
      "Snapshot Thread:SyncRequestProcessor@1",
      `Snapshot worker failed, serialising the tree in the server thread instead: ${e}`,
    );
  store.onError = (e) =>
    log.error("Snapshot Thread:SyncRequestProcessor@1", `Unexpected exception: ${e}`);
  log.info(
    "main:ZKDatabase@1",
    `Snapshot loaded in ${Math.round(performance.now() - started)} ms, highest zxid is 0x${
      server.lastZxid().toString(16)
    }, digest is 0 (${rec.txnsReplayed} txns replayed)`,
  );
  const snapStarted = Date.now();
  await store.snapshotNow();
  server.metrics.snapshotTime.add(Date.now() - snapStarted);
  server.start();
  let purgeTimer: ReturnType<typeof setInterval> | undefined;
  const ap = opts.autopurge;
  if (ap && ap.purgeInterval > 0) {
    const run = () =>
      purge(s.dataDir, s.dataLogDir, ap.snapRetainCount).then(
        (r) =>
          log.info(
            "PurgeTask:FileTxnSnapLog@1",
            `Purge task completed, removed ${r.removed.length} files`,
          ),
        (e) => log.error("PurgeTask:FileTxnSnapLog@1", `Error occurred while purging: ${e}`),
      );
    purgeTimer = setInterval(run, ap.purgeInterval * 3600 * 1000);
  }
  return {
    server,
    store,
    async stop() {
      if (purgeTimer !== undefined) clearInterval(purgeTimer);
      await server.stop();
      store.close();
    },
  };
}
