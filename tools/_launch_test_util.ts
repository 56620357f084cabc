/**
 * Test support for the launchers (deno.json tasks, bin/ scripts, the compiled binary's flags):
 * tests start the tools exactly as users do, never with `-A`, which would hide what the tasks'
 * permissions cannot do.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The checkout's root directory, with a trailing slash. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The root deno.json. */
export const DENO_JSON = `${ROOT}deno.json`;

/** What a finished process printed. */
export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** Run a command to the end, stdin closed. */
export async function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Ran> {
  const r = await new Deno.Command(cmd, { args, stdin: "null", ...opts }).output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

/**
 * The environment a user's shell in `cwd` gives `deno task`: `deno task` (and npm) keep an
 * INIT_CWD they inherit, and these tests may themselves run under `deno task test`, whose
 * INIT_CWD is the checkout.
 */
export function userShellEnv(cwd: string): Record<string, string> {
  return { INIT_CWD: cwd };
}

/** `deno task -q --config <root>/deno.json <name> …args`, as the bin/ scripts run it. */
export function task(name: string, args: string[], cwd: string): Promise<Ran> {
  return run(Deno.execPath(), ["task", "-q", "--config", DENO_JSON, name, ...args], {
    cwd,
    env: userShellEnv(cwd),
  });
}

/** A deno.json task's command line. */
export async function taskLine(name: string): Promise<string> {
  const tasks = JSON.parse(await Deno.readTextFile(DENO_JSON)).tasks as Record<string, string>;
  return tasks[name];
}

/**
 * The Deno flags `deno task compile` bakes into the zk-server binary (its permissions and V8
 * flags), to run the server under `deno run` with exactly those.
 */
export async function compiledServerFlags(): Promise<string[]> {
  const server = (await taskLine("compile")).split("&&")
    .find((part) => part.includes("tools/zk-server/main.ts"))!;
  return server.trim().split(/\s+/).filter((w) =>
    w.startsWith("--allow-") || w.startsWith("--v8-flags=")
  );
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
export async function portOpen(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

/** Wait until the port is open (or closed); false when it was not within `ms`. */
export async function waitForPort(port: number, open: boolean, ms = 30_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await portOpen(port)) === open) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Send a four-letter word and read the answer. */
export async function fourLetters(port: number, word: string): Promise<string> {
  const c = await Deno.connect({ hostname: "127.0.0.1", port });
  await c.write(new TextEncoder().encode(word));
  let out = "";
  const buf = new Uint8Array(4096);
  for (let n; (n = await c.read(buf)) !== null;) {
    out += new TextDecoder().decode(buf.subarray(0, n));
  }
  c.close();
  return out;
}

/** A zoo.cfg for a standalone server on `port` with its data under `dataDir`. */
export function zooCfg(port: number, dataDir: string, extra = ""): string {
  return `tickTime=2000\ndataDir=${dataDir}\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
    `admin.enableServer=false\n${extra}`;
}
