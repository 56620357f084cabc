/**
 * herd's Kafka tools side by side with Apache Kafka 2.8.2's, on one Apache 2.8.2 broker (on
 * herd's ZooKeeper, started as kafka/log/_apache.ts starts it): each step runs Apache's script and
 * herd's with the same arguments and compares stdout, stderr and exit code (log timestamps
 * masked), or feeds one tool's output to the other's. Skipped with the reason printed when java
 * or the Kafka jars are missing; under CI=true it fails instead (DECISIONS.md).
 */
import assert from "node:assert/strict";
import { withHerdBrokerProcess } from "../kafka/server/_herd_broker_process.ts";
import { fileURLToPath } from "node:url";
import {
  ApacheBroker,
  apacheIgnored,
  KAFKA_BIN,
  requireApache,
  waitFor,
  ZooKeeper,
} from "../kafka/log/_apache.ts";

const HERD_BIN = fileURLToPath(new URL("../bin", import.meta.url));
const TEST = { sanitizeOps: false, sanitizeResources: false };

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function run(cmd: string, args: string[], stdin?: string): Promise<Ran> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { INIT_CWD: Deno.cwd() },
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const r = await child.output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

/** Log timestamps and Java stack frames (herd prints none) masked. */
function norm(text: string): string {
  return text.split("\n")
    .filter((l) => !/^\t(at |\.\.\. \d+ more)/.test(l))
    .map((l) => l.replace(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\]/, "[T]"))
    .join("\n");
}

const apache = (script: string, args: string[], stdin?: string) =>
  run(`${KAFKA_BIN}/${script}`, args, stdin);
const herd = (script: string, args: string[], stdin?: string) =>
  run(`${HERD_BIN}/${script}`, args, stdin);

async function same(script: string, args: string[]): Promise<Ran> {
  const [a, h] = [await apache(script, args), await herd(script, args)];
  assert.equal(norm(h.out), norm(a.out), `stdout of ${script} ${args.join(" ")}`);
  assert.equal(norm(h.err), norm(a.err), `stderr of ${script} ${args.join(" ")}`);
  assert.equal(h.code, a.code, `exit code of ${script} ${args.join(" ")}`);
  return h;
}

/**
 * Where Apache 2.8.2's console producer put these keys on a 3-partition topic (recorded on this
 * machine with `--property parse.key=true --property key.separator=:`, read back with
 * print.partition): murmur2 of the key's UTF-8 bytes, the empty key included.
 */
const APACHE_PLACEMENT: Record<string, number> = {
  "21": 0,
  "foobar": 0,
  "abc": 0,
  "k": 2,
  "key1": 2,
  "héllo": 0,
  "": 0,
};

/** Every step, against the broker at `B` (Apache's or herd's). */
async function scenario(
  t: Deno.TestContext,
  B: string,
  spawned: Deno.ChildProcess[],
): Promise<void> {
  const topics = (...args: string[]) =>
    apache("kafka-topics.sh", ["--bootstrap-server", B, ...args]);
  await topics("--create", "--topic", "keys", "--partitions", "3", "--replication-factor", "1");
  await topics(
    "--create",
    "--topic",
    "lines",
    "--partitions",
    "2",
    "--replication-factor",
    "1",
  );

  await t.step("herd's producer places keys where Apache's does", async () => {
    const input = Object.keys(APACHE_PLACEMENT).map((k, i) => `${k}:v${i}\n`).join("");
    const p = await herd("kafka-console-producer.sh", [
      "--bootstrap-server",
      B,
      "--topic",
      "keys",
      "--property",
      "parse.key=true",
      "--property",
      "key.separator=:",
    ], input);
    assert.deepEqual([p.code, p.out, p.err], [0, "", ""]);
    const c = await apache("kafka-console-consumer.sh", [
      "--bootstrap-server",
      B,
      "--topic",
      "keys",
      "--from-beginning",
      "--max-messages",
      "7",
      "--property",
      "print.partition=true",
      "--property",
      "print.key=true",
    ]);
    const got: Record<string, number> = {};
    for (const line of c.out.trim().split("\n")) {
      const [partition, key] = line.split("\t");
      got[key] = Number(partition.replace("Partition:", ""));
    }
    assert.deepEqual(got, APACHE_PLACEMENT);
    assert.match(c.err, /Processed a total of 7 messages/);
  });

  await t.step("Apache's producer, herd's consumer in a group, Apache's describe", async () => {
    const p = await apache(
      "kafka-console-producer.sh",
      ["--bootstrap-server", B, "--topic", "lines"],
      "one\ntwo\nthree\nfour\n",
    );
    assert.equal(p.code, 0, p.err);
    const c = await herd("kafka-console-consumer.sh", [
      "--bootstrap-server",
      B,
      "--topic",
      "lines",
      "--group",
      "hg",
      "--from-beginning",
      "--max-messages",
      "3",
      "--property",
      "print.offset=true",
    ]);
    assert.equal(c.code, 0, c.err);
    assert.equal(c.out.trim().split("\n").length, 3);
    assert.match(c.out, /^Offset:\d+\t(one|two|three|four)$/m);
    assert.equal(c.err, "Processed a total of 3 messages\n");
    // The group committed exactly what was printed (3 records over the two partitions).
    const d = await same("kafka-consumer-groups.sh", [
      "--bootstrap-server",
      B,
      "--describe",
      "--group",
      "hg",
    ]);
    const current = d.out.trim().split("\n").slice(1).map((l) => Number(l.split(/\s+/)[3]));
    assert.equal(current.reduce((a, b) => a + b, 0), 3, d.out);
    // The rest comes next time, from the committed offsets.
    const rest = await herd("kafka-console-consumer.sh", [
      "--bootstrap-server",
      B,
      "--topic",
      "lines",
      "--group",
      "hg",
      "--timeout-ms",
      "3000",
    ]);
    assert.equal(rest.out.trim().split("\n").length, 1, rest.out);
    assert.match(
      rest.err,
      /ERROR Error processing message, terminating consumer process: {2}\(kafka\.tools\.ConsoleConsumer\$\)\norg\.apache\.kafka\.common\.errors\.TimeoutException\nProcessed a total of 1 messages\n$/,
    );
  });

  await t.step("herd's consumer reads a partition from an offset", async () => {
    const c = await herd("kafka-console-consumer.sh", [
      "--bootstrap-server",
      B,
      "--topic",
      "keys",
      "--partition",
      "2",
      "--offset",
      "1",
      "--max-messages",
      "1",
      "--property",
      "print.key=true",
    ]);
    assert.deepEqual([c.code, c.out], [0, "key1\tv4\n"]);
  });

  await t.step("consumer-groups: a live Apache consumer described by both tools", async () => {
    const live = new Deno.Command(`${KAFKA_BIN}/kafka-console-consumer.sh`, {
      args: ["--bootstrap-server", B, "--topic", "keys", "--group", "live", "--from-beginning"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    spawned.push(live);
    await waitFor("the live group to be Stable with its offsets committed", async () => {
      const r = await apache("kafka-consumer-groups.sh", [
        "--bootstrap-server",
        B,
        "--describe",
        "--group",
        "live",
      ]);
      const rows = r.out.trim().split("\n").slice(1).map((l) => l.split(/\s+/));
      return rows.length === 3 &&
        rows.every((c) => c[3] !== "-" && c[6].startsWith("consumer-live-1-"));
    });
    for (
      const extra of [[], ["--members"], ["--members", "--verbose"], ["--state"], ["--offsets"]]
    ) {
      await same("kafka-consumer-groups.sh", [
        "--bootstrap-server",
        B,
        "--describe",
        "--group",
        "live",
        ...extra,
      ]);
    }
    await same("kafka-consumer-groups.sh", ["--bootstrap-server", B, "--list"]);
    await same("kafka-consumer-groups.sh", ["--bootstrap-server", B, "--list", "--state"]);
    await same("kafka-consumer-groups.sh", [
      "--bootstrap-server",
      B,
      "--delete",
      "--group",
      "live",
    ]);
    await same("kafka-consumer-groups.sh", [
      "--bootstrap-server",
      B,
      "--reset-offsets",
      "--group",
      "live",
      "--topic",
      "keys",
      "--to-earliest",
    ]);
  });

  await t.step("consumer-groups: reset, describe and delete an inactive group", async () => {
    const g = ["--bootstrap-server", B, "--group", "hg"];
    await same("kafka-consumer-groups.sh", [
      ...g,
      "--reset-offsets",
      "--topic",
      "lines",
      "--to-offset",
      "9",
      "--dry-run",
    ]);
    await same("kafka-consumer-groups.sh", [
      ...g,
      "--reset-offsets",
      "--all-topics",
      "--to-latest",
      "--dry-run",
    ]);
    await same("kafka-consumer-groups.sh", [
      ...g,
      "--reset-offsets",
      "--topic",
      "lines:1",
      "--to-earliest",
      "--execute",
    ]);
    await same("kafka-consumer-groups.sh", [...g, "--describe"]);
    await same("kafka-consumer-groups.sh", [...g, "--describe", "--state"]);
    await same("kafka-consumer-groups.sh", [...g, "--describe", "--members"]);
    await same("kafka-consumer-groups.sh", [
      "--bootstrap-server",
      B,
      "--describe",
      "--group",
      "nosuch",
    ]);
    await same("kafka-consumer-groups.sh", [
      "--bootstrap-server",
      B,
      "--delete",
      "--group",
      "nosuch",
    ]);
    await same("kafka-consumer-groups.sh", [...g, "--describe", "--members", "--state"]);
    await same("kafka-consumer-groups.sh", [...g, "--reset-offsets", "--topic", "lines"]);
    await same("kafka-consumer-groups.sh", ["--bootstrap-server", B, "--list", "--group", "x"]);
    // Destructive: herd's alone, then both agree the group is gone.
    const del = await herd("kafka-consumer-groups.sh", [...g, "--delete"]);
    assert.equal(del.out, "Deletion of requested consumer groups ('hg') was successful.\n");
    await same("kafka-consumer-groups.sh", [...g, "--delete"]);
  });

  await t.step("GetOffsetShell through kafka-run-class.sh", async () => {
    const R = ["kafka.tools.GetOffsetShell", "--broker-list", B];
    const latest = await same("kafka-run-class.sh", [...R, "--topic", "keys", "--time", "-1"]);
    assert.equal(latest.out, "keys:0:5\nkeys:1:0\nkeys:2:2\n");
    await same("kafka-run-class.sh", [...R, "--topic", "keys", "--time", "-2"]);
    await same("kafka-run-class.sh", [...R, "--topic", "keys", "--partitions", "0,2"]);
    await same("kafka-run-class.sh", [...R, "--topic", "keys", "--time", "0"]);
    await same("kafka-run-class.sh", [...R, "--topic", "nosuch"]);
    await same("kafka-run-class.sh", [...R]);
    await same("kafka-run-class.sh", ["kafka.tools.GetOffsetShell"]);
  });

  await t.step("producer errors: unknown topic, bad key line, bad codec", async () => {
    const unknown = await herd("kafka-console-producer.sh", [
      "--bootstrap-server",
      B,
      "--topic",
      "nope",
      "--max-block-ms",
      "600",
    ], "x\n");
    assert.equal(unknown.code, 0);
    assert.match(
      unknown.err,
      /^\[[^\]]+\] WARN \[Producer clientId=console-producer\] Error while fetching metadata with correlation id \d+ : \{nope=UNKNOWN_TOPIC_OR_PARTITION\} \(org\.apache\.kafka\.clients\.NetworkClient\)\n/,
    );
    assert.match(
      unknown.err,
      /\] ERROR Error when sending message to topic nope with key: null, value: 1 bytes with error: \(org\.apache\.kafka\.clients\.producer\.internals\.ErrorLoggingCallback\)\norg\.apache\.kafka\.common\.errors\.TimeoutException: Topic nope not present in metadata after 600 ms\.\n$/,
    );
    const args = ["--bootstrap-server", B, "--topic", "keys"];
    for (
      const extra of [
        ["--property", "parse.key=true"],
        ["--compression-codec", "zz"],
        ["--request-required-acks", "2"],
      ]
    ) {
      const [a, h] = [
        await apache("kafka-console-producer.sh", [...args, ...extra], "nokey\n"),
        await herd("kafka-console-producer.sh", [...args, ...extra], "nokey\n"),
      ];
      assert.equal(norm(h.err), norm(a.err));
      assert.equal(h.code, a.code);
    }
    await same("kafka-console-producer.sh", ["--topic", "x"]);
    await same("kafka-console-producer.sh", ["--broker-list", "nohost", "--topic", "x"]);
    await same("kafka-console-producer.sh", ["--version"]);
    await same("kafka-console-consumer.sh", ["--bootstrap-server", B]);
    await same("kafka-console-consumer.sh", [
      "--bootstrap-server",
      B,
      "--topic",
      "x",
      "--offset",
      "1",
    ]);
    await same("kafka-console-consumer.sh", [
      "--bootstrap-server",
      B,
      "--topic",
      "x",
      "--isolation-level",
      "foo",
    ]);
  });
}

async function killAll(spawned: Deno.ChildProcess[]): Promise<void> {
  for (const p of spawned) {
    try {
      p.kill("SIGKILL");
    } catch { /* gone */ }
    await p.status;
  }
}

Deno.test({
  name: "Kafka tools side by side with Apache 2.8.2's on an Apache broker",
  ignore: apacheIgnored("Kafka tools vs Apache's"),
  ...TEST,
  fn: async (t) => {
    requireApache();
    const zk = await ZooKeeper.start();
    const dir = await Deno.makeTempDir({ prefix: "herd-ktools-" });
    const broker = new ApacheBroker(dir, `${dir}/data`, zk.connect, [
      "auto.create.topics.enable=false",
    ]);
    const spawned: Deno.ChildProcess[] = [];
    try {
      await broker.start();
      await scenario(t, broker.bootstrap, spawned);
    } finally {
      await killAll(spawned);
      await broker.stop().catch(() => broker.kill());
      await zk.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "Kafka tools side by side with Apache 2.8.2's on herd's broker",
  ignore: apacheIgnored("Kafka tools vs Apache's on herd's broker"),
  ...TEST,
  fn: async (t) => {
    requireApache();
    await withHerdBrokerProcess(
      "herd-ktools-herd-",
      ["group.initial.rebalance.delay.ms=0"],
      async ({ bootstrap }) => {
        const spawned: Deno.ChildProcess[] = [];
        try {
          await scenario(t, bootstrap, spawned);
        } finally {
          await killAll(spawned);
        }
      },
    );
  },
});
