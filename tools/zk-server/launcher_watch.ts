/**
 * A server started by a deno.json task stops when whatever launched it is gone, as it stops on
 * SIGTERM. `deno task` itself forwards SIGTERM and SIGINT to the server, but the README's
 * `npx -y deno@2.9.6 task start` does not: npm exec passes SIGTERM to the `sh -c` it runs `deno`
 * under, that shell dies without passing it on, and `deno task` is left running under init with
 * the server below it (measured with npm 11.19 and Deno 2.9.6: the port stayed open for good).
 *
 * So the server remembers its launch chain at start: its parent (`deno task`) and, when an npm
 * process (npx, npm exec, npm run) is among its ancestors, every process up to that one. Once a
 * second it checks that each is still there (`kill -0`, no process is spawned) and that its own
 * parent has not changed; when one is gone, it shuts down cleanly.
 *
 * Only a server the tasks start watches (they set `HERD_TASK_CWD`): `zk-server start`'s
 * background server, systemd's and the compiled binary's outlive their launchers on purpose.
 *
 * @module
 */
import process from "node:process";
import { TASK_CWD_VAR } from "../task_cwd.ts";

/** A process of the chain that launched this server. */
export interface Launcher {
  /** Its pid. */
  pid: number;
  /** Its command line as `ps` shows it. */
  args: string;
}

/** One process as `ps` shows it. */
export interface ProcessRow {
  /** Its parent's pid. */
  ppid: number;
  /** Its command line. */
  args: string;
}

const NPM_PROGRAMS = new Set(["npm", "npx", "npm-cli.js", "npx-cli.js"]);

/** Whether a command line is npm's own process (`npm exec …`, or node running npx-cli.js). */
export function isNpm(args: string): boolean {
  return args.split(/\s+/, 2).some((word) =>
    NPM_PROGRAMS.has(word.slice(word.lastIndexOf("/") + 1))
  );
}

/**
 * The launch chain from `parent` upwards, given the process table: up to and including the nearest
 * npm process, or just `parent` when there is none within `depth` steps.
 *
 * @example
 * ```ts
 * const table = new Map([[20, { ppid: 10, args: "deno task start" }], [10, { ppid: 1, args: "npm exec deno task start" }]]);
 * launchChain(20, table); // [{ pid: 20, … }, { pid: 10, args: "npm exec deno task start" }]
 * ```
 */
export function launchChain(
  parent: number,
  table: ReadonlyMap<number, ProcessRow>,
  depth = 8,
): Launcher[] {
  const chain: Launcher[] = [];
  for (let pid = parent; pid > 1 && chain.length < depth;) {
    const row = table.get(pid);
    if (row === undefined) break;
    chain.push({ pid, args: row.args });
    if (isNpm(row.args)) return chain;
    pid = row.ppid;
  }
  return [{ pid: parent, args: table.get(parent)?.args ?? "" }];
}

/** Every process's parent and command line, from one run of `ps`. */
async function processTable(): Promise<Map<number, ProcessRow>> {
  const out = await new Deno.Command("ps", {
    args: ["-A", "-o", "pid=", "-o", "ppid=", "-o", "args="],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!out.success) throw new Error(`ps exited with ${out.code}`);
  const table = new Map<number, ProcessRow>();
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m) table.set(Number(m[1]), { ppid: Number(m[2]), args: m[3] });
  }
  return table;
}

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === "ESRCH";
  }
}

/** The running watch. */
export interface LauncherWatch {
  /** Settles with the reason once a launcher is gone; never, when not started by a task. */
  readonly gone: Promise<string>;
  /** End the watch (the server is stopping anyway). */
  stop(): void;
}

/**
 * Start watching the launch chain of a server a deno.json task started (a watch that never fires
 * otherwise). It reads the chain before it returns, so call it before the server starts serving:
 * a launcher stopped in between would otherwise be missing from it. `note` hears when the chain
 * cannot be read, and only the parent is watched.
 *
 * @example
 * ```ts
 * const launcher = await watchLauncher(console.warn);
 * launcher.gone.then((why) => shutDown(why));
 * ```
 */
export async function watchLauncher(
  note: (why: string) => void,
  pollMs = 1000,
): Promise<LauncherWatch> {
  let byTask = false;
  try {
    byTask = Boolean(Deno.env.get(TASK_CWD_VAR));
  } catch { /* no env access: not started by a task */ }
  if (!byTask) return { gone: new Promise<string>(() => {}), stop() {} };
  const parent = Deno.ppid;
  let chain: Launcher[] = [{ pid: parent, args: "" }];
  try {
    chain = launchChain(parent, await processTable());
  } catch (e) {
    note(`Cannot list processes (${e}): stopping when the parent does, not an npx above it`);
  }
  let timer: ReturnType<typeof setInterval> | undefined;
  const gone = new Promise<string>((resolve) => {
    timer = setInterval(() => {
      let why: string | undefined;
      if (Deno.ppid !== parent) why = `parent process ${parent} has exited`;
      for (const l of chain) {
        if (why === undefined && isGone(l.pid)) {
          why = `launcher process ${l.pid} (${l.args}) has exited`;
        }
      }
      if (why === undefined) return;
      clearInterval(timer);
      resolve(why);
    }, pollMs);
    // The server keeps the process alive, not the watch.
    Deno.unrefTimer(timer);
  });
  return { gone, stop: () => clearInterval(timer) };
}
