/**
 * The interactive prompt on a real terminal: zk-cli runs in a tmux pane (its own tmux server on
 * a private socket) against herd's server; keys are sent with send-keys and the screen read
 * with capture-pane. Skipped when tmux is missing (failed under CI=true, as DECISIONS.md asks).
 */
import assert from "node:assert/strict";
import { startTarget } from "../../zk/interop/_target.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;
const socket = `herd-zkcli-tty-${Deno.pid}`;

function tmuxMissing(): string | null {
  try {
    const ok = new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
      .outputSync().success;
    return ok ? null : "tmux -V failed";
  } catch {
    return "tmux is not installed (apt-get install tmux)";
  }
}

async function tmux(...args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args: ["-L", socket, ...args] }).output();
  if (!out.success) {
    throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

const screen = () => tmux("capture-pane", "-p", "-t", "cli");
const keys = (...k: string[]) => tmux("send-keys", "-t", "cli", ...k);
const typed = (text: string) => tmux("send-keys", "-t", "cli", "-l", text);

async function waitFor(pred: (s: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (true) {
    const s = await screen();
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const missing = tmuxMissing();
const ci = Deno.env.get("CI") === "true";
if (missing !== null && !ci) console.log(`skip zk-cli TTY test: ${missing}`);

Deno.test({
  name: "zk-cli on a terminal: prompt, editing keys, history, completion, ctrl-d",
  ignore: missing !== null && !ci,
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  if (missing !== null) throw new Error(`cannot run: ${missing}`);
  const t = await startTarget("herd");
  try {
    const cmd =
      `${Deno.execPath()} run -A ${MAIN} -server ${t.connectString}; echo EXIT=$?; sleep 60`;
    await tmux("new-session", "-d", "-s", "cli", "-x", "120", "-y", "40", cmd);
    const prompt = (n: number) => `[zk: ${t.connectString}(CONNECTED) ${n}]`;
    let s = await waitFor((s) => s.includes(prompt(0)), "the first prompt");
    assert.match(s, /Welcome to ZooKeeper!\nJLine support is enabled/);
    assert.match(s, /WatchedEvent state:SyncConnected type:None path:null/);

    await typed("create /tty hello");
    await keys("Enter");
    await waitFor((s) => s.includes("Created /tty") && s.includes(prompt(1)), "create");

    // Tab completes the path.
    await typed("get /tt");
    await keys("Tab");
    // (capture-pane drops trailing blanks: the completed "/tty " shows as "/tty".)
    await waitFor((s) => s.includes(`${prompt(1)} get /tty\n`), "completion");
    await keys("Enter");
    await waitFor((s) => /\nhello\n/.test(s) && s.includes(prompt(2)), "get");

    // Up recalls "get /tty "; ctrl-a, Delete and typing turn it into "set /tty world".
    await keys("Up");
    await waitFor((s) => s.includes(`${prompt(2)} get /tty`), "history");
    await keys("C-a", "DC");
    await typed("s");
    await keys("C-e");
    await typed("world");
    await waitFor((s) => s.includes(`${prompt(2)} set /tty world`), "the edited line");
    await keys("Enter");
    await waitFor((s) => s.includes(prompt(3)), "set");

    // Left moves the cursor: "get /ty" + Left + "t" is "get /tty".
    await typed("get /ty");
    await keys("Left");
    await typed("t");
    await keys("Enter");
    s = await waitFor((s) => s.includes(prompt(4)), "get after set");
    assert.match(s, /\nworld\n/);

    await typed("history");
    await keys("Enter");
    s = await waitFor((s) => s.includes(prompt(5)), "history");
    assert.match(
      s,
      /0 - create \/tty hello\n1 - get \/tty\n2 - set \/tty world\n3 - get \/tty\n4 - history/,
    );

    await keys("C-d");
    await waitFor((s) => s.includes("EXIT=0"), "exit on ctrl-d");
  } finally {
    await tmux("kill-server").catch(() => "");
    await t.stop();
  }
});
