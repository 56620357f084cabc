/**
 * A server on disk: recover the tree and sessions from dataDir/dataLogDir, take the start-up
 * snapshot as Apache does, then serve with the txn log as the durability stage.
 */
import { FileStore } from "../persist/store.ts";
import { recover } from "../persist/recovery.ts";
import { DigestCheck } from "../persist/digest_check.ts";
import { RateLogger } from "./rate_logger.ts";
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
  // DataTree's RATE_LOGGER logs as RateLogger, from the thread loading the database.
  const rate = new RateLogger((w, m) => log.warn(w, m), (line) => `main:RateLogger@${line}`);
  const digest = new DigestCheck({
    info: (w, m) => log.info(w, m),
    warn: (w, m) => log.warn(w, m),
    error: (w, m) => log.error(w, m),
    rateLimited: (m, v) => rate.log(m, v),
    flushRateLimited: () => rate.flush(),
  });
  const rec = await recover(s.dataDir, s.dataLogDir, digest);
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
    "main:ZKDatabase@289",
    `Snapshot loaded in ${Math.round(performance.now() - started)} ms, highest zxid is 0x${
      server.lastZxid().toString(16)
    }, digest is ${server.tree.digest.value}`,
  );
  await store.snapshotNow();
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
