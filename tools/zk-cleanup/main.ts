/**
 * zk-cleanup: herd's zkCleanup.sh (Apache's PurgeTxnLog). Keeps the newest `count` snapshots and
 * the transaction logs needed to replay from the oldest of them; removes the older files, printing
 * each as `Removing file: <modified>\t<path>`.
 *
 * Usage, as PurgeTxnLog: `zk-cleanup dataLogDir [snapDir] -n count`; or, as zkCleanup.sh, with the
 * directories read from zoo.cfg: `zk-cleanup [--config <zoo.cfg>] -n count`.
 *
 * @module
 */
import "../task_cwd.ts";
import { resolve } from "node:path";
import { ConfigError, loadZooCfg } from "../../zk/config/mod.ts";
import { purge } from "../../zk/persist/purge.ts";
import { javaMediumDateTime } from "../zk-txnlog/java_text.ts";

const USAGE = `Usage:
zk-cleanup dataLogDir [snapDir] -n count
zk-cleanup [--config zoo.cfg] -n count
	dataLogDir -- path to the txn log directory
	snapDir -- path to the snapshot directory
	count -- the number of old snaps/logs you want to keep, value should be greater than or equal to 3
	zoo.cfg -- read dataDir and dataLogDir from it (default: $ZOOCFGDIR/zoo.cfg, else ./conf/zoo.cfg)
`;

/** Thrown to end the run with PurgeTxnLog's exit code 1 after printing the usage. */
class UsageExit extends Error {}

function usageExit(message?: string): never {
  if (message) console.error(message);
  console.log(USAGE.trimEnd());
  throw new UsageExit();
}

/** java.io.File's normal form: no repeated or trailing separators. */
function fileForm(path: string): string {
  const p = path.replace(/\/+/g, "/");
  return p.length > 1 ? p.replace(/\/$/, "") : p;
}

function existing(path: string): string {
  try {
    Deno.statSync(path);
  } catch {
    usageExit(`Path '${resolve(path)}' does not exist. `);
  }
  return fileForm(path);
}

function count(text: string): number {
  if (!/^[+-]?\d+$/.test(text) || Math.abs(Number(text)) > 2 ** 31) {
    usageExit(`'${text}' can not be parsed to integer.`);
  }
  const n = Number(text);
  if (n < 3) usageExit("count should be greater than or equal to 3");
  return n;
}

/** Names in `<dir>/version-2` and their modification times (ms), before anything is removed. */
function mtimes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const e of Deno.readDirSync(`${dir}/version-2`)) {
      const path = `${dir}/version-2/${e.name}`;
      out.set(path, Deno.statSync(path).mtime?.getTime() ?? 0);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out;
}

/** FileTxnSnapLog's check that two different directories do not hold each other's files. */
function checkDirs(logDir: string, snapDir: string): string | null {
  if (logDir === snapDir) return null;
  const has = (dir: string, prefix: string) =>
    [...mtimes(dir).keys()].some((p) => p.slice(p.lastIndexOf("/") + 1).startsWith(prefix));
  if (has(logDir, "snapshot.")) {
    return "Log directory has snapshot files. Check if dataLogDir and dataDir configuration is correct.";
  }
  if (has(snapDir, "log.")) {
    return "Snapshot directory has log files. Check if dataLogDir and dataDir configuration is correct.";
  }
  return null;
}

async function dirsFromConfig(configArg: string | undefined): Promise<[string, string]> {
  const path = configArg ?? `${Deno.env.get("ZOOCFGDIR") ?? "./conf"}/zoo.cfg`;
  const cfg = await loadZooCfg(path);
  return [existing(cfg.dataLogDir), existing(cfg.dataDir)];
}

/** Runs the tool; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE.trimEnd());
    return 0;
  }
  try {
    const rest = [...args];
    let configArg: string | undefined;
    const at = rest.indexOf("--config");
    if (at >= 0) [, configArg] = rest.splice(at, 2);
    const n = rest.indexOf("-n");
    if (n < 0 || n + 1 >= rest.length) usageExit();
    const [, countText] = rest.splice(n, 2);
    if (rest.length > 2) usageExit();
    const [logDir, snapDir] = rest.length > 0
      ? [existing(rest[0]), existing(rest[1] ?? rest[0])]
      : await dirsFromConfig(configArg);
    const keep = count(countText);
    for (const d of [logDir, snapDir]) await Deno.mkdir(`${d}/version-2`, { recursive: true });
    const wrong = checkDirs(logDir, snapDir);
    if (wrong !== null) {
      console.error(wrong);
      return 1;
    }
    const before = new Map([...mtimes(logDir), ...mtimes(snapDir)]);
    const { removed } = await purge(snapDir, logDir, keep);
    // PurgeTxnLog lists the logs first, then the snapshots.
    const isLog = (p: string) => p.slice(p.lastIndexOf("/") + 1).startsWith("log.");
    for (const p of [...removed.filter(isLog), ...removed.filter((p) => !isLog(p))]) {
      console.log(`Removing file: ${javaMediumDateTime(before.get(p) ?? 0)}\t${p}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageExit) return 1;
    // Apache's PurgeTxnLog prints one line and its usage when it has no usable dirs, exit 1.
    if (e instanceof ConfigError) {
      console.error(e.message);
      console.log(USAGE.trimEnd());
      return 1;
    }
    console.error(`zk-cleanup: ${(e as Error)?.message ?? e}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
