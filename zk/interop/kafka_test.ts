/**
 * Apache Kafka 2.8.2 (kafka_2.12, from Maven Central via
 * `conformance/apache/fetch.sh`) on the ZooKeeper target, following the seed's
 * Kafka chapters: three brokers, the topic commands through Apache's own
 * `kafka-topics.sh`, console and kafka-python clients, the znodes read with
 * zkCli.sh, broker and controller failure, topic deletion. One ZooKeeper and
 * three brokers are started per target and reused by every step. The znode
 * tree left behind is normalised (broker/controller ids, replica assignment,
 * topic ids, timestamps, ports, session ids) and compared with the tree Apache
 * ZooKeeper 3.8.0 ends up with: `conformance/apache/expected/kafka-znodes.txt`,
 * and with the other target's tree when `HERD_ZK_TARGET=both`.
 *
 * Takes about 65–85 s per target on two cores.
 *
 * @module
 */

import assert from "node:assert/strict";
import { startTarget, type Target, type TargetKind, targets } from "./_target.ts";
import { APACHE_DIR, fetchedGate, KAFKA_BIN, runOk, SYSTEM_PYTHON, waitFor } from "./_kafka_env.ts";
import { BROKER_HOSTS, KafkaCluster, kafkaToolOk, zkCli } from "./_kafka_cluster.ts";
import {
  assertSameTree,
  type Blank,
  dumpTree,
  expectedTree,
  normalise,
  treeLines,
} from "./_kafka_znodes.ts";

const trees = new Map<TargetKind, string[]>();
const gates = new Map(
  targets().map((kind) => [
    kind,
    fetchedGate(kind, ["zkcli"], ["kafka", "curator", "kafka-python"], "kafka"),
  ]),
);

/** One partition line of `kafka-topics.sh --describe`. */
interface PartitionLine {
  partition: number;
  leader: number | "none";
  replicas: number[];
  isr: number[];
}

/** A parsed `--describe` for one topic, after checking the seed's line shapes byte for byte. */
interface Described {
  topicId: string;
  partitionCount: number;
  replicationFactor: number;
  configs: string;
  partitions: PartitionLine[];
}

const TOPIC_LINE =
  /^Topic: (\S+)\tTopicId: ([A-Za-z0-9_-]{22})\tPartitionCount: (\d+)\tReplicationFactor: (\d+)\tConfigs: (.*)$/;
const PARTITION_LINE =
  /^\tTopic: (\S+)\tPartition: (\d+)\tLeader: (\d+|none)\tReplicas: ([\d,]+)\tIsr: ([\d,]*)$/;

function parseDescribe(topic: string, stdout: string): Described | undefined {
  const lines = stdout.split("\n").filter((l) => l !== "");
  const head = TOPIC_LINE.exec(lines[0] ?? "");
  if (!head) return undefined; // not created yet, or no topic id yet
  assert.equal(head[1], topic);
  const ids = (s: string) => s === "" ? [] : s.split(",").map(Number);
  const partitions = lines.slice(1).map((line) => {
    const m = PARTITION_LINE.exec(line);
    assert.ok(m, `--describe partition line has the seed's shape: ${JSON.stringify(line)}`);
    assert.equal(m[1], topic);
    return {
      partition: Number(m[2]),
      leader: m[3] === "none" ? "none" as const : Number(m[3]),
      replicas: ids(m[4]),
      isr: ids(m[5]),
    };
  });
  return {
    topicId: head[2],
    partitionCount: Number(head[3]),
    replicationFactor: Number(head[4]),
    configs: head[5],
    partitions,
  };
}

const sameSet = (a: number[], b: number[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** `--describe` once every partition has a leader and a full ISR (and `accept` holds). */
function describeWhen(
  via: string[],
  topic: string,
  accept: (d: Described) => boolean = (d) =>
    d.partitions.length === d.partitionCount &&
    d.partitions.every((p) => p.leader !== "none" && sameSet(p.isr, p.replicas)),
  timeoutMs = 60_000,
): Promise<Described> {
  return waitFor(
    `--describe ${topic} to settle`,
    async () => {
      const r = await kafkaToolOk("kafka-topics.sh", ["--describe", ...via, "--topic", topic]);
      const d = parseDescribe(topic, r.stdout);
      return d && accept(d) ? d : undefined;
    },
    timeoutMs,
    1000,
  );
}

/** The controller's broker id, from `/controller`. */
async function controllerId(zk: Target): Promise<number> {
  const [json] = await zkCli(zk.connectString, ["get /controller"]);
  return (JSON.parse(json) as { brokerid: number }).brokerid;
}

/**
 * What Kafka chose at random or by the clock, blanked per znode: ids,
 * assignments, epochs that depend on which broker failed, timestamps, ports.
 */
function kafkaBlank(path: string): Blank | undefined {
  const ids = (v: unknown) => Array.isArray(v) ? v.map(() => "<broker>") : v;
  if (/^\/brokers\/ids\/\d+$/.test(path)) {
    return (keys, v) => {
      const key = keys.join(".");
      if (key === "timestamp") return "<timestamp>";
      if (key === "port") return "<port>";
      if (keys[0] === "endpoints" && keys.length === 2 && typeof v === "string") {
        return v.replace(/:\d+$/, ":<port>");
      }
      return v;
    };
  }
  if (path === "/controller") {
    return (keys, v) =>
      keys[0] === "brokerid" ? "<broker>" : keys[0] === "timestamp" ? "<timestamp>" : v;
  }
  if (path === "/cluster/id") return (keys, v) => keys[0] === "id" ? "<cluster-id>" : v;
  if (path === "/latest_producer_id_block") {
    return (keys, v) => keys[0] === "broker" ? "<broker>" : v;
  }
  if (/^\/brokers\/topics\/[^/]+$/.test(path)) {
    return (keys, v) => {
      if (keys[0] === "topic_id" && keys.length === 1) return "<topic-id>";
      if (keys[0] === "partitions" && keys.length === 2) return ids(v);
      return v;
    };
  }
  if (/^\/brokers\/topics\/[^/]+\/partitions\/\d+\/state$/.test(path)) {
    return (keys, v) => {
      if (keys.length !== 1) return v;
      if (keys[0] === "leader") return "<broker>";
      if (keys[0] === "isr") return ids(v);
      if (keys[0] === "controller_epoch" || keys[0] === "leader_epoch") return "<epoch>";
      return v;
    };
  }
  return undefined;
}

for (const [kind, gate] of gates) {
  Deno.test({
    name: `[${kind}] Kafka 2.8.2: three brokers, topics, clients, failover (the seed's chapters)`,
    ignore: gate.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
  }, async (t) => {
    gate.check();
    const zk = await startTarget(kind);
    let cluster: KafkaCluster | undefined;
    let allPassed = true;
    const step = async (name: string, fn: () => Promise<void>) => {
      if (!allPassed) {
        // Later steps build on earlier ones; once one fails the rest only add noise.
        console.log(`[${kind}] skipping "${name}": an earlier Kafka step failed (see above)`);
        await t.step({ name, ignore: true, fn: () => {} });
        return;
      }
      allPassed = await t.step(name, fn);
    };
    try {
      cluster = await KafkaCluster.start(zk.connectString);
      const c = cluster;
      const viaZk = ["--zookeeper", zk.connectString];
      const viaBootstrap = ["--bootstrap-server", c.bootstrap];
      let controller = 0;
      let kafkatest: Described | undefined;

      await step("1. brokers 1, 2, 3 under /brokers/ids, one holds /controller", async () => {
        const [ids] = await waitFor(
          "three brokers in /brokers/ids",
          async () => {
            const answers = await zkCli(zk.connectString, ["ls /brokers/ids", "get /controller"]);
            return answers[0] === "[1, 2, 3]" ? answers : undefined;
          },
          30_000,
          1000,
        );
        assert.equal(ids, "[1, 2, 3]");
        controller = await controllerId(zk);
        assert.ok([1, 2, 3].includes(controller), `controller ${controller} is a broker`);
      });

      await step("2a. kafka-topics --zookeeper: --create, --list, --describe", async () => {
        const created = await kafkaToolOk("kafka-topics.sh", [
          "--create",
          ...viaZk,
          "--replication-factor",
          "2",
          "--partitions",
          "1",
          "--topic",
          "kafkatest",
        ]);
        assert.equal(created.stdout, "Created topic kafkatest.\n");
        const listed = await kafkaToolOk("kafka-topics.sh", ["--list", ...viaZk]);
        assert.equal(listed.stdout, "kafkatest\n");
        kafkatest = await describeWhen(viaZk, "kafkatest");
        assert.equal(kafkatest.partitionCount, 1);
        assert.equal(kafkatest.replicationFactor, 2);
        assert.equal(kafkatest.configs, "", "Configs: keeps its trailing space and nothing else");
        const [p0] = kafkatest.partitions;
        assert.equal(p0.partition, 0);
        assert.equal(p0.replicas.length, 2);
        assert.notEqual(p0.replicas[0], p0.replicas[1]);
        assert.equal(p0.leader, p0.replicas[0], "the leader is the first replica");
        assert.deepEqual(p0.isr, p0.replicas, "the ISR is the replicas in assignment order");
      });

      await step("3a. console producer and consumer round trip", async () => {
        const b1 = c.broker(1).address;
        await kafkaToolOk(
          "kafka-console-producer.sh",
          ["--broker-list", b1, "--topic", "kafkatest"],
          "first message\n",
        );
        const consumed = await kafkaToolOk("kafka-console-consumer.sh", [
          "--bootstrap-server",
          b1,
          "--topic",
          "kafkatest",
          "--from-beginning",
          "--max-messages",
          "1",
          "--timeout-ms",
          "60000",
        ]);
        assert.equal(consumed.stdout, "first message\n");
        assert.match(consumed.stderr, /Processed a total of 1 messages/);
      });

      await step("4. the seed's znodes read with zkCli.sh (信息查看, 原理解析)", async () => {
        assert.ok(kafkatest);
        const [a, b] = kafkatest.partitions[0].replicas;
        const commands = [
          "ls /",
          "ls /brokers",
          "ls /brokers/ids",
          "get /brokers/ids/1",
          "get /brokers/ids/2",
          "get /brokers/ids/3",
          "ls /brokers/topics",
          "get /brokers/topics/kafkatest",
          "ls /brokers/topics/kafkatest",
          "ls /brokers/topics/kafkatest/partitions",
          "get /brokers/topics/kafkatest/partitions/0",
          "get /brokers/topics/kafkatest/partitions/0/state",
          "ls /controller",
          "get /controller",
          "ls /controller_epoch",
          "get /controller_epoch",
        ];
        const out = await zkCli(zk.connectString, commands);
        const answer = new Map(commands.map((cmd, i) => [cmd, out[i]]));
        assert.equal(
          answer.get("ls /"),
          "[admin, brokers, cluster, config, consumers, controller, controller_epoch, feature, " +
            "isr_change_notification, latest_producer_id_block, log_dir_event_notification, zookeeper]",
        );
        assert.equal(answer.get("ls /brokers"), "[ids, seqid, topics]");
        assert.equal(answer.get("ls /brokers/ids"), "[1, 2, 3]");
        for (const id of [1, 2, 3]) {
          const host = BROKER_HOSTS[id];
          const port = c.broker(id).port;
          // kafka_2.12's key order, as the seed shows it.
          assert.match(
            answer.get(`get /brokers/ids/${id}`)!,
            new RegExp(
              `^\\{"listener_security_protocol_map":\\{"PLAINTEXT":"PLAINTEXT"\\},` +
                `"endpoints":\\["PLAINTEXT://${host}:${port}"\\],"jmx_port":-1,"features":\\{\\},` +
                `"host":"${host}","timestamp":"\\d+","port":${port},"version":5\\}$`,
            ),
          );
        }
        assert.equal(answer.get("ls /brokers/topics"), "[__consumer_offsets, kafkatest]");
        assert.equal(
          answer.get("get /brokers/topics/kafkatest"),
          `{"removing_replicas":{},"partitions":{"0":[${a},${b}]},"topic_id":"${kafkatest.topicId}",` +
            `"adding_replicas":{},"version":3}`,
        );
        assert.equal(answer.get("ls /brokers/topics/kafkatest"), "[partitions]");
        assert.equal(answer.get("ls /brokers/topics/kafkatest/partitions"), "[0]");
        assert.equal(
          answer.get("get /brokers/topics/kafkatest/partitions/0"),
          "null",
          "created with null data, which zkCli prints as null",
        );
        assert.equal(
          answer.get("get /brokers/topics/kafkatest/partitions/0/state"),
          `{"controller_epoch":1,"leader":${a},"version":1,"leader_epoch":0,"isr":[${a},${b}]}`,
        );
        assert.equal(answer.get("ls /controller"), "[]");
        assert.match(
          answer.get("get /controller")!,
          new RegExp(`^\\{"version":1,"brokerid":${controller},"timestamp":"\\d+"\\}$`),
        );
        assert.equal(answer.get("ls /controller_epoch"), "[]");
        assert.equal(answer.get("get /controller_epoch"), "1");
      });

      await step("2b. kafka-topics --zookeeper --delete completes", async () => {
        const deleted = await kafkaToolOk("kafka-topics.sh", [
          "--delete",
          ...viaZk,
          "--topic",
          "kafkatest",
        ]);
        assert.equal(
          deleted.stdout,
          "Topic kafkatest is marked for deletion.\n" +
            "Note: This will have no impact if delete.topic.enable is not set to true.\n",
        );
        // The seed's 检查效果: only __consumer_offsets is left.
        await waitFor(
          "kafkatest to be deleted",
          async () => {
            const [topics, pending] = await zkCli(zk.connectString, [
              "ls /brokers/topics",
              "ls /admin/delete_topics",
            ]);
            return topics === "[__consumer_offsets]" && pending === "[]" ? true : undefined;
          },
          60_000,
          1000,
        );
      });

      await step(
        "2c. kafka-topics --bootstrap-server: --create, --list, --describe, --delete",
        async () => {
          const created = await kafkaToolOk("kafka-topics.sh", [
            "--create",
            ...viaBootstrap,
            "--replication-factor",
            "2",
            "--partitions",
            "1",
            "--topic",
            "kafkatest",
          ]);
          assert.equal(created.stdout, "Created topic kafkatest.\n");
          const listed = await kafkaToolOk("kafka-topics.sh", ["--list", ...viaBootstrap]);
          assert.equal(listed.stdout, "__consumer_offsets\nkafkatest\n");
          const d = await describeWhen(viaBootstrap, "kafkatest");
          assert.equal(d.partitionCount, 1);
          assert.equal(d.replicationFactor, 2);
          // Over the Admin API a broker's static setting shows as an override (the seed's own value).
          assert.equal(d.configs, "segment.bytes=1073741824");
          const viaZkToo = await describeWhen(viaZk, "kafkatest");
          assert.equal(viaZkToo.topicId, d.topicId, "the API wrote the topic id at creation");
          assert.equal(viaZkToo.configs, "");
          const deleted = await kafkaToolOk("kafka-topics.sh", [
            "--delete",
            ...viaBootstrap,
            "--topic",
            "kafkatest",
          ]);
          assert.equal(deleted.stdout, "");
          await waitFor(
            "kafkatest to be deleted again",
            async () => {
              const r = await kafkaToolOk("kafka-topics.sh", ["--list", ...viaZk]);
              return r.stdout === "__consumer_offsets\n" ? true : undefined;
            },
            60_000,
            1000,
          );
        },
      );

      await step("3b. the seed's kafka-python scripts; consumer groups; perf tools", async () => {
        const script = `${APACHE_DIR}kafka_python_scenario.py`;
        const r = await runOk(SYSTEM_PYTHON, [script, c.bootstrap, "20"], { timeoutMs: 180_000 });
        const rows = r.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
        const received = rows.find((row) => row.step === "received");
        assert.deepEqual(received, { step: "received", count: 20, match: true }, r.stdout);
        assert.equal(rows.find((row) => row.step === "send-test")?.topic, "test");

        const groups = await kafkaToolOk("kafka-consumer-groups.sh", [...viaBootstrap, "--list"]);
        assert.ok(groups.stdout.split("\n").includes("my.group"), groups.stdout);
        const described = await kafkaToolOk("kafka-consumer-groups.sh", [
          ...viaBootstrap,
          "--describe",
          "--group",
          "my.group",
        ]);
        const offsets = described.stdout.split("\n")
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f[0] === "my.group" && f[1] === "my.topic");
        assert.equal(offsets.length, 3, `my.topic has num.partitions=3:\n${described.stdout}`);
        const committed = offsets.reduce((sum, f) => sum + Number(f[3]), 0);
        assert.equal(committed, 20, `the group committed every message:\n${described.stdout}`);
        assert.ok(offsets.every((f) => f[5] === "0"), `no lag:\n${described.stdout}`);

        const produced = await kafkaToolOk("kafka-producer-perf-test.sh", [
          "--topic",
          "perf",
          "--num-records",
          "2000",
          "--record-size",
          "100",
          "--throughput",
          "-1",
          "--producer-props",
          `bootstrap.servers=${c.bootstrap}`,
          "acks=all",
        ]);
        assert.match(produced.stdout, /^2000 records sent, /m);
        const consumed = await kafkaToolOk("kafka-consumer-perf-test.sh", [
          ...viaBootstrap,
          "--topic",
          "perf",
          "--messages",
          "2000",
          "--timeout",
          "60000",
        ]);
        const csv = consumed.stdout.trim().split("\n").at(-1)!.split(", ");
        assert.equal(csv[4], "2000", `consumer-perf-test read every record:\n${consumed.stdout}`);
      });

      await step(
        "5. kill -9 a broker, then the controller: leaders, ISR and controller move",
        async () => {
          const created = await kafkaToolOk("kafka-topics.sh", [
            "--create",
            ...viaZk,
            "--replication-factor",
            "2",
            "--partitions",
            "3",
            "--topic",
            "foobar",
          ]);
          assert.equal(created.stdout, "Created topic foobar.\n");
          const before = await describeWhen(viaZk, "foobar");
          controller = await controllerId(zk);
          const victim = [1, 2, 3].find((id) => id !== controller)!;

          // Broker failure (the seed's 将一个kafka节点故障): its session expires, the controller
          // moves leadership off it and shrinks the ISRs.
          await c.broker(victim).kill9();
          const shrunk = await describeWhen(
            viaZk,
            "foobar",
            (d) =>
              d.partitions.every((p) =>
                p.leader !== victim && p.leader !== "none" && !p.isr.includes(victim)
              ),
          );
          for (const p of shrunk.partitions) {
            const was = before.partitions[p.partition];
            assert.deepEqual(p.replicas, was.replicas, "replicas do not change");
            if (was.replicas.includes(victim)) {
              const survivor = was.replicas.find((r) => r !== victim)!;
              assert.equal(p.leader, survivor, `partition ${p.partition}: leadership moved`);
              assert.deepEqual(p.isr, [survivor], `partition ${p.partition}: the ISR shrank`);
            }
          }
          const [idsWithout] = await zkCli(zk.connectString, ["ls /brokers/ids"]);
          assert.equal(
            idsWithout,
            `[${[1, 2, 3].filter((id) => id !== victim).join(", ")}]`,
          );

          // Restart it: it registers again and its leaders add it back to the ISR (AlterIsr).
          await c.broker(victim).start();
          await describeWhen(viaZk, "foobar");

          // Kill the controller: every broker's watch on /controller fires and one wins the
          // election; /controller_epoch goes up by one.
          const [epochBefore] = await zkCli(zk.connectString, ["get /controller_epoch"]);
          await c.broker(controller).kill9();
          const next = await waitFor(
            "a new controller",
            async () => {
              const id = await controllerId(zk);
              return id !== controller ? id : undefined;
            },
            60_000,
            1000,
          );
          const [epochAfter] = await zkCli(zk.connectString, ["get /controller_epoch"]);
          assert.equal(Number(epochAfter), Number(epochBefore) + 1, "one election");
          assert.ok([1, 2, 3].includes(next));
          await describeWhen(
            viaZk,
            "foobar",
            (d) =>
              d.partitions.every((p) =>
                p.leader !== controller && p.leader !== "none" && !p.isr.includes(controller)
              ),
          );
          await c.broker(controller).start();
          await describeWhen(viaZk, "foobar");
          controller = next;

          // Topic deletion completes (all replicas online again).
          await kafkaToolOk("kafka-topics.sh", ["--delete", ...viaZk, "--topic", "foobar"]);
          await waitFor(
            "foobar to be deleted",
            async () => {
              const [topics, pending, configs] = await zkCli(zk.connectString, [
                "ls /brokers/topics",
                "ls /admin/delete_topics",
                "ls /config/topics",
              ]);
              return !topics.includes("foobar") && pending === "[]" && !configs.includes("foobar")
                ? true
                : undefined;
            },
            90_000,
            1000,
          );
        },
      );

      await step("7. the znode tree agrees with Apache ZooKeeper's", async () => {
        // Settle: every partition of every topic led and fully replicated again.
        await waitFor(
          "no under-replicated or unavailable partitions",
          async () => {
            const under = await kafkaToolOk("kafka-topics.sh", [
              "--describe",
              ...viaZk,
              "--under-replicated-partitions",
            ]);
            const unavailable = await kafkaToolOk("kafka-topics.sh", [
              "--describe",
              ...viaZk,
              "--unavailable-partitions",
            ]);
            return under.stdout === "" && unavailable.stdout === "" ? true : undefined;
          },
          90_000,
          1000,
        );
        const lines = treeLines(normalise(await dumpTree(zk.connectString), kafkaBlank));
        trees.set(kind, lines);
        const expected = await expectedTree("kafka-znodes", kind, lines);
        assert.ok(expected, "conformance/apache/expected/kafka-znodes.txt is missing");
        assertSameTree("Kafka", kind, lines, "Apache 3.8.0 (expected)", expected);
      });

      await step("kafka-server-stop.sh: a controlled shutdown closes the session", async () => {
        // Only the broker started with this (temp-dir) properties file is signalled.
        const b = c.broker(1);
        await runOk(`${KAFKA_BIN}/kafka-server-stop.sh`, [b.propertiesPath]);
        // A JVM ended by SIGTERM exits with 143 once its shutdown hooks (Kafka's shutdown) ran.
        assert.equal(await b.exited(), 143, "the broker exits on SIGTERM");
        assert.match(await b.output(), /\[KafkaServer id=1\] shut down completed/);
        // The broker closed its session, so its ephemeral znode is gone at once.
        const [ids] = await zkCli(zk.connectString, ["ls /brokers/ids"]);
        assert.equal(ids, "[2, 3]");
      });
    } finally {
      if (!allPassed && cluster) {
        console.log(`[${kind}] broker output:\n${await cluster.tails()}`);
        console.log(
          `[${kind}] ZooKeeper server output (tail):\n${
            zk.logs().split("\n").slice(-60).join("\n")
          }`,
        );
      }
      await cluster?.stop();
      await zk.stop();
    }
    assert.ok(allPassed, "a step failed; see above");
  });
}

if (gates.size === 2) {
  const ignore = [...gates.values()].some((g) => g.ignore);
  Deno.test({ name: "[herd vs apache] Kafka's znode trees agree", ignore }, () => {
    const herd = trees.get("herd");
    const apache = trees.get("apache");
    if (!herd || !apache) throw new Error("a Kafka run did not reach its tree; see above");
    assertSameTree("Kafka", "herd", herd, "apache", apache);
  });
}
