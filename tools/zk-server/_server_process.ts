/**
 * Test helper: runs `zk-server` as the deno.json task does (the task's own permission and V8
 * flags, not -A, so a missing permission shows), collects its output, and waits on conditions.
 */
import { freePort, portOpen, ROOT, taskLine, zooCfg } from "../_launch_test_util.ts";

export { freePort };

/** The flags `deno task <task>` passes to `deno run` (permissions, V8 flags). */
export async function taskFlags(task = "zk-server"): Promise<string[]> {
  const words = (await taskLine(task)).split(/\s+/);
  return words.slice(words.indexOf("run") + 1).filter((w) => w.startsWith("--"));
}

/** A zk-server process, its output as it comes, and its exit. */
export interface ServerProcess {
  child: Deno.ChildProcess;
  /** stdout and stderr so far, interleaved as read. */
  output(): string;
  /** Resolves with the exit code once the process has ended and its output is read. */
  exited: Promise<number>;
}

/** Starts `zk-server <args>` from `tools/zk-server/main.ts` with the task's flags. */
export async function spawnZkServer(args: string[], env: Record<string, string> = {}): Promise<
  ServerProcess
> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...await taskFlags(), `${ROOT}tools/zk-server/main.ts`, ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drain = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) text += decoder.decode(chunk, { stream: true });
  };
  const reading = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const exited = child.status.then(async (s) => {
    await reading;
    return s.code;
  });
  return { child, output: () => text, exited };
}

/** Waits until `cond` holds, checking every 50 ms; fails with `what` after `ms`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True once something accepts connections on 127.0.0.1:port. */
export const listening = portOpen;

/** Writes `<dir>/zoo.cfg` for a standalone server on 127.0.0.1:port; its path. */
export async function writeZooCfg(dir: string, port: number, dataDir: string, extra = "") {
  const cfg = `${dir}/zoo.cfg`;
  await Deno.writeTextFile(cfg, zooCfg(port, dataDir, extra));
  return cfg;
}

/**
 * The exit code of a process expected to end on its own; a process still running after `ms` is
 * killed and the test fails instead of hanging.
 */
export async function exitCode(p: ServerProcess, ms = 60_000): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), ms)));
  const got = await Promise.race([p.exited, late]);
  clearTimeout(timer);
  if (got !== "late") return got;
  p.child.kill("SIGKILL");
  await p.exited;
  throw new Error(`still running after ${ms} ms; its output:\n${p.output()}`);
}
