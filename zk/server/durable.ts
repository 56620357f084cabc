/**
 * A server on disk: recover the tree and sessions from dataDir/dataLogDir, take the start-up
 * snapshot as Apache does, then serve with the txn log as the durability stage.
 */
import { FileStore } from "../persist/store.ts";
import { recover } from "../persist/recovery.ts";
import { DigestCheck } from "../persist/digest_check.ts";
import { RateLogger } from "./rate_logger.ts";
import { purge } from "../persist/purge.ts";
import { Logger } from "../../internal/log.ts";
import { DEFAULT_SETTINGS, type ServerSettings, ZkServer } from "./server.ts";
import { herdLine, LOG_SITES } from "./log_sites.ts";

/** Apache's `Snapshotting: 0x<zxid> to <path>`, the zxid read from the file's name. */
function snapshotting(path: string): string {
  const zxid = /snapshot\.([0-9a-f]+)$/.exec(path)?.[1] ?? "?";
  return `Snapshotting: 0x${zxid} to ${path}`;
}

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
  for (const n of rec.notes) log.warn(herdLine("main:FileTxnSnapLog"), n);
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
  server.metrics.digestMismatches = digest.mismatches;
  const loadMs = Math.round(performance.now() - started);
  server.metrics.dbInitTime.add(loadMs);
  server.metrics.startupTxnsLoaded.add(rec.txnsReplayed);
  store.source = {
    tree: server.tree,
    sessions: () =>
      [...server.sessions.sessions.values()].map((x) => ({ id: x.id, timeout: x.timeout })),
  };
  store.onSnapshot = (p) => log.info(`Snapshot Thread:${LOG_SITES.snapshotting}`, snapshotting(p));
  store.onWorkerError = (e) =>
    log.warn(
      herdLine("Snapshot Thread:SyncRequestProcessor"),
      `Snapshot worker failed, serialising the tree in the server thread instead: ${e}`,
    );
  store.onError = (e) => log.error(LOG_SITES.snapshotFailed, `Unexpected exception\n${e}`);
  log.info(
    LOG_SITES.snapshotLoaded,
    `Snapshot loaded in ${Math.round(performance.now() - started)} ms, highest zxid is 0x${
      server.lastZxid().toString(16)
    }, digest is ${server.tree.digest.value}`,
  );
  const snapStarted = server.clock.now();
  const snapshot = await store.snapshotNow();
  const snapMs = server.clock.now() - snapStarted;
  server.metrics.snapshotTime.add(snapMs);
  log.info(`main:${LOG_SITES.snapshotting}`, snapshotting(snapshot));
  log.info(`main:${LOG_SITES.snapshotTaken}`, `Snapshot taken in ${snapMs} ms`);
  server.start();
  let purgeTimer: ReturnType<typeof setInterval> | undefined;
  const ap = opts.autopurge;
  if (ap && ap.purgeInterval > 0) {
    const run = () => {
      log.info(LOG_SITES.purgeStarted, "Purge task started.");
      purge(s.dataDir, s.dataLogDir, ap.snapRetainCount).then(
        () => log.info(LOG_SITES.purgeCompleted, "Purge task completed."),
        (e) => log.error(LOG_SITES.purgeFailed, `Error occurred while purging.\n${e}`),
      );
    };
    // Apache's DatadirCleanupManager schedules its task with no initial delay: the first purge
    // runs as the server starts, not an interval later.
    run();
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
