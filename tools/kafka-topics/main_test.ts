/**
 * herd's kafka-topics.sh in ZooKeeper mode, run as users run it (bin/kafka-topics.sh) against a
 * ZooKeeper with a registered broker 1. Every expected line and znode below is what Apache Kafka
 * 2.8.2's own kafka-topics.sh printed and wrote for the same command on this machine (2026-12-07,
 * on herd's ZooKeeper with an Apache 2.8.2 broker). The conformance suite also runs the seed's
 * transcript with herd's script against Apache's broker (kafka-topics × herd-cli).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { CreateMode, ZkClient } from "../../zk/client/mod.ts";
import { Logger } from "../../internal/log.ts";
import { ZkServer } from "../../zk/server/server.ts";
import { encodeBroker, encodePartitionState } from "../../kafka/controller/mod.ts";
import { checkTopicOptions, OptionsError, parseTopicOptions } from "./options.ts";

const SCRIPT = fileURLToPath(new URL("../../bin/kafka-topics.sh", import.meta.url));
const TEST = { sanitizeOps: false, sanitizeResources: false };

async function topics(zk: string, ...args: string[]) {
  const r = await new Deno.Command(SCRIPT, {
    args: ["--zookeeper", zk, ...args],
    env: { INIT_CWD: Deno.cwd() },
  }).output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

Deno.test("options: Kafka's checks before anything connects", () => {
  const check = (args: string[]) => checkTopicOptions(parseTopicOptions(args));
  assert.throws(
    () => check(["--zookeeper", "z"]),
    (e: Error) =>
      e instanceof OptionsError && e.form === "usage" &&
      e.message ===
        "Command must include exactly one action: --list, --describe, --create, --alter or --delete",
  );
  assert.throws(
    () => check(["--list"]),
    /Only one of --bootstrap-server or --zookeeper must be specified/,
  );
  assert.throws(
    () => check(["--zookeeper", "z", "--create", "--topic", "y"]),
    /Missing required argument "\[partitions\]"/,
  );
  assert.throws(
    () => check(["--zookeeper", "z", "--list", "--bogus"]),
    /bogus is not a recognized/,
  );
  // joptsimple takes unique prefixes and --opt=value.
  const o = parseTopicOptions(["--zoo=z", "--creat", "--topic", "t", "--replication", "1"]);
  assert.deepEqual(o.values.get("zookeeper"), ["z"]);
  assert.ok(o.flags.has("create"));
  assert.deepEqual(o.values.get("replication-factor"), ["1"]);
});

Deno.test(
  { name: "kafka-topics --zookeeper: create, list, describe, alter, delete", ...TEST },
  async (t) => {
    const server = new ZkServer({
      settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
      logger: new Logger("", "ERROR"),
    });
    server.start();
    const zkAddr = `127.0.0.1:${server.port}`;
    const zk = await ZkClient.connect(zkAddr);
    const get = async (p: string) => new TextDecoder().decode((await zk.getData(p)).data!);
    try {
      // Broker 1 as a 2.8 broker registers itself (zk-layout.md §2.1).
      for (const p of ["/brokers", "/brokers/ids"]) await zk.create(p, null);
      await zk.create(
        "/brokers/ids/1",
        encodeBroker({
          endpoints: ["PLAINTEXT://127.0.0.1:9092"],
          securityProtocolMap: [["PLAINTEXT", "PLAINTEXT"]],
          jmxPort: -1,
          timestamp: Date.now(),
        }),
        { mode: CreateMode.EPHEMERAL },
      );

      await t.step("create writes Apache's znodes and says so", async () => {
        const r = await topics(
          zkAddr,
          "--create",
          "--topic",
          "plain",
          "--partitions",
          "2",
          "--replication-factor",
          "1",
          "--config",
          "retention.ms=1000",
          "--config",
          "max.message.bytes=2000",
          "--config",
          "cleanup.policy=compact",
        );
        assert.deepEqual([r.code, r.out], [0, "Created topic plain.\n"]);
        assert.equal(
          await get("/config/topics/plain"),
          `{"version":1,"config":{"cleanup.policy":"compact","max.message.bytes":"2000","retention.ms":"1000"}}`,
        );
        assert.equal(
          await get("/brokers/topics/plain"),
          `{"removing_replicas":{},"partitions":{"1":[1],"0":[1]},"adding_replicas":{},"version":3}`,
        );
        const again = await topics(
          zkAddr,
          "--create",
          "--topic",
          "plain",
          "--partitions",
          "2",
          "--replication-factor",
          "1",
        );
        assert.deepEqual([again.code, again.out], [
          1,
          "Error while executing topic command : Topic 'plain' already exists.\n",
        ]);
        assert.match(
          again.err,
          /ERROR org\.apache\.kafka\.common\.errors\.TopicExistsException: Topic 'plain' already exists\.\n \(kafka\.admin\.TopicCommand\$\)\n$/,
        );
        const quiet = await topics(
          zkAddr,
          "--create",
          "--topic",
          "plain",
          "--partitions",
          "2",
          "--replication-factor",
          "1",
          "--if-not-exists",
        );
        assert.deepEqual([quiet.code, quiet.out], [0, ""]);
      });

      await t.step("Kafka's refusals, word for word", async () => {
        const warn =
          "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n";
        const cases: [string[], string][] = [
          [["--topic", "a_b"], `${warn}Created topic a_b.\n`],
          [
            ["--topic", "a.b"],
            `${warn}Error while executing topic command : Topic 'a.b' collides with existing topics: a_b\n`,
          ],
          [
            ["--topic", "x", "--replication-factor", "2"],
            "Error while executing topic command : Replication factor: 2 larger than available brokers: 1.\n",
          ],
          [
            ["--topic", "y", "--partitions", "0"],
            "Error while executing topic command : Number of partitions must be larger than 0.\n",
          ],
          [
            ["--topic", "bad/name"],
            `Error while executing topic command : Topic name "bad/name" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'\n`,
          ],
          [
            ["--topic", "z", "--config", "bogus.key=1"],
            "Error while executing topic command : Unknown topic config name: bogus.key\n",
          ],
          [
            ["--topic", "z", "--config", "retention.ms=abc"],
            "Error while executing topic command : Invalid value abc for configuration retention.ms: Not a number of type LONG\n",
          ],
        ];
        for (const [args, out] of cases) {
          const full = ["--create", ...args];
          if (!args.includes("--partitions")) full.push("--partitions", "1");
          if (!args.includes("--replication-factor")) full.push("--replication-factor", "1");
          const r = await topics(zkAddr, ...full);
          assert.equal(r.out, out, args.join(" "));
          assert.equal(r.code, out.includes("Error") ? 1 : 0, args.join(" "));
        }
      });

      await t.step("list and describe, before and after a controller's work", async () => {
        assert.deepEqual(await topics(zkAddr, "--list"), { code: 0, out: "a_b\nplain\n", err: "" });
        // No controller yet: no topic id, no state znodes.
        const before = await topics(zkAddr, "--describe", "--topic", "a_b");
        assert.equal(
          before.out,
          "Topic: a_b\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n" +
            "\tTopic: a_b\tPartition: 0\tLeader: none\tReplicas: 1\tIsr: \n",
        );
        // What Apache's controller then writes (zk-layout.md §2.3 step 8-9).
        await zk.setData(
          "/brokers/topics/plain",
          `{"removing_replicas":{},"partitions":{"1":[1],"0":[1]},"topic_id":"G6y_YAzPRPyUm5m0Ga3meA","adding_replicas":{},"version":3}`,
        );
        await zk.create("/brokers/topics/plain/partitions", null);
        for (const p of [0, 1]) {
          await zk.create(`/brokers/topics/plain/partitions/${p}`, null);
          await zk.create(
            `/brokers/topics/plain/partitions/${p}/state`,
            encodePartitionState({ controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1] }),
          );
        }
        const after = await topics(zkAddr, "--describe", "--topic", "pl.*");
        assert.equal(
          after.out,
          "Topic: plain\tTopicId: G6y_YAzPRPyUm5m0Ga3meA\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: cleanup.policy=compact,max.message.bytes=2000,retention.ms=1000\n" +
            "\tTopic: plain\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\n" +
            "\tTopic: plain\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1\n",
        );
        const overrides = await topics(zkAddr, "--describe", "--topics-with-overrides");
        assert.equal(overrides.out, after.out.split("\n")[0] + "\n");
        const nope = await topics(zkAddr, "--describe", "--topic", "nope");
        assert.deepEqual([nope.code, nope.out], [
          1,
          "Error while executing topic command : Topic 'nope' does not exist as expected\n",
        ]);
        assert.deepEqual(
          (await topics(zkAddr, "--describe", "--topic", "nope", "--if-exists")).code,
          0,
        );
      });

      await t.step("alter --partitions adds partitions as AdminZkClient does", async () => {
        const warn =
          "WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\n";
        const r = await topics(zkAddr, "--alter", "--topic", "plain", "--partitions", "4");
        assert.deepEqual([r.code, r.out], [0, `${warn}Adding partitions succeeded!\n`]);
        assert.equal(
          await get("/brokers/topics/plain"),
          `{"removing_replicas":{},"partitions":{"2":[1],"1":[1],"0":[1],"3":[1]},"topic_id":"G6y_YAzPRPyUm5m0Ga3meA","adding_replicas":{},"version":3}`,
        );
        const down = await topics(zkAddr, "--alter", "--topic", "plain", "--partitions", "2");
        assert.deepEqual([down.code, down.out], [
          1,
          `${warn}Error while executing topic command : The number of partitions for a topic can only be increased. Topic plain currently has 4 partitions, 2 would not be an increase.\n`,
        ]);
      });

      await t.step("delete marks the topic for the controller", async () => {
        const r = await topics(zkAddr, "--delete", "--topic", "a_b");
        assert.deepEqual([r.code, r.out], [
          0,
          "Topic a_b is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n",
        ]);
        assert.equal((await zk.getData("/admin/delete_topics/a_b")).data, null);
        const again = await topics(zkAddr, "--delete", "--topic", "a_b");
        assert.equal(again.out, "Topic a_b is already marked for deletion.\n");
        assert.equal((await topics(zkAddr, "--list")).out, "a_b - marked for deletion\nplain\n");
      });

      await t.step("help and version", async () => {
        const help = await topics(zkAddr, "--help");
        assert.equal(help.code, 1);
        assert.match(
          help.err,
          /^This tool helps to create, delete, describe, or change a topic\.\nOption +Description/,
        );
        assert.equal((await topics(zkAddr, "--version")).out, "2.8.2 (Commit:3146c6ff4a24cc24)\n");
      });
    } finally {
      await zk.close();
      await server.stop();
    }
  },
);
