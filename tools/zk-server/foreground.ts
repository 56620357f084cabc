/**
 * `zk-server start-foreground`: run a standalone herd ZooKeeper in this process until SIGINT or
 * SIGTERM, from an Apache zoo.cfg or (`--embedded`) on 127.0.0.1:2181 with data under ./data/zk.
 *
 * @module
 */
import { assertStandalone, loadZooCfg, readMyid } from "../../zk/config/mod.ts";
import { startDurableServer } from "../../zk/server/durable.ts";
import { Logger } from "../../zk/server/log.ts";
import { loggingFromEnv } from "../../zk/server/log_settings.ts";
import { serveAdmin } from "../../zk/admin/mod.ts";
import { type LauncherWatch, watchLauncher } from "./launcher_watch.ts";
import { settingsFromConfig } from "./settings.ts";
import { exitOnUncaught, reportFailure } from "./start_failure.ts";

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
    assertStandalone(cfg);
    for (const w of cfg.warnings) log.warn("main:QuorumPeerConfig@1", w);
    const myid = (await readMyid(cfg.dataDir)) ?? 0;
    log.myid = myid ? String(myid) : "";
    const { server, stop } = await startDurableServer(settingsFromConfig(cfg, myid), {
      snapCount: cfg.snapCount,
      preAllocSizeKB: cfg.preAllocSize,
      forceSync: cfg.forceSync,
      autopurge: cfg.autopurge,
    }, log);
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
          "main:JettyAdminServer@1",
          `Started AdminServer on address ${cfg.admin.serverAddress}, port ${cfg.admin.serverPort} and command URL ${cfg.admin.commandURL}`,
        );
      } catch (e) {
        // Apache logs and serves on without its AdminServer when the port is taken.
        log.warn("main:ZooKeeperServerMain@1", `Problem starting AdminServer: ${e}`);
      }
    }
    return await waitForStop(
      async () => {
        await admin?.shutdown();
        await stop();
      },
      log,
      launcher,
    );
  } catch (e) {
    return reportFailure(log, e);
  }
}

/** `start-foreground --embedded`: 127.0.0.1:2181, data under ./data/zk. */
export async function runEmbedded(): Promise<number> {
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
    return await waitForStop(stop, log, launcher);
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
