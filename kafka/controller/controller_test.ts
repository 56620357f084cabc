/**
 * The controller against herd's ZooKeeper (in-process), driven by the writes Kafka's tools make
 * (AdminZk writes what `kafka-topics.sh --zookeeper` writes), compared with the znodes Apache
 * 2.8.2's controller left for the same steps (recorded on this machine; see README.md):
 *
 * - `--create --topic zt --partitions 2 --replication-factor 1`: `/brokers/topics/zt` at
 *   dataVersion 1 `{"removing_replicas":{},"partitions":{"1":[1],"0":[1]},"topic_id":"…",
 *   "adding_replicas":{},"version":3}`, `partitions` and `partitions/<p>` null at 0, each state
 *   `{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}` at 0.
 * - CreatePartitions 3→5: the topic znode rewritten (dataVersion +1, id kept), the new states
 *   created at version 0, the old ones untouched.
 * - A deletion: every znode of the topic gone, `/config/topics/<t>` and the
 *   `/admin/delete_topics/<t>` entry too.
 */
import assert from "node:assert/strict";
import { ZkClient } from "../../zk/client/mod.ts";
import { AdminZk } from "./admin_zk.ts";
import { startBroker, type TestBroker, until, withZk, znode } from "./_test_support.ts";
import { KafkaZkBootstrap } from "./zk_bootstrap.ts";
import { registration } from "./_test_support.ts";

const STATE_0 = `{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}`;
const opts = { sanitizeOps: false, sanitizeResources: false };

async function withBroker(body: (b: TestBroker, tool: ZkClient, connect: string) => Promise<void>) {
  await withZk(async (connect) => {
    const b = await startBroker(connect);
    const tool = await ZkClient.connect(connect);
    try {
      await body(b, tool, connect);
    } finally {
      await tool.close();
      await b.session.close();
    }
  });
}

Deno.test({ name: "controller: a fresh cluster's election", ...opts }, async () => {
  await withBroker(async (b, tool) => {
    assert.equal(b.controller.isActive, true);
    assert.equal(b.controller.epoch, 1);
    assert.equal(b.state.controllerId, 1);
    assert.match(b.state.clusterId ?? "", /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(b.state.brokers, [{ id: 1, host: "127.0.0.1", port: 9092, rack: null }]);
    assert.deepEqual(await znode(tool, "/controller_epoch"), ["1", 1]);
    assert.deepEqual(await znode(tool, "/feature"), [`{"features":{},"status":1,"version":1}`, 0]);
    assert.ok(
      b.log.some((l) =>
        l.includes("1 successfully elected as the controller. Epoch incremented to 1")
      ),
    );
  });
});

Deno.test({
  name: "controller: a topic the tool wrote gets its id and states as 2.8.2 writes them",
  ...opts,
}, async () => {
  await withBroker(async (b, tool) => {
    await new AdminZk(tool).createTopic("zt", new Map(), new Map([[0, [1]], [1, [1]]]));
    await until("zt served", () => b.state.topics.get("zt")?.partitions.length === 2);
    const [json, version] = await znode(tool, "/brokers/topics/zt");
    const id = b.state.topics.get("zt")!.topicId;
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual([json, version], [
      `{"removing_replicas":{},"partitions":{"1":[1],"0":[1]},"topic_id":"${id}","adding_replicas":{},"version":3}`,
      1,
    ]);
    assert.deepEqual(await znode(tool, "/brokers/topics/zt/partitions"), [null, 0]);
    for (const p of [0, 1]) {
      assert.deepEqual(await znode(tool, `/brokers/topics/zt/partitions/${p}`), [null, 0]);
      assert.deepEqual(await znode(tool, `/brokers/topics/zt/partitions/${p}/state`), [STATE_0, 0]);
    }
    assert.deepEqual(await znode(tool, "/config/topics/zt"), [`{"version":1,"config":{}}`, 0]);
    assert.deepEqual(
      b.replicas.led.map((l) => [l.topic, l.partition, l.topicId, l.leaderEpoch, [...l.config]])
        .sort(),
      [["zt", 0, id, 0, []], ["zt", 1, id, 0, []]],
    );
    assert.deepEqual(b.state.topics.get("zt")!.partitions[1], {
      partition: 1,
      leader: 1,
      leaderEpoch: 0,
      replicas: [1],
      isr: [1],
      offlineReplicas: [],
    });
  });
});

Deno.test(
  { name: "controller: added partitions get states, and only they are led anew", ...opts },
  async () => {
    await withBroker(async (b, tool) => {
      const admin = new AdminZk(tool);
      await admin.createTopic(
        "t",
        new Map([["retention.ms", "1000"]]),
        new Map([[0, [1]]]),
        "rqP18JcUR5qPecxe2FO9PQ",
      );
      await until("t served", () => b.state.topics.get("t")?.partitions.length === 1);
      // A topic written with its id (CreateTopics) is not rewritten by the controller.
      assert.equal((await znode(tool, "/brokers/topics/t"))[1], 0);
      assert.deepEqual(b.replicas.led.map((l) => [l.partition, [...l.config]]), [[0, [[
        "retention.ms",
        "1000",
      ]]]]);
      const a = (await admin.readTopic("t"))!;
      a.partitions.set(1, [1]);
      a.partitions.set(2, [1]);
      await admin.writeAssignment("t", a);
      await until("t grown", () => b.state.topics.get("t")?.partitions.length === 3);
      assert.deepEqual(await znode(tool, "/brokers/topics/t"), [
        `{"removing_replicas":{},"partitions":{"2":[1],"1":[1],"0":[1]},"topic_id":"rqP18JcUR5qPecxe2FO9PQ","adding_replicas":{},"version":3}`,
        1,
      ]);
      for (const p of [0, 1, 2]) {
        assert.deepEqual(await znode(tool, `/brokers/topics/t/partitions/${p}/state`), [
          STATE_0,
          0,
        ]);
      }
      assert.deepEqual(b.replicas.led.map((l) => l.partition), [0, 1, 2]);
    });
  },
);

Deno.test(
  { name: "controller: a deletion removes the logs, then the znodes", ...opts },
  async () => {
    await withBroker(async (b, tool) => {
      const admin = new AdminZk(tool);
      await admin.createTopic(
        "gone",
        new Map([["retention.ms", "1000"]]),
        new Map([[0, [1]], [1, [1]]]),
      );
      await admin.createTopic("kept", new Map(), new Map([[0, [1]]]));
      await until("topics served", () => b.state.topics.size === 2);
      await admin.markForDeletion("gone");
      await until(
        "gone deleted",
        async () => (await tool.exists("/admin/delete_topics/gone")) === null,
      );
      assert.deepEqual(
        b.replicas.deleted.sort((x, y) => x.partition - y.partition),
        [
          { topic: "gone", partition: 0 },
          { topic: "gone", partition: 1 },
        ],
      );
      assert.equal(await tool.exists("/brokers/topics/gone"), null);
      assert.equal(await tool.exists("/config/topics/gone"), null);
      assert.deepEqual([...b.state.topics.keys()], ["kept"]);
      assert.deepEqual(await tool.getChildren("/admin/delete_topics"), []);
      // An entry for a topic that does not exist is just removed.
      await admin.markForDeletion("never");
      await until(
        "entry dropped",
        async () => (await tool.exists("/admin/delete_topics/never")) === null,
      );
      assert.deepEqual(b.replicas.deleted.length, 2);
    });
  },
);

Deno.test({
  name: "controller: with delete.topic.enable=false an entry is dropped, the topic kept",
  ...opts,
}, async () => {
  await withZk(async (connect) => {
    const b = await startBroker(connect, 1, { deleteTopicEnable: false });
    const tool = await ZkClient.connect(connect);
    try {
      const admin = new AdminZk(tool);
      await admin.createTopic("t", new Map(), new Map([[0, [1]]]));
      await until("t served", () => b.state.topics.has("t"));
      await admin.markForDeletion("t");
      await until(
        "entry dropped",
        async () => (await tool.exists("/admin/delete_topics/t")) === null,
      );
      assert.ok(await tool.exists("/brokers/topics/t/partitions/0/state"));
      assert.deepEqual(b.replicas.deleted, []);
      assert.ok(b.state.topics.has("t"));
    } finally {
      await tool.close();
      await b.session.close();
    }
  });
});

Deno.test({
  name: "controller: a restart loads the topics without writing; an expiry re-registers",
  ...opts,
}, async () => {
  await withZk(async (connect) => {
    const tool = await ZkClient.connect(connect);
    try {
      const first = await startBroker(connect);
      await new AdminZk(tool).createTopic("t", new Map(), new Map([[0, [1]], [1, [1]]]));
      await until("t served", () => first.state.topics.get("t")?.partitions.length === 2);
      const id = first.state.topics.get("t")!.topicId;
      await first.session.close();
      await until("ephemerals gone", async () => (await tool.exists("/controller")) === null);

      const second = await startBroker(connect);
      try {
        assert.equal(second.controller.epoch, 2);
        assert.deepEqual(await znode(tool, "/controller_epoch"), ["2", 2]);
        assert.equal(second.state.topics.get("t")!.topicId, id);
        assert.deepEqual(second.replicas.led.map((l) => [l.partition, l.leaderEpoch]).sort(), [[
          0,
          0,
        ], [1, 0]]);
        assert.deepEqual(await znode(tool, "/brokers/topics/t/partitions/0/state"), [STATE_0, 0]);
        assert.equal((await znode(tool, "/brokers/topics/t"))[1], 1);

        // What a session expiry leads to: a new session, registration, election (epoch 3).
        const oldSession = second.session.zk.sessionId;
        await second.session.renew();
        assert.notEqual(second.session.zk.sessionId, oldSession);
        assert.equal(second.controller.epoch, 3);
        assert.equal(
          (await tool.getData("/brokers/ids/1")).stat.ephemeralOwner,
          second.session.zk.sessionId,
        );
        assert.equal(
          (await tool.getData("/controller")).stat.ephemeralOwner,
          second.session.zk.sessionId,
        );
        assert.deepEqual(await znode(tool, "/brokers/topics/t/partitions/1/state"), [STATE_0, 0]);
        // Still watching on the new session.
        await new AdminZk(tool).createTopic("u", new Map(), new Map([[0, [1]]]));
        await until("u served", () => second.state.topics.has("u"));
        assert.deepEqual(
          await znode(tool, "/brokers/topics/u/partitions/0/state"),
          [`{"controller_epoch":3,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}`, 0],
        );
      } finally {
        await second.session.close();
      }
    } finally {
      await tool.close();
    }
  });
});

Deno.test({
  name: "controller: a partition on an absent broker waits for it; so does its deletion",
  ...opts,
}, async () => {
  await withBroker(async (b, tool, connect) => {
    const admin = new AdminZk(tool);
    await admin.createTopic(
      "s2",
      new Map(),
      new Map([[0, [5]], [1, [1]]]),
      "y8Y-93uFSzeNa8MxhAjKrg",
    );
    await until("s2 served", () => b.state.topics.get("s2")?.partitions.length === 1);
    // As Apache 2.8.2 left it: no state znode for the partition with no live replica.
    assert.equal(await tool.exists("/brokers/topics/s2/partitions/0"), null);
    assert.deepEqual(await znode(tool, "/brokers/topics/s2/partitions/1/state"), [STATE_0, 0]);

    // Broker 5 registers: its partition gets a state with it as leader (not led here).
    const five = await ZkClient.connect(connect);
    try {
      await new KafkaZkBootstrap(five).registerBroker(5, registration(9095));
      await until("broker 5 live", () => b.state.brokers.length === 2);
      await until(
        "s2-0 state",
        async () => (await tool.exists("/brokers/topics/s2/partitions/0/state")) !== null,
      );
      assert.deepEqual(
        await znode(tool, "/brokers/topics/s2/partitions/0/state"),
        [`{"controller_epoch":1,"leader":5,"version":1,"leader_epoch":0,"isr":[5]}`, 0],
      );
      assert.deepEqual(b.replicas.led.map((l) => l.partition), [1]);
    } finally {
      await five.close();
    }
    // Broker 5 leaves: its partition goes offline; a deletion now waits for it.
    await until("broker 5 gone", () => b.state.brokers.length === 1);
    assert.deepEqual(
      await znode(tool, "/brokers/topics/s2/partitions/0/state"),
      [`{"controller_epoch":1,"leader":-1,"version":1,"leader_epoch":1,"isr":[5]}`, 1],
    );
    await admin.markForDeletion("s2");
    await until("s2 hidden", () => !b.state.topics.has("s2"));
    await b.controller.settled();
    assert.ok(await tool.exists("/admin/delete_topics/s2"));
    assert.ok(await tool.exists("/brokers/topics/s2"));
    assert.deepEqual(b.replicas.deleted, []);
  });
});
