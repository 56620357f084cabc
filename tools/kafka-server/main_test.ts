/**
 * kafka-server (kafka-server-start.sh) as a process under the task's flags, against herd's
 * ZooKeeper in this process: it starts, registers, serves Metadata and stops cleanly on SIGTERM
 * (its ephemeral znode gone); a bad server.properties, a missing file and an unreachable
 * ZooKeeper each end in Apache's two lines and exit 1, with no stack trace.
 */
import assert from "node:assert/strict";
import { DENO_JSON, freePort, ROOT, userShellEnv, waitForPort } from "../_launch_test_util.ts";
import { exitCode, type ServerProcess, taskFlags, waitFor } from "../zk-server/_server_process.ts";
import { ZkServer } from "../../zk/server/server.ts";
import { ZkClient } from "../../zk/client/mod.ts";
import { Logger } from "../../internal/log.ts";
import { decodeBroker } from "../../kafka/controller/znodes.ts";

async function spawnBroker(args: string[]): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...await taskFlags("kafka-server-start"),
      `${ROOT}tools/kafka-server/main.ts`,
      ...args,
    ],
    env: { NO_COLOR: "1" },
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

async function withZk(body: (addr: string, dir: string) => Promise<void>): Promise<void> {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  const dir = await Deno.makeTempDir({ prefix: "herd-kafka-server-" });
  try {
    await body(`127.0.0.1:${server.port}`, dir);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function noStack(out: string): void {
  assert.doesNotMatch(out, /^\s+at /m, "no stack frame");
  assert.doesNotMatch(out, /Uncaught/);
}

Deno.test({
  name: "kafka-server starts, registers in ZooKeeper and stops cleanly on SIGTERM",
  sanitizeOps: false,
  sanitizeResources: false,
}, () =>
  withZk(async (zkAddr, dir) => {
    await Deno.writeTextFile(
      `${dir}/server.properties`,
      [
        "broker.id=7",
        "listeners=PLAINTEXT://127.0.0.1:0",
        `log.dirs=${dir}/logs`,
        `zookeeper.connect=${zkAddr}/k`,
        "",
      ].join("\n"),
    );
    const p = await spawnBroker([`${dir}/server.properties`]);
    const zk = await ZkClient.connect(zkAddr);
    try {
      await waitFor(
        () => p.output().includes("[KafkaServer id=7] started (kafka.server.KafkaServer)"),
        "the broker to start",
      );
      const reg = decodeBroker("/k/brokers/ids/7", (await zk.getData("/k/brokers/ids/7")).data!);
      assert.equal(reg.endpoints.length, 1);
      assert.match(reg.endpoints[0], /^PLAINTEXT:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await zk.getData("/k/controller")).data !== null, true);
      p.child.kill("SIGTERM");
      assert.equal(await exitCode(p), 0);
      assert.match(p.output(), /\[KafkaServer id=7\] shut down completed/);
      await assert.rejects(
        zk.getData("/k/brokers/ids/7"),
        "the registration left with the session",
      );
      noStack(p.output());
    } finally {
      await zk.close();
      try {
        p.child.kill("SIGKILL");
      } catch { /* already gone */ }
    }
  }));

Deno.test("kafka-server: a bad value names file, line and key; exit 1, no stack", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-kafka-server-" });
  try {
    await Deno.writeTextFile(
      `${dir}/s.properties`,
      "zookeeper.connect=127.0.0.1:1\nbroker.id=abc\n",
    );
    const p = await spawnBroker([`${dir}/s.properties`]);
    assert.equal(await exitCode(p), 1);
    const out = p.output();
    assert.match(out, /ERROR Exiting Kafka due to fatal exception \(kafka\.Kafka\$\)/);
    assert.match(
      out,
      /ConfigException: .*s\.properties line 2: Invalid value abc for configuration broker\.id: Not a number of type INT/,
    );
    noStack(out);
    const missing = await spawnBroker([`${dir}/nope.properties`]);
    assert.equal(await exitCode(missing), 1);
    assert.match(missing.output(), /java\.nio\.file\.NoSuchFileException: .*nope\.properties/);
    noStack(missing.output());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kafka-server: ZooKeeper unreachable is Kafka's timeout line, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-kafka-server-" });
  try {
    // Port 1 on loopback refuses at once; the timeout is what ends the attempts.
    await Deno.writeTextFile(
      `${dir}/s.properties`,
      "zookeeper.connect=127.0.0.1:1\nzookeeper.connection.timeout.ms=1500\nlisteners=PLAINTEXT://127.0.0.1:0\n" +
        `log.dirs=${dir}/logs\n`,
    );
    const p = await spawnBroker([`${dir}/s.properties`]);
    assert.equal(await exitCode(p), 1);
    const out = p.output();
    assert.match(out, /ERROR Fatal error during KafkaServer startup\. Prepare to shutdown/);
    assert.match(
      out,
      /ZooKeeperClientTimeoutException: Timed out waiting for connection while in state: CONNECTING/,
    );
    noStack(out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kafka-server --version and no arguments print what Apache's script prints", async () => {
  const v = await spawnBroker(["--version"]);
  assert.equal(await exitCode(v), 0);
  assert.equal(v.output(), "2.8.2 (Commit:3146c6ff4a24cc24)\n");
  const script = await new Deno.Command(`${ROOT}bin/kafka-server-start.sh`, { stdout: "piped" })
    .output();
  assert.equal(script.code, 1);
  assert.match(
    new TextDecoder().decode(script.stdout),
    /^USAGE: .*kafka-server-start\.sh \[-daemon\] server\.properties \[--override property=value\]\*\n$/,
  );
});

Deno.test({
  name: "kafka-server under deno task stops when the task is killed (SIGKILL)",
  sanitizeOps: false,
  sanitizeResources: false,
}, () =>
  withZk(async (zkAddr, dir) => {
    const port = freePort();
    await Deno.writeTextFile(
      `${dir}/server.properties`,
      `broker.id=3\nlisteners=PLAINTEXT://127.0.0.1:${port}\nlog.dirs=${dir}/logs\n` +
        `zookeeper.connect=${zkAddr}\n`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "--config", DENO_JSON, "kafka-server-start", "server.properties"],
      cwd: dir,
      env: userShellEnv(dir),
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    try {
      assert.ok(await waitForPort(port, true, 60_000), "the broker serves");
      child.kill("SIGKILL");
      await child.status;
      assert.ok(await waitForPort(port, false, 30_000), "the broker went with its launcher");
    } finally {
      try {
        Deno.kill(-child.pid, "SIGKILL");
      } catch { /* the group is gone */ }
    }
  }));
