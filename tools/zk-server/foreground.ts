/**
 * `zk-server start-foreground`: run a standalone herd ZooKeeper in this process until SIGINT or
 * SIGTERM, from an Apache zoo.cfg or (`--embedded`) on 127.0.0.1:2181 with data under ./data/zk.
 *
 * @module
 */
import {
  assertStandalone,
  assertSupported,
  isEnsemble,
  loadZooCfg,
  readMyid,
} from "../../zk/config/mod.ts";
import { startDurableServer } from "../../zk/server/durable.ts";
import { Logger } from "../../internal/log.ts";
import { loggingFromEnv } from "../../zk/server/log_settings.ts";
import { serveAdmin, servePrometheus } from "../../zk/admin/mod.ts";
import type { ServerView } from "../../zk/server/view.ts";
import { herdLine, LOG_SITES } from "../../zk/server/log_sites.ts";
import { resolveLocalHostName } from "../../zk/fourletter/mod.ts";
import { type LauncherWatch, watchLauncher } from "./launcher_watch.ts";
import { settingsFromConfig } from "./settings.ts";
import { startEnsembleMember } from "./ensemble.ts";
import { AdminServerError, exitOnUncaught, reportFailure } from "./start_failure.ts";

/**
 * Serve from `cfgPath` until a stop signal; the exit code (2 for a bad config, as Apache exits
 * abnormally on one).
 *
 * @example
 * ```ts
 * Deno.exit(await runForeground("/etc/zookeeper/conf/zoo.cfg"));
 * ```
 */
export async function runForeground(cfgPath: string): Promise<number> {
  loggingFromEnv();
  const log = new Logger();
  exitOnUncaught(log);
  const launcher = await watchLauncher((why) => log.warn(WHERE, why));
  try {
    const cfg = await loadZooCfg(cfgPath);
    // server.N lines: an ensemble member (reconfig's dynamic file is still refused).
    const ensemble = isEnsemble(cfg) && cfg.dynamicConfigFile === undefined;
    if (!ensemble) assertStandalone(cfg);
    assertSupported(cfg);
    for (const w of cfg.warnings) log.warn(herdLine("main:QuorumPeerConfig"), w);
    // envi's host.name, Java's canonical name of this host: resolved once, in the background.
    resolveLocalHostName();
    const found = await readMyid(cfg.dataDir);
    const myid = found ?? 0;
    log.myid = myid ? String(myid) : "";
    // Apache boots its metrics provider before the server, and does not start if it cannot.
    let view: ServerView | null = null;
    let metricsHttp: Deno.HttpServer | null = null;
    const prom = cfg.prometheus;
    if (prom) {
      log.info(
        LOG_SITES.prometheusStarting,
        `Starting /metrics HTTP endpoint at host: ${prom.host}, port: ${prom.port}, ` +
          `exportJvmInfo: ${prom.exportJvmInfo}`,
      );
      try {
        metricsHttp = servePrometheus(() => view, {
          hostname: prom.host,
          port: prom.port,
          exportProcessInfo: prom.exportJvmInfo,
        });
      } catch (e) {
        log.error(
          LOG_SITES.prometheusFailed,
          `Cannot start /metrics server on ${prom.host}:${prom.port}: ${(e as Error).message}`,
        );
        return 1;
      }
    }
    const { server, stop } = ensemble
      ? await startEnsembleMember(cfg, found, log)
      : await startDurableServer(settingsFromConfig(cfg, myid), {
        snapCount: cfg.snapCount,
        preAllocSizeKB: cfg.preAllocSize,
        forceSync: cfg.forceSync,
        autopurge: cfg.autopurge,
      }, log);
    view = server.viewImpl;
    let admin: Deno.HttpServer | null = null;
    if (cfg.admin.enableServer) {
      try {
        admin = serveAdmin(server.viewImpl, {
          hostname: cfg.admin.serverAddress,
          port: cfg.admin.serverPort,
          commandUrl: cfg.admin.commandURL,
          initialConfiguration: await Deno.readTextFile(cfgPath),
          systemProperties: Object.fromEntries(cfg.systemProperties),
        });
        log.info(
          LOG_SITES.adminStarted,
          `Started AdminServer on address ${cfg.admin.serverAddress}, port ${cfg.admin.serverPort} and command URL ${cfg.admin.commandURL}`,
        );
      } catch (e) {
        // Apache 3.8.0 does not serve on without the AdminServer it was asked for: it exits 4.
        await metricsHttp?.shutdown();
        await stop();
        throw new AdminServerError((e as Error).message, { cause: e });
      }
    }
    return await waitForStop(
      async () => {
        await admin?.shutdown();
        await metricsHttp?.shutdown();
        await stop();
      },
      log,
      launcher,
    );
  } catch (e) {
    return reportFailure(log, e);
  }
}

/** What runs beside the embedded ZooKeeper (the `start` task's Kafka broker). */
export interface EmbeddedExtra {
  /** Starts after ZooKeeper serves; resolves with its stop function. */
  start(log: Logger): Promise<() => Promise<void>>;
}

/**
 * `start-foreground --embedded`: 127.0.0.1:2181, data under ./data/zk; with `extra`, that too
 * (started once ZooKeeper serves, stopped before it).
 */
export async function runEmbedded(extra?: EmbeddedExtra): Promise<number> {
  loggingFromEnv();
  const log = new Logger();
  exitOnUncaught(log);
  const launcher = await watchLauncher((why) => log.warn(WHERE, why));
  try {
    const { stop } = await startDurableServer(
      {
        clientPort: 2181,
        clientPortAddress: "127.0.0.1",
        dataDir: "./data/zk",
        dataLogDir: "./data/zk",
      },
      {},
      log,
    );
    let stopExtra: () => Promise<void> = () => Promise.resolve();
    try {
      if (extra) stopExtra = await extra.start(log);
    } catch (e) {
      await stop();
      throw e;
    }
    return await waitForStop(
      async () => {
        await stopExtra();
        await stop();
      },
      log,
      launcher,
    );
  } catch (e) {
    return reportFailure(log, e);
  }
}

const WHERE = "main:ZooKeeperServerMain";

/** Serve until SIGINT, SIGTERM or, for a server a deno task started, its launcher's exit. */
function waitForStop(
  stopServer: () => Promise<void>,
  log: Logger,
  launcher: LauncherWatch,
): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      launcher.stop();
      await stopServer();
      resolve(0);
    };
    launcher.gone.then((why) => {
      log.info(WHERE, `Shutting down: ${why}`);
      stop();
    });
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
}
