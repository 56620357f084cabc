/**
 * `zk-server start|stop|restart|print-cmd`: herd in the background as zkServer.sh runs Apache's —
 * a detached `start-foreground` child with its output in
 * `$ZOO_LOG_DIR/zookeeper-$USER-server-$HOSTNAME.out` (ZOO_LOG_DIR defaults to the dataDir), and
 * its pid in `$ZOOPIDFILE` or `<dataDir>/zookeeper_server.pid`, written without a newline.
 *
 * @module
 */
import { dirname } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { TASK_CWD_VAR } from "../task_cwd.ts";
import { cfgDataDir } from "./client_port.ts";
import { v8FlagsArg } from "./v8_flags.ts";

/** How one zk-server invocation reaches the outside world. */
export interface ScriptIo {
  /** Write to stdout as is (the script prints `Starting zookeeper ... ` without a newline). */
  write(text: string): void;
  /** One line on stderr. */
  error(line: string): void;
  /** An environment variable. */
  env(name: string): string | undefined;
}

/** The files a background server uses, from the zoo.cfg text and the environment. */
export interface DaemonFiles {
  /** Where the server's pid goes. */
  pidFile: string;
  /** Where the server's stdout and stderr go. */
  outFile: string;
}

/**
 * The permissions a `deno run` child gets: the ones this process was given, so the deno.json task
 * stays the one place they are written (a compiled binary re-runs itself with its own).
 */
const CHILD_PERMISSIONS = ["net", "read", "write", "env", "sys", "run"] as const;

function grantedFlags(): string[] {
  const granted = CHILD_PERMISSIONS.filter((name) =>
    Deno.permissions.querySync({ name }).state === "granted"
  );
  // Run with --allow-all (as the tasks and the binary run the server), the child gets it too:
  // only --allow-all may read /proc/self, where mntr's file descriptor counts come from.
  const all = granted.length === CHILD_PERMISSIONS.length &&
    Deno.permissions.querySync({ name: "ffi" }).state === "granted";
  return all ? ["--allow-all"] : granted.map((name) => `--allow-${name}`);
}

/**
 * The pid and output files for a zoo.cfg, creating their directories as zkServer.sh does.
 *
 * @example
 * ```ts
 * const { pidFile } = await daemonFiles("dataDir=/tmp/zk\n", { write() {}, error() {}, env: Deno.env.get });
 * // "/tmp/zk/zookeeper_server.pid"
 * ```
 */
export async function daemonFiles(cfg: string, io: ScriptIo): Promise<DaemonFiles> {
  const dataDir = cfgDataDir(cfg) ?? ".";
  let pidFile = io.env("ZOOPIDFILE");
  if (pidFile) {
    await Deno.mkdir(dirname(pidFile), { recursive: true });
  } else {
    await Deno.mkdir(dataDir, { recursive: true });
    pidFile = `${dataDir}/zookeeper_server.pid`;
  }
  const logDir = io.env("ZOO_LOG_DIR") || dataDir;
  await Deno.mkdir(logDir, { recursive: true });
  const outFile = `${logDir}/zookeeper-${io.env("USER") ?? ""}-server-${Deno.hostname()}.out`;
  return { pidFile, outFile };
}

/** The command line that runs this server in the foreground on `cfgPath`. */
export function foregroundCommand(cfgPath: string): string[] {
  const exec = Deno.execPath();
  // A `deno compile` binary is its own entry point; under `deno run` (or a bundle) the script is.
  if (!/(^|[\\/])deno(\.exe)?$/.test(exec)) return [exec, "start-foreground", cfgPath];
  const main = Deno.mainModule.startsWith("file:")
    ? fileURLToPath(Deno.mainModule)
    : Deno.mainModule;
  return [exec, "run", v8FlagsArg(), ...grantedFlags(), main, "start-foreground", cfgPath];
}

/** `print-cmd`: the command `start` would run, quoted as zkServer.sh prints it. */
export function printCmd(cfgPath: string, files: DaemonFiles): string {
  const [exec, ...args] = foregroundCommand(cfgPath);
  const shown = args.map((a) => (a === cfgPath || a.includes("/") ? `"${a}"` : a));
  return `"${exec}" ${shown.join(" ")} > "${files.outFile}" 2>&1 < /dev/null`;
}

/** Thrown when this process may not look at other processes (run without --allow-run). */
export class CannotCheckProcess extends Error {}

/**
 * Whether `pid` names a live process, asked as zkServer.sh asks (`kill -0`); a zombie counts as
 * gone. Needs --allow-run: Deno 2.9 lets only --allow-all read `/proc/<pid>/stat`, so reading it
 * (as herd once did) said "not running" for every pid under the tasks' flags.
 */
export async function isRunning(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw new CannotCheckProcess(`cannot tell whether process ${pid} runs: ${e.message}`);
    }
    // EPERM: it runs, as another user.
    return (e as { code?: string }).code === "EPERM";
  }
  return !(await isZombie(pid));
}

/** A process that has exited but is not yet reaped still answers `kill -0`. */
async function isZombie(pid: number): Promise<boolean> {
  if (Deno.build.os === "linux") {
    try {
      const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
    } catch { /* only --allow-all may read it: ask ps */ }
  }
  try {
    const ps = await new Deno.Command("ps", {
      args: ["-o", "stat=", "-p", String(pid)],
      stdout: "piped",
      stderr: "null",
    }).output();
    return new TextDecoder().decode(ps.stdout).trim().startsWith("Z");
  } catch {
    return false;
  }
}

async function readPid(pidFile: string): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(pidFile)).trim();
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `start`: daemonise herd; 0 on STARTED, 1 when already running or it died at once. */
export async function start(cfgPath: string, cfg: string, io: ScriptIo): Promise<number> {
  const files = await daemonFiles(cfg, io);
  io.write("Starting zookeeper ... ");
  const old = await readPid(files.pidFile);
  try {
    if (old !== undefined && (await isRunning(Number(old)))) {
      io.write(`already running as process ${old}.\n`);
      return 1;
    }
  } catch (e) {
    if (!(e instanceof CannotCheckProcess)) throw e;
    // Starting anyway would overwrite the pid file and the .out of a server that may be live.
    io.write("FAILED TO START\n");
    io.error(`zk-server: ${e.message}; run it with --allow-run, as the zk-server task does`);
    return 1;
  }
  const [exec, ...args] = foregroundCommand(cfgPath);
  // The server outlives this process: it must not take the task's directory as a sign that a
  // deno task owns it (launcher_watch.ts), so it gets the environment without that variable.
  const env = Deno.env.toObject();
  delete env[TASK_CWD_VAR];
  // The .log of ZOO_LOG4J_PROP=…,ROLLINGFILE goes beside the .out, as zkServer.sh's -D does.
  env.ZOO_LOG_DIR = dirname(files.outFile);
  // The shell only redirects and then execs, so the pid it reports is the server's own.
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", 'exec "$@" > "$0" 2>&1 < /dev/null', files.outFile, exec, ...args],
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  try {
    await Deno.writeTextFile(files.pidFile, String(child.pid));
  } catch {
    io.write("FAILED TO WRITE PID\n");
    return 1;
  }
  // zkServer.sh checks the process is still alive a second later.
  const exited = await Promise.race([child.status.then(() => true), sleep(1000).then(() => false)]);
  if (exited) {
    io.write("FAILED TO START\n");
    return 1;
  }
  child.unref();
  io.write("STARTED\n");
  return 0;
}

/**
 * `stop`: SIGTERM the pid in the pid file and wait for it to go. 0 as zkServer.sh, also for a
 * stale pid file; 1 when the server could not be signalled or still runs after `waitMs`.
 */
export async function stop(cfg: string, io: ScriptIo, waitMs = 30_000): Promise<number> {
  const files = await daemonFiles(cfg, io);
  io.write("Stopping zookeeper ... ");
  const text = await readPid(files.pidFile);
  if (text === undefined) {
    io.write(`no zookeeper to stop (could not find file ${files.pidFile})\n`);
    return 0;
  }
  const pid = Number(text);
  try {
    // An empty or garbled pid file must not become kill(0), which signals our own group.
    if (!Number.isInteger(pid) || pid <= 0) throw new Deno.errors.NotFound(text);
    Deno.kill(pid, "SIGTERM");
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      io.write("FAILED TO STOP\n");
      io.error(`zk-server: ${e.message}; run it with --allow-run, as the zk-server task does`);
      return 1;
    }
    const why = e instanceof Deno.errors.PermissionDenied
      ? "Operation not permitted"
      : "No such process";
    io.error(`kill: (${text}) - ${why}`);
  }
  // Apache sleeps one second and says STOPPED; herd says it once the process is gone, so a
  // restart finds the port free and STOPPED is true.
  const deadline = Date.now() + waitMs;
  while (await isRunning(pid)) {
    if (Date.now() >= deadline) {
      io.write(`FAILED TO STOP: process ${pid} still runs ${waitMs / 1000} s after SIGTERM\n`);
      return 1;
    }
    await sleep(50);
  }
  await Deno.remove(files.pidFile).catch(() => {});
  io.write("STOPPED\n");
  return 0;
}
