/**
 * Apache Kafka 2.8.2's own `kafka-topics.sh --zookeeper` against herd's ZooKeeper, with herd's
 * controller doing what Apache's does after the tool's writes: the topic gets its id and partition
 * states (the znodes Apache 2.8.2's broker left for the same commands, controller_test.ts), the
 * tool's `--describe` then shows them, `--alter --partitions` grows the topic, and `--delete`
 * ends with the local logs and every znode gone. And `kafka-topics.sh --bootstrap-server` (the
 * Java AdminClient: ApiVersions, Metadata, CreateTopics v7, DeleteTopics v6) against herd's
 * handlers, printing what it prints against Apache's broker.
 *
 * DECISIONS.md: skipped with the reason printed when java or the Kafka jars are missing, failing
 * under CI=true.
 */
import assert from "node:assert/strict";
import { ZkClient } from "../../zk/client/mod.ts";
import { apacheIgnored, kafkaTool, requireApache } from "../log/_apache.ts";
import { startBroker, until, withZk, znode } from "./_test_support.ts";
import { startWireBroker } from "./_test_wire_broker.ts";

const STATE_0 = `{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}`;

Deno.test({
  name: "controller: Apache's kafka-topics.sh --zookeeper create, describe, alter, delete",
  ignore: apacheIgnored("apache kafka-topics --zookeeper"),
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  requireApache();
  await withZk(async (connect) => {
    const b = await startBroker(connect);
    const tool = await ZkClient.connect(connect);
    const topics = (...args: string[]) =>
      kafkaTool("kafka-topics.sh", ["--zookeeper", connect, ...args]);
    try {
      const created = await topics(
        "--create",
        "--topic",
        "zt",
        "--partitions",
        "2",
        "--replication-factor",
        "1",
      );
      assert.match(created.stdout, /^Created topic zt\.$/m);
      await until("zt served", () => b.state.topics.get("zt")?.partitions.length === 2);
      const id = b.state.topics.get("zt")!.topicId;
      assert.deepEqual(await znode(tool, "/brokers/topics/zt"), [
        `{"removing_replicas":{},"partitions":{"1":[1],"0":[1]},"topic_id":"${id}","adding_replicas":{},"version":3}`,
        1,
      ]);
      for (const p of [0, 1]) {
        assert.deepEqual(await znode(tool, `/brokers/topics/zt/partitions/${p}/state`), [
          STATE_0,
          0,
        ]);
      }
      assert.deepEqual(await znode(tool, "/config/topics/zt"), [`{"version":1,"config":{}}`, 0]);

      const described = await topics("--describe", "--topic", "zt");
      assert.equal(
        described.stdout.split("\n").filter((l) => l.includes("zt")).join("\n"),
        `Topic: zt\tTopicId: ${id}\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n` +
          "\tTopic: zt\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\n" +
          "\tTopic: zt\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1",
      );

      const altered = await topics("--alter", "--topic", "zt", "--partitions", "3");
      assert.match(altered.stdout, /Adding partitions succeeded!/);
      await until("zt grown", () => b.state.topics.get("zt")?.partitions.length === 3);
      assert.deepEqual(await znode(tool, "/brokers/topics/zt/partitions/2/state"), [STATE_0, 0]);
      assert.equal((await znode(tool, "/brokers/topics/zt"))[1], 2);

      const deleted = await topics("--delete", "--topic", "zt");
      assert.match(deleted.stdout, /^Topic zt is marked for deletion\.$/m);
      await until(
        "zt deleted",
        async () => (await tool.exists("/admin/delete_topics/zt")) === null,
      );
      assert.equal(await tool.exists("/brokers/topics/zt"), null);
      assert.equal(await tool.exists("/config/topics/zt"), null);
      assert.deepEqual(b.replicas.deleted.map((d) => d.partition).sort(), [0, 1, 2]);
      assert.equal((await topics("--list")).stdout, "");
    } finally {
      await tool.close();
      await b.session.close();
    }
  });
});

Deno.test({
  name: "topic admin: Apache's kafka-topics.sh --bootstrap-server create and delete",
  ignore: apacheIgnored("apache kafka-topics --bootstrap-server"),
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  requireApache();
  await withZk(async (connect) => {
    const b = await startWireBroker(connect, "");
    const tool = await ZkClient.connect(connect);
    const topics = (...args: string[]) =>
      kafkaTool("kafka-topics.sh", ["--bootstrap-server", `127.0.0.1:${b.port}`, ...args]);
    /** The message of a command that fails (exit 1), as the tool prints it. */
    const refusal = async (...args: string[]) => {
      const e = await topics(...args).then(() => null, (err: Error) => err.message);
      return /Error while executing topic command : .*/.exec(e ?? "")?.[0];
    };
    try {
      const created = await topics(
        "--create",
        "--topic",
        "bt",
        "--partitions",
        "2",
        "--replication-factor",
        "1",
        "--config",
        "retention.ms=1000",
      );
      assert.match(created.stdout, /^Created topic bt\.$/m);
      assert.deepEqual(await znode(tool, "/config/topics/bt"), [
        `{"version":1,"config":{"retention.ms":"1000"}}`,
        0,
      ]);
      assert.equal((await znode(tool, "/brokers/topics/bt"))[1], 0);
      assert.equal(
        await refusal("--create", "--topic", "bt", "--partitions", "1"),
        "Error while executing topic command : Topic 'bt' already exists.",
      );
      assert.equal(
        await refusal("--create", "--topic", "b3", "--replication-factor", "3"),
        "Error while executing topic command : Replication factor: 3 larger than available brokers: 1.",
      );
      await topics("--delete", "--topic", "bt");
      assert.equal(await tool.exists("/brokers/topics/bt"), null);
      assert.deepEqual([...b.state.topics.keys()], []);
    } finally {
      await tool.close();
      await b.close();
    }
  });
});
