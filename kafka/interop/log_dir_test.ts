/**
 * The log directory both ways, at the broker level: herd's broker writes a log dir through real
 * clients (records in several codecs, an idempotent producer, DeleteRecords, two consumer groups'
 * offsets in `__consumer_offsets`); Apache Kafka 2.8.2 started on that dir, with the same
 * ZooKeeper chroot (so the topic metadata and cluster.id match meta.properties), serves the same
 * records, log start and end offsets and group offsets, then writes more itself (records, a topic
 * of its own, new group offsets); herd's broker started on the dir Apache left serves all of that
 * too. What each broker serves is read with kcat, Apache's GetOffsetShell and
 * kafka-consumer-groups, the same on both.
 *
 * Needs java and the Kafka jars (conformance/apache/fetch.sh) and kcat: skipped with the reason
 * printed when missing, failing under CI=true.
 */
import assert from "node:assert/strict";
import { KAFKA_BIN, ZooKeeper } from "../log/_apache.ts";
import { kcatMissing } from "./kcat.ts";
import { type Broker, brokerMissing, gate, newBroker, run, runOk, waitFor } from "./_target.ts";

const TOPICS = ["ld", "ld-idem"];
const g = gate("the log dir both ways", brokerMissing("apache"), kcatMissing());

/** kcat -P of `lines` (`key=value`) to one partition in `codec`, optionally idempotent. */
async function produce(
  b: Broker,
  topic: string,
  partition: number,
  codec: string,
  lines: string[],
  extra: string[] = [],
): Promise<void> {
  await runOk("kcat", [
    "-b",
    b.bootstrap,
    "-P",
    "-t",
    topic,
    "-p",
    String(partition),
    "-K",
    "=",
    "-z",
    codec,
    ...extra,
  ], { stdin: lines.join("\n") + "\n" });
}

const keyed = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-k${from + i}=${prefix}-v${from + i}`);

/**
 * A group member (kcat -G, from the earliest offset when the group has none) that reads until it
 * has `count` records, then leaves; its offsets are committed as it goes and as it exits.
 */
async function consumeInGroup(b: Broker, group: string, topic: string, count: number) {
  const child = new Deno.Command("kcat", {
    args: [
      "-b",
      b.bootstrap,
      "-u",
      "-G",
      group,
      "-X",
      "auto.offset.reset=earliest",
      "-X",
      "auto.commit.interval.ms=100",
      "-f",
      "%o\n",
      topic,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let text = "";
  const reading = (async () => {
    const d = new TextDecoder();
    for await (const c of child.stdout) text += d.decode(c, { stream: true });
  })();
  try {
    await waitFor(
      `${group} to read ${count} records`,
      () => text.split("\n").filter((l) => l !== "").length >= count,
      60_000,
      50,
    );
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reading;
  }
  assert.equal(text.split("\n").filter((l) => l !== "").length, count, `${group} read once`);
}

const apacheTool = (script: string, args: string[]) => runOk(`${KAFKA_BIN}/${script}`, args);

/**
 * Wait until `b` leads every partition of the topics: "started" comes before a broker has
 * become leader of the partitions on its dir (Apache's controller sends itself LeaderAndIsr).
 */
async function serving(b: Broker): Promise<void> {
  await waitFor(
    `${b.kind}'s broker to lead ${TOPICS.join(", ")}`,
    async () => {
      for (const topic of TOPICS) {
        const r = await run("kcat", ["-b", b.bootstrap, "-L", "-t", topic, "-m", "5"]);
        if (r.code !== 0 || /error|Error/.test(r.out + r.err) || !/leader 1/.test(r.out)) {
          return false;
        }
      }
      return true;
    },
    60_000,
    100,
  );
}

/** What `b` serves: every record, log start/end offsets, every group's committed offsets. */
async function view(b: Broker): Promise<string> {
  await serving(b);
  const parts: string[] = [];
  for (const topic of TOPICS) {
    const r = await runOk("kcat", [
      "-b",
      b.bootstrap,
      "-C",
      "-t",
      topic,
      "-o",
      "beginning",
      "-e",
      "-q",
      "-f",
      "%t %p %o %T %k=%s\n",
    ]);
    const lines = r.out.trimEnd().split("\n");
    const num = (l: string) => l.split(" ").slice(1, 3).map(Number);
    lines.sort((x, y) => {
      const [a, b] = [num(x), num(y)];
      return a[0] - b[0] || a[1] - b[1];
    });
    parts.push(...lines);
  }
  for (const topic of TOPICS) {
    for (const time of ["-2", "-1"]) {
      const r = await apacheTool("kafka-run-class.sh", [
        "kafka.tools.GetOffsetShell",
        "--broker-list",
        b.bootstrap,
        "--topic",
        topic,
        "--time",
        time,
      ]);
      parts.push(`offsets ${time}: ${r.out.trim().split("\n").join(" ")}`);
    }
  }
  const groups = await apacheTool("kafka-consumer-groups.sh", [
    "--bootstrap-server",
    b.bootstrap,
    "--describe",
    "--all-groups",
  ]);
  parts.push(
    ...groups.out.split("\n").filter((l) => /^ld-/.test(l)).map((l) => l.replace(/ +/g, " "))
      .sort(),
  );
  return parts.join("\n") + "\n";
}

Deno.test({
  name: "the log dir both ways: Apache 2.8.2 serves herd's, herd serves Apache's",
  ignore: g.ignore,
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  g.check();
  const zk = await ZooKeeper.start();
  const dir = await Deno.makeTempDir({ prefix: "herd-interop-logdir-" });
  const logDir = `${dir}/data`;
  const zkConnect = `${zk.connect}/logdir`;
  await Deno.mkdir(`${dir}/herd`);
  await Deno.mkdir(`${dir}/apache`);
  const herd = newBroker("herd", `${dir}/herd`, logDir, zkConnect);
  const apache = newBroker("apache", `${dir}/apache`, logDir, zkConnect);
  try {
    // 1. herd's broker writes the dir.
    await herd.start();
    await apacheTool("kafka-topics.sh", [
      "--bootstrap-server",
      herd.bootstrap,
      "--create",
      "--topic",
      "ld",
      "--partitions",
      "2",
      "--replication-factor",
      "1",
      "--config",
      "segment.bytes=2048",
    ]);
    await produce(herd, "ld", 0, "none", keyed("a", 0, 30));
    await produce(herd, "ld", 0, "lz4", keyed("b", 30, 60));
    await produce(herd, "ld", 1, "zstd", keyed("c", 0, 20));
    await produce(herd, "ld", 1, "gzip", keyed("d", 20, 25));
    // ld-idem is auto-created by its first (idempotent) produce: producer state to reload.
    await produce(herd, "ld-idem", 0, "snappy", keyed("e", 0, 40), [
      "-X",
      "enable.idempotence=true",
    ]);
    await Deno.writeTextFile(
      `${dir}/delete.json`,
      JSON.stringify({ version: 1, partitions: [{ topic: "ld", partition: 1, offset: 7 }] }),
    );
    await apacheTool("kafka-run-class.sh", [
      "kafka.admin.DeleteRecordsCommand",
      "--bootstrap-server",
      herd.bootstrap,
      "--offset-json-file",
      `${dir}/delete.json`,
    ]);
    await consumeInGroup(herd, "ld-group", "ld", 60 + 25 - 7);
    await apacheTool("kafka-consumer-groups.sh", [
      "--bootstrap-server",
      herd.bootstrap,
      "--reset-offsets",
      "--group",
      "ld-reset",
      "--topic",
      "ld",
      "--to-offset",
      "17",
      "--execute",
    ]);
    const herdView = await view(herd);
    assert.match(herdView, /^ld 1 7 /m, "DeleteRecords moved partition 1's start to 7");
    assert.match(herdView, /ld-group ld 0 60 60 0/);
    assert.match(herdView, /ld-reset ld 1 17 25 8/);
    await herd.stop();

    // 2. Apache's broker on herd's dir serves the same, then writes more.
    await apache.start();
    const apacheOut = apache.output();
    assert.doesNotMatch(apacheOut, /\b(ERROR|WARN)\b/, "Apache loads herd's dir without a warning");
    // herd's clean shutdown left .kafka_cleanshutdown, which Apache honours.
    assert.match(apacheOut, /Skipping recovery for all logs in \S+ since clean shutdown file/);
    assert.equal(await view(apache), herdView, "Apache serves what herd wrote");
    await produce(apache, "ld", 0, "gzip", keyed("f", 60, 70));
    await produce(apache, "ld-idem", 0, "lz4", keyed("g", 40, 50), [
      "-X",
      "enable.idempotence=true",
    ]);
    await consumeInGroup(apache, "ld-group", "ld", 10);
    TOPICS.push("ld-apache");
    await produce(apache, "ld-apache", 0, "zstd", keyed("h", 0, 15));
    const apacheView = await view(apache);
    assert.match(apacheView, /ld-group ld 0 70 70 0/);
    assert.match(apacheView, /^ld-apache 0 14 /m);
    await apache.stop();

    // 3. herd's broker on the dir Apache left serves all of it.
    const before = herd.output().length;
    await herd.start();
    await serving(herd);
    assert.doesNotMatch(herd.output().slice(before), /\b(ERROR|WARN)\b/, "herd loads Apache's dir");
    assert.equal(await view(herd), apacheView, "herd serves what Apache wrote");
    await herd.stop();
  } catch (e) {
    throw new Error(
      `${(e as Error).message}\n--- herd's broker\n${herd.output().slice(-3000)}\n` +
        `--- Apache's broker\n${apache.output().slice(-3000)}`,
      { cause: e },
    );
  } finally {
    await herd.kill();
    await apache.kill();
    await zk.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
