/**
 * kafka-console-consumer --whitelist side by side: Apache Kafka 2.8.2's tool and herd's, on an
 * Apache 2.8.2 broker and on herd's (each on herd's ZooKeeper): the refusals (with --topic, with
 * --partition, a bad Java regex, a bad exclude.internal.topics), what a pattern reads (whole
 * names only, internal topics only with exclude.internal.topics=false) and a topic created
 * after the consumer started, found on a metadata refresh. stdout (sorted where records of
 * several partitions interleave), stderr and exit codes compared.
 * Skipped with the reason printed when java or the Kafka jars are missing; under CI=true it
 * fails instead (DECISIONS.md).
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BrokerConnection } from "../../kafka/client/broker_connection.ts";
import {
  ApacheBroker,
  apacheIgnored,
  KAFKA_BIN,
  requireApache,
  ZooKeeper,
} from "../../kafka/log/_apache.ts";
import type { MetadataResponse } from "../../kafka/protocol/messages/metadata.ts";
import { withHerdBrokerProcess } from "../../kafka/server/_herd_broker_process.ts";

const HERD_BIN = fileURLToPath(new URL("../../bin", import.meta.url));
const TEST = { sanitizeOps: false, sanitizeResources: false };

interface Ran {
  code: number;
  out: string;
  err: string;
}

type Tool = "apache" | "herd";

async function run(cmd: string, args: string[], stdin?: string): Promise<Ran> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { INIT_CWD: Deno.cwd() },
  }).spawn();
  const guard = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 90_000);
  try {
    if (stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(stdin));
      await w.close();
    }
    const r = await child.output();
    const d = new TextDecoder();
    return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
  } finally {
    clearTimeout(guard);
  }
}

const consumer = (tool: Tool, args: string[]) =>
  run(`${tool === "apache" ? KAFKA_BIN : HERD_BIN}/kafka-console-consumer.sh`, args);

/** Log timestamps and Java stack frames (herd prints none) masked. */
function norm(text: string): string {
  return text.split("\n")
    .filter((l) => !/^\t(at |\.\.\. \d+ more)/.test(l))
    .map((l) => l.replace(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\]/, "[T]"))
    .join("\n");
}

const sorted = (text: string) => text.split("\n").filter((l) => l !== "").sort();

async function both(args: string[], sortOut = false): Promise<Ran> {
  const [a, h] = [await consumer("apache", args), await consumer("herd", args)];
  const what = args.join(" ");
  if (sortOut) assert.deepEqual(sorted(h.out), sorted(a.out), `stdout of ${what}`);
  else assert.equal(h.out, a.out, `stdout of ${what}`);
  assert.equal(norm(h.err), norm(a.err), `stderr of ${what}`);
  assert.equal(h.code, a.code, `exit code of ${what}`);
  return h;
}

async function createTopic(c: BrokerConnection, name: string, partitions: number) {
  await c.request(19, 5, {
    topics: [{
      name,
      numPartitions: partitions,
      replicationFactor: 1,
      assignments: [],
      configs: [],
    }],
    timeoutMs: 30_000,
    validateOnly: false,
  });
  const end = Date.now() + 60_000;
  for (;;) {
    const md = await c.request<MetadataResponse>(3, 9, {
      topics: [{ name }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const t = md.topics[0];
    if (t.errorCode === 0 && t.partitions.every((p) => p.leaderId >= 0)) return;
    if (Date.now() > end) throw new Error(`${name} has no leaders`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function produce(B: string, topic: string, lines: string[]): Promise<void> {
  const p = await run(`${HERD_BIN}/kafka-console-producer.sh`, [
    "--bootstrap-server",
    B,
    "--topic",
    topic,
  ], lines.map((l) => `${l}\n`).join(""));
  assert.deepEqual([p.code, p.err], [0, ""]);
}

async function scenario(B: string): Promise<void> {
  const [host, port] = B.split(":");
  const c = await BrokerConnection.connect(host, Number(port), "whitelist-test");
  try {
    await createTopic(c, "wl-a", 2);
    await createTopic(c, "wl-b", 1);
    await createTopic(c, "xwl-c", 1);
    await produce(B, "wl-a", ["a1", "a2", "a3"]);
    await produce(B, "wl-b", ["b1", "b2"]);
    await produce(B, "xwl-c", ["c1"]);
    const b = ["--bootstrap-server", B];

    // Refusals, before any record is read.
    await both([...b, "--whitelist", "wl-.*", "--topic", "wl-a"]);
    await both([...b, "--whitelist", "wl-.*", "--partition", "0"]);
    await both([...b, "--whitelist", "wl-.*", "--offset", "1"]);
    await both([...b, "--whitelist", "*"]);
    await both([...b, "--whitelist", "wl-(a"]);
    await both([...b, "--whitelist", "[b-a]"]);
    await both([...b, "--whitelist", "wl", "--consumer-property", "exclude.internal.topics=x"]);

    // Whole names only: wl-.* is wl-a and wl-b, not xwl-c.
    const read = await both(
      [...b, "--whitelist", "wl-.*", "--from-beginning", "--max-messages", "5"],
      true,
    );
    assert.deepEqual(sorted(read.out), ["a1", "a2", "a3", "b1", "b2"]);
    await both([...b, "--whitelist", "wl-b|x.*", "--from-beginning", "--timeout-ms", "4000"], true);

    // __consumer_offsets exists now (the groups above); it counts only when asked for.
    await both([
      ...b,
      "--whitelist",
      "__consumer_offsets|wl-b",
      "--from-beginning",
      "--timeout-ms",
      "4000",
    ]);
    for (const tool of ["apache", "herd"] as const) {
      const internal = await consumer(tool, [
        ...b,
        "--whitelist",
        "__consumer_offsets",
        "--consumer-property",
        "exclude.internal.topics=false",
        "--from-beginning",
        "--max-messages",
        "1",
        "--property",
        "print.value=false",
        "--property",
        "print.partition=true",
      ]);
      assert.deepEqual(
        [internal.code, internal.out, norm(internal.err)],
        [0, "Partition:0\n", "Processed a total of 1 messages\n"],
        tool,
      );
    }

    // A topic created after the consumer started is found at the next metadata refresh.
    for (const tool of ["apache", "herd"] as const) {
      const late = `late-${tool}-1`;
      const reading = consumer(tool, [
        ...b,
        "--whitelist",
        `late-${tool}-.*`,
        "--consumer-property",
        "metadata.max.age.ms=1000",
        "--from-beginning",
        "--max-messages",
        "1",
      ]);
      await createTopic(c, late, 1);
      await produce(B, late, [`hello from ${tool}`]);
      const r = await reading;
      assert.deepEqual(
        [r.code, r.out, norm(r.err)],
        [0, `hello from ${tool}\n`, "Processed a total of 1 messages\n"],
        tool,
      );
    }
  } finally {
    c.close();
  }
}

Deno.test({
  name: "console consumer --whitelist as Apache 2.8.2's, on an Apache broker",
  ignore: apacheIgnored("console consumer --whitelist vs Apache's"),
  ...TEST,
  async fn() {
    requireApache();
    const zk = await ZooKeeper.start();
    const dir = await Deno.makeTempDir({ prefix: "herd-whitelist-" });
    const broker = new ApacheBroker(dir, `${dir}/data`, zk.connect, [
      "auto.create.topics.enable=false",
    ]);
    try {
      await broker.start();
      await scenario(broker.bootstrap);
    } finally {
      await broker.stop().catch(() => broker.kill());
      await zk.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "console consumer --whitelist as Apache 2.8.2's, on herd's broker",
  ignore: apacheIgnored("console consumer --whitelist vs Apache's on herd's broker"),
  ...TEST,
  async fn() {
    requireApache();
    await withHerdBrokerProcess(
      "herd-whitelist-herd-",
      ["group.initial.rebalance.delay.ms=0"],
      ({ bootstrap }) => scenario(bootstrap),
    );
  },
});
