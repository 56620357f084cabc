/**
 * zk-server: herd's zkServer.sh. `start-foreground`, `start`, `stop`, `restart`, `status`,
 * `print-cmd` and `version` on an Apache zoo.cfg, printing what Debian's zkServer.sh 3.8.0 prints
 * (its `ZooKeeper JMX enabled by default` / `Using config: …` lines on stderr, then the command's
 * own output); `start-foreground --embedded` runs a server on 127.0.0.1:2181 with no zoo.cfg.
 *
 * @module
 */
import "../task_cwd.ts";
import { dirname } from "node:path";
import { ZK_VERSION } from "../../zk/server/server_view.ts";
import { daemonFiles, printCmd, type ScriptIo, start, stop } from "./daemon.ts";
import { runEmbedded, runForeground } from "./foreground.ts";
import { status } from "./status.ts";

const COMMANDS = "{start|start-foreground|stop|version|restart|status|print-cmd}";

const HELP = `Usage: zk-server [--config <conf-dir>] ${COMMANDS} [zoo.cfg]
  start-foreground [zoo.cfg]  run in the foreground (default zoo.cfg: $ZOOCFGDIR/zoo.cfg or ./conf/zoo.cfg)
  start [zoo.cfg]             run in the background; pid in <dataDir>/zookeeper_server.pid (or $ZOOPIDFILE),
                              output in $ZOO_LOG_DIR (default: the dataDir)/zookeeper-$USER-server-<host>.out
  stop [zoo.cfg]              stop the server started with start
  restart [zoo.cfg]           stop, then start
  status [zoo.cfg]            ask the server (srvr) and print its Mode
  print-cmd [zoo.cfg]         print the command start runs
  version                     print the version
  start-foreground --embedded run a standalone server on 127.0.0.1:2181, data under ./data/zk
  --help                      this text`;

const encoder = new TextEncoder();

const io: ScriptIo = {
  write: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
  error: (line) => console.error(line),
  env: (name) => Deno.env.get(name),
};

/** The zoo.cfg path as zkServer.sh picks it: a bare name lives in the conf dir, a path is as is. */
function configPath(confDir: string, arg: string | undefined): string {
  if (arg === undefined || arg === "") return `${confDir}/${Deno.env.get("ZOOCFG") || "zoo.cfg"}`;
  const inDir = `${confDir}/${arg}`;
  return dirname(inDir) === confDir ? inDir : arg;
}

/** The lines zkServer.sh prints on stderr before every command. */
function header(cfgPath: string): void {
  const jmx = Deno.env.get("JMXDISABLE");
  io.error(
    !jmx || jmx === "false" ? "ZooKeeper JMX enabled by default" : "JMX disabled by user request",
  );
  io.error(`Using config: ${cfgPath}`);
}

async function readCfg(cfgPath: string): Promise<string> {
  try {
    return await Deno.readTextFile(cfgPath);
  } catch {
    // The script's greps complain and carry on with empty values; so does herd.
    io.error(`zk-server: ${cfgPath}: No such file or directory`);
    return "";
  }
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  let confDir = Deno.env.get("ZOOCFGDIR") || "./conf";
  if (args[0] === "--config") {
    confDir = args[1] ?? confDir;
    args = args.slice(2);
  }
  const [cmd, cfgArg] = args;
  if (cmd === "start-foreground" && cfgArg === "--embedded") return await runEmbedded();
  const cfgPath = configPath(confDir, cfgArg);
  header(cfgPath);
  switch (cmd) {
    case "start-foreground":
      return await runForeground(cfgPath);
    case "start":
      return await start(cfgPath, await readCfg(cfgPath), io);
    case "stop":
      return await stop(await readCfg(cfgPath), io);
    case "restart": {
      const cfg = await readCfg(cfgPath);
      // zkServer.sh restarts by running itself twice, so each half prints its own header.
      header(cfgPath);
      await stop(cfg, io);
      header(cfgPath);
      return await start(cfgPath, cfg, io);
    }
    case "status":
      return await status(await readCfg(cfgPath), { out: (line) => console.log(line) });
    case "print-cmd":
      console.log(printCmd(cfgPath, await daemonFiles(await readCfg(cfgPath), io)));
      return 0;
    case "version":
      console.log(`Apache ZooKeeper, version ${ZK_VERSION.replace(", built on", "")}`);
      return 0;
    default:
      // Apache prints its usage and exits 0, even for an unknown command.
      io.error(`Usage: zk-server [--config <conf-dir>] ${COMMANDS}`);
      return 0;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
