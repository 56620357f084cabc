/**
 * `zk-server start|stop|restart|print-cmd`: herd in the background as zkServer.sh runs Apache's —
 * a detached `start-foreground` child with its output in
 * `$ZOO_LOG_DIR/zookeeper-$USER-server-$HOSTNAME.out` (ZOO_LOG_DIR defaults to the dataDir), and
 * its pid in `$ZOOPIDFILE` or `<dataDir>/zookeeper_server.pid`, written without a newline.
 *
 * @module
 */
import { dirname } from "node:path";
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

/** The permissions `start-foreground` needs when the child runs under `deno run`. */
const RUN_FLAGS = ["--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-sys"];

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
  return [exec, "run", v8FlagsArg(), ...RUN_FLAGS, main, "start-foreground", cfgPath];
}

/** `print-cmd`: the command `start` would run, quoted as zkServer.sh prints it. */
export function printCmd(cfgPath: string, files: DaemonFiles): string {
  const [exec, ...args] = foregroundCommand(cfgPath);
  const shown = args.map((a) => (a === cfgPath || a.includes("/") ? `"${a}"` : a));
  return `"${exec}" ${shown.join(" ")} > "${files.outFile}" 2>&1 < /dev/null`;
}

/** Whether `pid` names a live process (a zombie counts as gone). */
export async function isRunning(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (Deno.build.os === "linux") {
    try {
      const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
      return false;
    }
  }
  const probe = await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" })
    .output();
  return probe.success;
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
  if (old !== undefined && (await isRunning(Number(old)))) {
    io.write(`already running as process ${old}.\n`);
    return 1;
  }
  const [exec, ...args] = foregroundCommand(cfgPath);
  // The server outlives this process: it must not take the task's directory as a sign that a
  // deno task owns it (launcher_watch.ts), so it gets the environment without that variable.
  const env = Deno.env.toObject();
  delete env[TASK_CWD_VAR];
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

/** `stop`: SIGTERM the pid in the pid file and wait for it to go; always 0, as zkServer.sh. */
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
    Deno.kill(pid, "SIGTERM");
  } catch {
    io.error(`kill: (${text}) - No such process`);
  }
  await Deno.remove(files.pidFile).catch(() => {});
  // Apache sleeps one second; herd waits for the exit so a restart finds the port free.
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && (await isRunning(pid))) await sleep(50);
  io.write("STOPPED\n");
  return 0;
}
