/**
 * zk-server: herd's zkServer.sh. `start-foreground [zoo.cfg]` runs a standalone ZooKeeper from an
 * Apache zoo.cfg; `--embedded` runs one on 127.0.0.1:2181 with data under ./data/zk.
 */
import { parseArgs } from "node:util";
import { assertStandalone, ConfigError, loadZooCfg, readMyid } from "../../zk/config/mod.ts";
import { startDurableServer } from "../../zk/server/durable.ts";
import { Logger } from "../../zk/server/log.ts";
import { serveAdmin } from "../../zk/admin/mod.ts";
import { settingsFromConfig } from "./settings.ts";

const USAGE =
  `Usage: zk-server [--config <conf-dir>] {start-foreground|start|stop|restart|status|print-cmd} [zoo.cfg]
  start-foreground [zoo.cfg]  run in the foreground (default zoo.cfg: $ZOOCFGDIR/zoo.cfg or ./conf/zoo.cfg)
  start-foreground --embedded run a standalone server on 127.0.0.1:2181, data under ./data/zk
  --help                      this text`;

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      help: { type: "boolean", short: "h" },
      embedded: { type: "boolean" },
      config: { type: "string" },
    },
    allowPositionals: true,
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }
  const [cmd, cfgArg] = positionals;
  if (cmd !== "start-foreground") {
    console.error(`zk-server: '${cmd}' is not available yet in herd; use start-foreground`);
    return 1;
  }
  const log = new Logger();
  if (values.embedded) {
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
    return await waitForever(stop);
  }
  const confDir = values.config ?? Deno.env.get("ZOOCFGDIR") ?? "./conf";
  const cfgPath = cfgArg ?? `${confDir}/zoo.cfg`;
  console.log(`Using config: ${cfgPath}`);
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
    return await waitForever(async () => {
      await admin?.shutdown();
      await stop();
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      log.error("main:ZooKeeperServerMain@1", `Invalid config, exiting abnormally: ${e.message}`);
      console.error(`Invalid config, exiting abnormally: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

function waitForever(stopServer: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = async () => {
      await stopServer();
      resolve(0);
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
