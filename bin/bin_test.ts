/**
 * The bin/ scripts, named as Apache's, run from a directory of the user's own with paths relative
 * to it, print nothing of `deno task`, and source `$ZOOCFGDIR/zookeeper-env.sh` and `java.env`
 * as Apache's zkEnv.sh does, so what those set reaches the server process.
 */
import assert from "node:assert/strict";
import {
  fourLetters,
  freePort,
  portOpen,
  ROOT,
  run,
  waitForPort,
  zooCfg,
} from "../tools/_launch_test_util.ts";

const BIN = `${ROOT}bin`;
const TEST = { sanitizeOps: false, sanitizeResources: false };
const HEADER = "ZooKeeper JMX enabled by default\nUsing config: conf/zoo.cfg\n";

Deno.test({ name: "the bin/ scripts from a user's directory", ...TEST }, async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "herd-bin-" });
  const port = freePort();
  const sh = (script: string, ...args: string[]) => run(`${BIN}/${script}`, args, { cwd: dir });
  await Deno.mkdir(`${dir}/conf`);
  await Deno.writeTextFile(`${dir}/conf/zoo.cfg`, zooCfg(port, "data"));
  // Plain shell assignments, as users write them for Apache: the scripts export them.
  await Deno.writeTextFile(
    `${dir}/conf/zookeeper-env.sh`,
    'SERVER_JVMFLAGS="-Dzookeeper.4lw.commands.whitelist=ruok,srvr"\n',
  );
  await Deno.writeTextFile(`${dir}/conf/java.env`, "ZOO_LOG_DIR=logs\n");
  try {
    await t.step("zkServer.sh start", async () => {
      const r = await sh("zkServer.sh", "--config", "conf", "start");
      assert.deepEqual(r, { code: 0, out: "Starting zookeeper ... STARTED\n", err: HEADER });
      assert.ok(await waitForPort(port, true));
    });
    await t.step("zookeeper-env.sh reached the server, java.env zkServer.sh", async () => {
      assert.equal(await fourLetters(port, "ruok"), "imok", "the whitelist from SERVER_JVMFLAGS");
      const out = `${dir}/logs/zookeeper-${
        Deno.env.get("USER") ?? ""
      }-server-${Deno.hostname()}.out`;
      assert.match(await Deno.readTextFile(out), /binding to port/, "the .out in ZOO_LOG_DIR");
    });
    await t.step("zkCli.sh", async () => {
      const server = `127.0.0.1:${port}`;
      assert.equal((await sh("zkCli.sh", "-server", server, "create", "/bin-test", "v1")).code, 0);
      const r = await sh("zkCli.sh", "-server", server, "get", "/bin-test");
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^v1$/m);
      assert.doesNotMatch(r.err, /Task/);
    });
    await t.step("zkServer.sh status and stop", async () => {
      const status = await sh("zkServer.sh", "--config", "conf", "status");
      assert.equal(status.err, HEADER);
      assert.match(status.out, /Mode: standalone\n$/);
      const r = await sh("zkServer.sh", "--config", "conf", "stop");
      assert.deepEqual(r, { code: 0, out: "Stopping zookeeper ... STOPPED\n", err: HEADER });
      assert.equal(await portOpen(port), false);
    });
    const files = [...Deno.readDirSync(`${dir}/data/version-2`)].map((e) => e.name);
    await t.step("zkTxnLogToolkit.sh with a relative path", async () => {
      const log = files.find((f) => f.startsWith("log."))!;
      const r = await sh("zkTxnLogToolkit.sh", `data/version-2/${log}`);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /ZooKeeper Transactional Log File/);
      assert.match(r.out, /\/bin-test/);
      assert.equal(r.err, "");
    });
    await t.step("zkSnapShotToolkit.sh, and zkSnapshotToolkit.sh", async () => {
      const snap = files.find((f) => f.startsWith("snapshot."))!;
      for (const script of ["zkSnapShotToolkit.sh", "zkSnapshotToolkit.sh"]) {
        const r = await sh(script, `data/version-2/${snap}`);
        assert.equal(r.code, 0, r.err);
        assert.match(r.out, /ZNode Details/);
        assert.equal(r.err, "");
      }
    });
    await t.step("zkCleanup.sh reads dataDir from $ZOOCFGDIR/zoo.cfg", async () => {
      const r = await sh("zkCleanup.sh", "--config", "conf", "-n", "3");
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, "");
    });
  } finally {
    await sh("zkServer.sh", "--config", "conf", "stop");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reached through a symlink, with the checkout's conf/ by default", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-bin-" });
  try {
    await Deno.symlink(`${BIN}/zkServer.sh`, `${dir}/zkServer.sh`);
    const r = await run(`${dir}/zkServer.sh`, ["version"], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Apache ZooKeeper, version 3\.8\.0/);
    // Apache's zkEnv.sh: ZOOCFGDIR defaults to the conf/ beside bin/.
    assert.equal(r.err, `ZooKeeper JMX enabled by default\nUsing config: ${ROOT}conf/zoo.cfg\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({ name: "zkServer.sh start-foreground stops on SIGTERM", ...TEST }, async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-bin-" });
  const port = freePort();
  await Deno.writeTextFile(`${dir}/zoo.cfg`, zooCfg(port, "data"));
  const child = new Deno.Command(`${BIN}/zkServer.sh`, {
    args: ["start-foreground", "./zoo.cfg"],
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    assert.ok(await waitForPort(port, true), "the server listens");
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0);
    assert.equal(await portOpen(port), false);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await Deno.remove(dir, { recursive: true });
  }
});
