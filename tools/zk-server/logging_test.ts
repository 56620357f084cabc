/**
 * The seed's 日志滚动 recipe run against the server process: ZOO_LOG4J_PROP=INFO,ROLLINGFILE and
 * ZOO_LOG_DIR, with the size and count from `-D` flags in SERVER_JVMFLAGS, under the permissions
 * the deno.json tasks give it.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ZkClient } from "../../zk/client/mod.ts";
import { freePort, taskFlags } from "./_server_process.ts";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
// The zk-server task's own flags (deno.json), not -A: what users run it with.
const TASK_FLAGS = await taskFlags();
const TEST = { sanitizeOps: false, sanitizeResources: false };

async function until(what: string, ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

async function writeCfg(dir: string, port: number): Promise<string> {
  const cfg = `${dir}/zoo.cfg`;
  await Deno.writeTextFile(
    cfg,
    `tickTime=2000\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
      "admin.enableServer=false\n",
  );
  return cfg;
}

/** Opens and closes `n` sessions: two INFO lines each (Established session, Closed socket). */
async function churn(port: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await ZkClient.connect(`127.0.0.1:${port}`, { sessionTimeout: 4000 });
    ids.push(`0x${c.sessionId.toString(16)}`);
    await c.close();
  }
  return ids;
}

const LINE =
  /^\d{4}-\d\d-\d\d [\d:]+,\d{3} \[myid:\d*\] - (DEBUG|INFO |WARN |ERROR) \[[^\]]+\] - .*$/;

Deno.test({
  name: "start-foreground with ZOO_LOG4J_PROP=INFO,ROLLINGFILE rolls its log by size and count",
  ...TEST,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-zk-logging-" });
  const port = freePort();
  const cfg = await writeCfg(dir, port);
  const logDir = `${dir}/log4j`; // the seed's ZOO_LOG_DIR="$ZOOBINDIR/./log4j"
  const user = Deno.env.get("USER") ?? "";
  const base = `zookeeper-${user}-server-${Deno.hostname()}.log`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...TASK_FLAGS, main, "start-foreground", cfg],
    env: {
      // DEBUG (root and the file's threshold): the session lines that fill the files are DEBUG
      // in 3.8, as in Apache.
      ZOO_LOG4J_PROP: "DEBUG,ROLLINGFILE",
      ZOO_LOG_DIR: logDir,
      SERVER_JVMFLAGS:
        "-Xmx512m -Dzookeeper.log.maxfilesize=2KB -Dzookeeper.log.maxbackupindex=3 " +
        "-Dzookeeper.log.threshold=DEBUG",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  try {
    await until("the server", async () => {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return true;
      } catch {
        return false;
      }
    });
    const ids = await churn(port, 40);
    const last = ids[ids.length - 1];
    // Lines reach the file within a turn of the server's event loop; the last one may have rolled
    // the file, and so be in .1.
    await until(`the close of ${last} in the log`, async () => {
      for (const name of [base, `${base}.1`]) {
        const text = await Deno.readTextFile(`${logDir}/${name}`).catch(() => "");
        if (text.includes(`which had sessionid ${last}`)) return true;
      }
      return false;
    });
    child.kill("SIGTERM");
    const done = await output;
    assert.equal(done.code, 0, "a SIGTERM'd server exits cleanly");
    assert.doesNotMatch(
      new TextDecoder().decode(done.stdout),
      /\[myid:/,
      "ROLLINGFILE instead of CONSOLE: no log lines on stdout",
    );
    assert.doesNotMatch(new TextDecoder().decode(done.stderr), /log4j:|Uncaught/);

    assert.deepEqual(await listDir(logDir), [base, `${base}.1`, `${base}.2`, `${base}.3`]);
    const sessions: string[] = [];
    for (const name of [`${base}.3`, `${base}.2`, `${base}.1`, base]) {
      const text = await Deno.readTextFile(`${logDir}/${name}`);
      assert.ok(text.endsWith("\n"), `${name} ends on a whole line`);
      const lines = text.slice(0, -1).split("\n");
      for (const l of lines) assert.match(l, LINE, `${name} holds whole lines`);
      if (name !== base) {
        const size = new TextEncoder().encode(text).length;
        const lastLine = new TextEncoder().encode(lines[lines.length - 1]).length + 1;
        assert.ok(size >= 2048 && size - lastLine < 2048, `${name}: ${size} B, rolled at 2KB`);
      }
      for (const l of lines) {
        const m = /Established session (0x[0-9a-f]+)/.exec(l);
        if (m) sessions.push(m[1]);
      }
    }
    // The oldest files went; what is kept is the newest sessions, in order, none missing.
    assert.ok(!sessions.includes(ids[0]), "the first session's lines rolled off the end");
    assert.deepEqual(sessions, ids.slice(ids.length - sessions.length));
    assert.ok(sessions.length >= 10, `${sessions.length} sessions in 4 files of 2 KB`);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await output.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "zk-server start with ROLLINGFILE: the .log sits beside the .out, which gets no log lines",
  ...TEST,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-zk-logging-" });
  const port = freePort();
  const cfg = await writeCfg(dir, port);
  const env = { ZOO_LOG4J_PROP: "INFO,ROLLINGFILE" };
  const script = (cmd: string) =>
    new Deno.Command(Deno.execPath(), { args: ["run", ...TASK_FLAGS, main, cmd, cfg], env })
      .output();
  const stem = `${dir}/data/zookeeper-${Deno.env.get("USER") ?? ""}-server-${Deno.hostname()}`;
  try {
    try {
      assert.equal((await script("start")).code, 0);
      await until("binding in the .log", async () => {
        const text = await Deno.readTextFile(`${stem}.log`).catch(() => "");
        return text.includes("binding to port");
      });
    } finally {
      await script("stop");
    }
    assert.doesNotMatch(await Deno.readTextFile(`${stem}.out`), /\[myid:/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
