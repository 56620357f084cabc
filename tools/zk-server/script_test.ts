/**
 * zk-server start / status / stop / restart as processes, printing what Debian's zkServer.sh
 * 3.8.0 prints (the conformance suite compares them with Apache's script line by line). They run
 * under the zk-server task's own flags and under the compiled binary's, never `-A`: under Deno 2.9
 * only `-A` may read `/proc/<pid>/stat`, which once made every server look stopped.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  compiledServerFlags,
  freePort,
  portOpen,
  type Ran,
  run,
  task,
  zooCfg,
} from "../_launch_test_util.ts";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const TEST = { sanitizeOps: false, sanitizeResources: false };
const outName = `zookeeper-${Deno.env.get("USER") ?? ""}-server-${Deno.hostname()}.out`;

async function userDir(port: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "herd-zk-server-" });
  await Deno.mkdir(`${dir}/conf`);
  // A relative dataDir, as a user's own: read from the directory the command is run in.
  await Deno.writeTextFile(`${dir}/conf/zoo.cfg`, zooCfg(port, "data"));
  return dir;
}

Deno.test(
  { name: "start, status, restart and stop under the zk-server task", ...TEST },
  async () => {
    const port = freePort();
    const dir = await userDir(port);
    // From the user's directory, with a path relative to it: `deno task` itself runs in the checkout.
    const zkServer = (...args: string[]) => task("zk-server", args, dir);
    const header = "ZooKeeper JMX enabled by default\nUsing config: conf/zoo.cfg\n";
    const found = `Client port found: ${port}. Client address: 127.0.0.1. Client SSL: false.\n`;
    const pidFile = `${dir}/data/zookeeper_server.pid`;
    try {
      const started = await zkServer("start", "conf/zoo.cfg");
      assert.deepEqual(started, { code: 0, out: "Starting zookeeper ... STARTED\n", err: header });
      const pid = await Deno.readTextFile(pidFile);
      assert.match(pid, /^\d+$/, "the pid file holds the pid and no newline");

      let up = await zkServer("status", "conf/zoo.cfg");
      for (let i = 0; i < 100 && up.code !== 0; i++) up = await zkServer("status", "conf/zoo.cfg");
      assert.deepEqual(up, { code: 0, out: `${found}Mode: standalone\n`, err: header });

      const again = await zkServer("start", "conf/zoo.cfg");
      assert.deepEqual(again, {
        code: 1,
        out: `Starting zookeeper ... already running as process ${pid}.\n`,
        err: header,
      });
      assert.equal(await Deno.readTextFile(pidFile), pid, "the pid file is left alone");
      assert.match(
        await Deno.readTextFile(`${dir}/data/${outName}`),
        /binding to port/,
        "the running server's output is not truncated",
      );

      const restarted = await zkServer("restart", "conf/zoo.cfg");
      assert.equal(
        restarted.out,
        "Stopping zookeeper ... STOPPED\nStarting zookeeper ... STARTED\n",
      );
      assert.equal(restarted.err, header.repeat(3));
      assert.notEqual(await Deno.readTextFile(pidFile), pid);

      assert.deepEqual(await zkServer("stop", "conf/zoo.cfg"), {
        code: 0,
        out: "Stopping zookeeper ... STOPPED\n",
        err: header,
      });
      assert.equal(await portOpen(port), false, "STOPPED only once the server is gone");
      const down = await zkServer("status", "conf/zoo.cfg");
      assert.equal(down.code, 1);
      assert.equal(down.out, `${found}Error contacting service. It is probably not running.\n`);
      const none = await zkServer("stop", "conf/zoo.cfg");
      assert.equal(
        none.out,
        `Stopping zookeeper ... no zookeeper to stop (could not find file data/zookeeper_server.pid)\n`,
      );
    } finally {
      await zkServer("stop", "conf/zoo.cfg");
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test({ name: "start and stop under the compiled binary's flags", ...TEST }, async () => {
  const port = freePort();
  const dir = await userDir(port);
  const flags = await compiledServerFlags();
  // --allow-all: ps/kill for start and stop, /proc/self for mntr's file descriptor counts.
  assert.ok(flags.includes("--allow-all"), flags.join(" "));
  const zkServer = (...args: string[]): Promise<Ran> =>
    run(Deno.execPath(), ["run", ...flags, main, ...args], { cwd: dir });
  try {
    assert.equal((await zkServer("start", "conf/zoo.cfg")).out, "Starting zookeeper ... STARTED\n");
    const pid = await Deno.readTextFile(`${dir}/data/zookeeper_server.pid`);
    const again = await zkServer("start", "conf/zoo.cfg");
    assert.equal(again.code, 1);
    assert.equal(again.out, `Starting zookeeper ... already running as process ${pid}.\n`);
    let up = await zkServer("status", "conf/zoo.cfg");
    for (let i = 0; i < 100 && up.code !== 0; i++) up = await zkServer("status", "conf/zoo.cfg");
    assert.match(up.out, /Mode: standalone/);
    assert.equal((await zkServer("stop", "conf/zoo.cfg")).out, "Stopping zookeeper ... STOPPED\n");
    assert.equal(await portOpen(port), false, "STOPPED only once the server is gone");
  } finally {
    await zkServer("stop", "conf/zoo.cfg");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without --allow-run, start refuses rather than clobber a live server", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-zk-server-" });
  try {
    await Deno.writeTextFile(`${dir}/zoo.cfg`, zooCfg(freePort(), `${dir}/data`));
    await Deno.mkdir(`${dir}/data`);
    // This test's own pid: a process that certainly runs.
    await Deno.writeTextFile(`${dir}/data/zookeeper_server.pid`, String(Deno.pid));
    const r = await run(Deno.execPath(), [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      main,
      "start",
      `${dir}/zoo.cfg`,
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.out, "Starting zookeeper ... FAILED TO START\n");
    assert.match(r.err, /cannot tell whether process \d+ runs: .*--allow-run/);
    assert.equal(await Deno.readTextFile(`${dir}/data/zookeeper_server.pid`), String(Deno.pid));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("usage, version and print-cmd", async () => {
  const zkServer = (...args: string[]) => task("zk-server", args, "/tmp");
  const usage = await zkServer();
  assert.equal(usage.code, 0, "zkServer.sh exits 0 after its usage line");
  assert.match(
    usage.err,
    /^ZooKeeper JMX enabled by default\nUsing config: .*\nUsage: zk-server \[--config <conf-dir>\] \{start\|start-foreground\|stop\|version\|restart\|status\|print-cmd\}\n$/,
  );
  assert.match((await zkServer("version")).out, /^Apache ZooKeeper, version 3\.8\.0\S* \d{4}-/);
  const cmd = await zkServer("print-cmd", "/tmp/herd-print-cmd/zoo.cfg");
  assert.match(
    cmd.out,
    /--allow-all "\/.*\/tools\/zk-server\/main.ts" start-foreground "\/tmp\/herd-print-cmd\/zoo.cfg" > ".*\.out" 2>&1 < \/dev\/null\n$/,
    "the background server gets the task's permissions",
  );
  await Deno.remove("/tmp/herd-print-cmd", { recursive: true }).catch(() => {});
});
