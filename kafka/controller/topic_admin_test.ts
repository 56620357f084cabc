/**
 * CreateTopics, CreatePartitions, DeleteTopics and Metadata auto-creation over the wire against
 * herd's broker side (listener + controller on herd's ZooKeeper, in-process), each answer compared
 * with what Apache Kafka 2.8.2 answered to the same request on this machine (one broker, id 1,
 * offsets.topic.replication.factor=1; recorded with herd's codecs as README.md says), and the
 * znodes compared with what it wrote.
 */
import assert from "node:assert/strict";
import { ZkClient } from "../../zk/client/mod.ts";
import { kafkaCall } from "./_kafka_wire.ts";
import { startWireBroker, type WireBroker } from "./_test_wire_broker.ts";
import { until, withZk, znode } from "./_test_support.ts";
import type { CreateTopicsResponse } from "../protocol/messages/create_topics.ts";
import type { CreatePartitionsResponse } from "../protocol/messages/create_partitions.ts";
import type { DeleteTopicsResponse } from "../protocol/messages/delete_topics.ts";
import type { MetadataResponse } from "../protocol/messages/metadata.ts";
import { ZERO_UUID } from "../protocol/uuid.ts";
import { AdminZk } from "./admin_zk.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Apache 2.8.2's configs for a topic created with retention.ms=1000 (CreateTopics v7). */
const APACHE_CONFIGS: [string, string, number][] = [
  ["compression.type", "producer", 5],
  ["leader.replication.throttled.replicas", "", 5],
  ["min.insync.replicas", "1", 5],
  ["message.downconversion.enable", "true", 5],
  ["segment.jitter.ms", "0", 5],
  ["cleanup.policy", "delete", 5],
  ["flush.ms", "9223372036854775807", 5],
  ["follower.replication.throttled.replicas", "", 5],
  ["segment.bytes", "1073741824", 5],
  ["retention.ms", "1000", 1],
  ["flush.messages", "9223372036854775807", 5],
  ["message.format.version", "2.8-IV1", 5],
  ["max.compaction.lag.ms", "9223372036854775807", 5],
  ["file.delete.delay.ms", "60000", 5],
  ["max.message.bytes", "1048588", 5],
  ["min.compaction.lag.ms", "0", 5],
  ["message.timestamp.type", "CreateTime", 5],
  ["preallocate", "false", 5],
  ["index.interval.bytes", "4096", 5],
  ["min.cleanable.dirty.ratio", "0.5", 5],
  ["unclean.leader.election.enable", "false", 5],
  ["retention.bytes", "-1", 5],
  ["delete.retention.ms", "86400000", 5],
  ["segment.ms", "604800000", 5],
  ["message.timestamp.difference.max.ms", "9223372036854775807", 5],
  ["segment.index.bytes", "10485760", 5],
];

/** What the Apache run's server.properties set (kafka/log/_apache.ts). */
const PROPS = "offsets.topic.replication.factor=1\noffsets.topic.num.partitions=1\n" +
  "transaction.state.log.replication.factor=1\ntransaction.state.log.min.isr=1\n";

async function withWire(
  props: string,
  body: (b: WireBroker, tool: ZkClient) => Promise<void>,
): Promise<void> {
  await withZk(async (connect) => {
    const b = await startWireBroker(connect, props);
    const tool = await ZkClient.connect(connect);
    try {
      await body(b, tool);
    } finally {
      await tool.close();
      await b.close();
    }
  });
}

type Spec = {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments?: { partitionIndex: number; brokerIds: number[] }[];
  configs?: { name: string; value: string | null }[];
};

function createTopics(
  b: WireBroker,
  v: number,
  topics: Spec[],
  timeoutMs = 30000,
  validateOnly = false,
) {
  return kafkaCall<CreateTopicsResponse>(b.port, 19, v, {
    topics: topics.map((t) => ({ assignments: [], configs: [], ...t })),
    timeoutMs,
    validateOnly,
  });
}

/** Each topic's [name, error code, message], as compared with Apache's answers. */
const errors = (r: CreateTopicsResponse) =>
  r.topics.map((t) => [t.name, t.errorCode, t.errorMessage]);

Deno.test({ name: "CreateTopics v7: created as Apache 2.8.2 creates it", ...opts }, async () => {
  await withWire(PROPS, async (b, tool) => {
    const r = await createTopics(b, 7, [{
      name: "ct1",
      numPartitions: 3,
      replicationFactor: 1,
      configs: [{ name: "retention.ms", value: "1000" }],
    }]);
    const [t] = r.topics;
    assert.deepEqual([t.name, t.errorCode, t.errorMessage, t.numPartitions, t.replicationFactor], [
      "ct1",
      0,
      null,
      3,
      1,
    ]);
    assert.deepEqual(t.configs!.map((c) => [c.name, c.value, c.configSource]), APACHE_CONFIGS);
    assert.ok(t.configs!.every((c) => !c.readOnly && !c.isSensitive));
    // Answered once every partition had its leader.
    assert.deepEqual(b.state.topics.get("ct1")!.partitions.map((p) => p.leader), [1, 1, 1]);
    assert.equal(b.state.topics.get("ct1")!.topicId, t.topicId);
    // Apache's znodes: the topic written once, with its id; the config first.
    assert.deepEqual(await znode(tool, "/brokers/topics/ct1"), [
      `{"removing_replicas":{},"partitions":{"2":[1],"1":[1],"0":[1]},"topic_id":"${t.topicId}","adding_replicas":{},"version":3}`,
      0,
    ]);
    assert.deepEqual(await znode(tool, "/config/topics/ct1"), [
      `{"version":1,"config":{"retention.ms":"1000"}}`,
      0,
    ]);
    assert.deepEqual(
      await znode(tool, "/brokers/topics/ct1/partitions/2/state"),
      [`{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}`, 0],
    );
    assert.deepEqual(b.replicas.led.map((l) => [l.topic, l.partition, l.topicId]).sort(), [
      ["ct1", 0, t.topicId],
      ["ct1", 1, t.topicId],
      ["ct1", 2, t.topicId],
    ]);
    // -1/-1: num.partitions and default.replication.factor (here 1 and 1).
    const d =
      (await createTopics(b, 7, [{ name: "ct6", numPartitions: -1, replicationFactor: -1 }]))
        .topics[0];
    assert.deepEqual([d.errorCode, d.numPartitions, d.replicationFactor], [0, 1, 1]);
  });
});

Deno.test(
  { name: "CreateTopics: refusals with Apache 2.8.2's codes and messages", ...opts },
  async () => {
    await withWire(PROPS, async (b) => {
      await createTopics(b, 7, [{ name: "ct1", numPartitions: 1, replicationFactor: 1 }]);
      await createTopics(b, 7, [{ name: "a.b", numPartitions: 1, replicationFactor: 1 }]);
      const cases: [Spec, number, string | null][] = [
        [
          { name: "ct1", numPartitions: 3, replicationFactor: 1 },
          36,
          "Topic 'ct1' already exists.",
        ],
        [
          { name: "ct2", numPartitions: 1, replicationFactor: 3 },
          38,
          "Replication factor: 3 larger than available brokers: 1.",
        ],
        [
          {
            name: "ct3",
            numPartitions: 1,
            replicationFactor: 1,
            configs: [{ name: "foo", value: "bar" }],
          },
          40,
          "Unknown topic config name: foo",
        ],
        [
          {
            name: "ct4",
            numPartitions: 1,
            replicationFactor: 1,
            configs: [{ name: "retention.ms", value: "abc" }],
          },
          40,
          "Invalid value abc for configuration retention.ms: Not a number of type LONG",
        ],
        [
          { name: "ct5", numPartitions: 0, replicationFactor: 1 },
          37,
          "Number of partitions must be larger than 0.",
        ],
        [
          { name: "ct5b", numPartitions: 1, replicationFactor: 0 },
          38,
          "Replication factor must be larger than 0.",
        ],
        [
          { name: "ct5c", numPartitions: -2, replicationFactor: 1 },
          37,
          "Number of partitions must be larger than 0.",
        ],
        [
          { name: "ct5d", numPartitions: 1, replicationFactor: -2 },
          38,
          "Replication factor must be larger than 0.",
        ],
        [
          {
            name: "ct9",
            numPartitions: 2,
            replicationFactor: -1,
            assignments: [{ partitionIndex: 0, brokerIds: [1] }],
          },
          42,
          "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.",
        ],
        [
          {
            name: "ct11",
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [{ partitionIndex: 0, brokerIds: [1] }, {
              partitionIndex: 2,
              brokerIds: [1],
            }],
          },
          39,
          "partitions should be a consecutive 0-based integer sequence",
        ],
        [
          {
            name: "ct11b",
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [{ partitionIndex: 0, brokerIds: [1, 1] }],
          },
          39,
          "Duplicate replica assignment found: Map(0 -> ArrayBuffer(1, 1))",
        ],
        [
          {
            name: "ct11c",
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [{ partitionIndex: 1, brokerIds: [1] }],
          },
          39,
          "partitions should be a consecutive 0-based integer sequence",
        ],
        [
          {
            name: "bad name",
            numPartitions: 1,
            replicationFactor: 1,
          },
          17,
          `Topic name "bad name" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`,
        ],
        [
          { name: "", numPartitions: 1, replicationFactor: 1 },
          17,
          "Topic name is illegal, it can't be empty",
        ],
        [
          { name: ".", numPartitions: 1, replicationFactor: 1 },
          17,
          `Topic name cannot be "." or ".."`,
        ],
        [
          {
            name: "ct14",
            numPartitions: 1,
            replicationFactor: 1,
            configs: [{ name: "retention.ms", value: null }],
          },
          42,
          "Null value not supported for topic configs : retention.ms",
        ],
        [
          { name: "a_b", numPartitions: 1, replicationFactor: 1 },
          17,
          "Topic 'a_b' collides with existing topics: a.b",
        ],
        [
          {
            name: "ct18",
            numPartitions: 1,
            replicationFactor: 1,
            configs: [{ name: "segment.bytes", value: "1" }],
          },
          40,
          "Invalid value 1 for configuration segment.bytes: Value must be at least 14",
        ],
        [
          {
            name: "ct20",
            numPartitions: 1,
            replicationFactor: 1,
            configs: [{ name: "message.format.version", value: "0.9.9" }],
          },
          40,
          "Invalid value 0.9.9 for configuration message.format.version: Version `0.9.9` is not a valid version",
        ],
        [
          {
            name: "ct21",
            numPartitions: 1,
            replicationFactor: 1,
            configs: [{ name: "cleanup.policy", value: "comp" }],
          },
          40,
          "Invalid value comp for configuration cleanup.policy: String must be one of: compact, delete",
        ],
      ];
      for (const [spec, code, message] of cases) {
        const r = await createTopics(b, 7, [spec]);
        assert.deepEqual(errors(r), [[spec.name, code, message]], spec.name);
        const t = r.topics[0];
        assert.deepEqual([t.topicId, t.numPartitions, t.replicationFactor, t.configs], [
          ZERO_UUID,
          -1,
          -1,
          [],
        ]);
      }
      // A name given twice: both entries refused, nothing created.
      const dup = await createTopics(b, 7, [
        { name: "ct12", numPartitions: 1, replicationFactor: 1 },
        { name: "ct12", numPartitions: 1, replicationFactor: 1 },
      ]);
      assert.deepEqual(errors(dup), [
        ["ct12", 42, "Found multiple entries for this topic."],
        ["ct12", 42, "Found multiple entries for this topic."],
      ]);
      assert.deepEqual([...b.state.topics.keys()].sort(), ["a.b", "ct1"]);
    });
  },
);

Deno.test(
  { name: "CreateTopics: validate_only, timeout 0, assignments, v0 and v4", ...opts },
  async () => {
    await withWire(PROPS, async (b, tool) => {
      const v = (await createTopics(
        b,
        7,
        [{
          name: "ct7",
          numPartitions: 2,
          replicationFactor: 1,
          configs: [{ name: "cleanup.policy", value: "compact" }],
        }],
        30000,
        true,
      )).topics[0];
      assert.deepEqual([v.errorCode, v.topicId, v.numPartitions, v.replicationFactor], [
        0,
        ZERO_UUID,
        2,
        1,
      ]);
      const policy = v.configs!.find((c) => c.name === "cleanup.policy")!;
      assert.deepEqual([policy.value, policy.configSource], ["compact", 1]);
      assert.equal(await tool.exists("/brokers/topics/ct7"), null);
      assert.equal(await tool.exists("/config/topics/ct7"), null);
      // timeout 0: created, answered REQUEST_TIMED_OUT at once (topic id given, no metadata).
      const z =
        (await createTopics(b, 7, [{ name: "ct13", numPartitions: 1, replicationFactor: 1 }], 0))
          .topics[0];
      assert.deepEqual([z.errorCode, z.errorMessage, z.numPartitions, z.configs], [
        7,
        null,
        -1,
        [],
      ]);
      assert.notEqual(z.topicId, ZERO_UUID);
      await until("ct13 created", () => b.state.topics.has("ct13"));
      const zv = (await createTopics(
        b,
        7,
        [{ name: "ct13b", numPartitions: 1, replicationFactor: 1 }],
        0,
        true,
      ))
        .topics[0];
      assert.deepEqual([zv.errorCode, zv.numPartitions], [0, 1]);
      // A manual assignment.
      const a = await createTopics(b, 7, [{
        name: "ct8",
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1] }, { partitionIndex: 1, brokerIds: [1] }],
      }]);
      assert.deepEqual([
        a.topics[0].errorCode,
        a.topics[0].numPartitions,
        a.topics[0].replicationFactor,
      ], [0, 2, 1]);
      // An assignment to a broker that is not there: created, times out (as Apache: 30 s there).
      const u = await createTopics(b, 7, [{
        name: "ct10",
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [5] }],
      }], 300);
      assert.deepEqual(errors(u), [["ct10", 7, null]]);
      assert.ok(await tool.exists("/brokers/topics/ct10"));
      // v0 and v4 carry no count, factor or configs.
      const v0 =
        (await createTopics(b, 0, [{ name: "ct15", numPartitions: 1, replicationFactor: 1 }]))
          .topics[0];
      assert.equal(v0.errorCode, 0);
      const v4 = (await createTopics(
        b,
        4,
        [{ name: "ct16", numPartitions: 1, replicationFactor: 1 }],
        1000,
        true,
      ))
        .topics[0];
      assert.deepEqual([v4.errorCode, v4.errorMessage, v4.numPartitions, v4.configs], [
        0,
        null,
        -1,
        [],
      ]);
    });
  },
);

Deno.test(
  { name: "CreatePartitions v3: as Apache 2.8.2 answers and writes", ...opts },
  async () => {
    await withWire(PROPS, async (b, tool) => {
      const ct1 =
        (await createTopics(b, 7, [{ name: "ct1", numPartitions: 3, replicationFactor: 1 }]))
          .topics[0];
      await createTopics(b, 7, [{ name: "ct6", numPartitions: 1, replicationFactor: 1 }]);
      const cp = (
        topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[],
        timeoutMs = 30000,
        validateOnly = false,
      ) => kafkaCall<CreatePartitionsResponse>(b.port, 37, 3, { topics, timeoutMs, validateOnly });
      const res = (r: CreatePartitionsResponse) =>
        r.results.map((x) => [x.name, x.errorCode, x.errorMessage]);
      assert.deepEqual(res(await cp([{ name: "ct1", count: 5, assignments: null }])), [[
        "ct1",
        0,
        null,
      ]]);
      assert.deepEqual(b.state.topics.get("ct1")!.partitions.length, 5);
      assert.deepEqual(await znode(tool, "/brokers/topics/ct1"), [
        `{"removing_replicas":{},"partitions":{"2":[1],"1":[1],"4":[1],"0":[1],"3":[1]},"topic_id":"${ct1.topicId}","adding_replicas":{},"version":3}`,
        1,
      ]);
      const cases: [string, number, { brokerIds: number[] }[] | null, number, string | null][] = [
        [
          "ct1",
          4,
          null,
          37,
          "Topic currently has 5 partitions, which is higher than the requested 4.",
        ],
        ["ct1", 5, null, 37, "Topic already has 5 partitions."],
        ["nope", 5, null, 3, "The topic 'nope' does not exist."],
        [
          "ct1",
          7,
          [{ brokerIds: [1] }],
          39,
          "Increasing the number of partitions by 2 but 1 assignments provided.",
        ],
        ["ct1", 6, [{ brokerIds: [4] }], 39, "Unknown broker(s) in replica assignment: 4."],
        [
          "ct1",
          7,
          [{ brokerIds: [] }, { brokerIds: [1] }],
          39,
          "Cannot have replication factor of 0 for partition id 5.",
        ],
        [
          "ct6",
          0,
          null,
          37,
          "Topic currently has 1 partitions, which is higher than the requested 0.",
        ],
      ];
      for (const [name, count, assignments, code, message] of cases) {
        assert.deepEqual(
          res(await cp([{ name, count, assignments }])),
          [[name, code, message]],
          `${name} ${count}`,
        );
      }
      assert.deepEqual(res(await cp([{ name: "ct1", count: 7, assignments: null }], 30000, true)), [
        ["ct1", 0, null],
      ]);
      assert.equal(b.state.topics.get("ct1")!.partitions.length, 5);
      assert.deepEqual(
        res(await cp([{ name: "ct1", count: 6, assignments: [{ brokerIds: [1] }] }])),
        [["ct1", 0, null]],
      );
      assert.deepEqual(res(await cp([{ name: "ct6", count: 2, assignments: null }], 0)), [[
        "ct6",
        7,
        null,
      ]]);
      await until("ct6 grown", () => b.state.topics.get("ct6")?.partitions.length === 2);
      assert.deepEqual(
        res(
          await cp([{ name: "ct6", count: 3, assignments: null }, {
            name: "ct6",
            count: 4,
            assignments: null,
          }]),
        ),
        [["ct6", 42, "Duplicate topic in request."]],
      );
    });
  },
);

Deno.test({
  name: "DeleteTopics v3-v6: as Apache 2.8.2 answers, then the znodes are gone",
  ...opts,
}, async () => {
  await withWire(PROPS, async (b, tool) => {
    await createTopics(b, 7, [
      {
        name: "ct1",
        numPartitions: 2,
        replicationFactor: 1,
        configs: [{ name: "retention.ms", value: "1000" }],
      },
      { name: "ct6", numPartitions: 1, replicationFactor: 1 },
      { name: "s1", numPartitions: 1, replicationFactor: 1 },
    ]);
    const del6 = (topics: { name: string | null; topicId: string }[], timeoutMs = 30000) =>
      kafkaCall<DeleteTopicsResponse>(b.port, 20, 6, { topics, timeoutMs });
    const del = (v: number, topicNames: string[], timeoutMs = 30000) =>
      kafkaCall<DeleteTopicsResponse>(b.port, 20, v, { topicNames, timeoutMs });
    const res = (r: DeleteTopicsResponse) =>
      r.responses.map((x) => [x.name, x.topicId, x.errorCode, x.errorMessage]);
    assert.deepEqual(res(await del6([{ name: "ct1", topicId: ZERO_UUID }])), [[
      "ct1",
      ZERO_UUID,
      0,
      null,
    ]]);
    assert.equal(b.state.topics.has("ct1"), false);
    for (const p of ["/brokers/topics/ct1", "/config/topics/ct1", "/admin/delete_topics/ct1"]) {
      assert.equal(await tool.exists(p), null, p);
    }
    assert.deepEqual(b.replicas.deleted.map((d) => [d.topic, d.partition]).sort(), [["ct1", 0], [
      "ct1",
      1,
    ]]);
    assert.deepEqual(res(await del6([{ name: "nope", topicId: ZERO_UUID }])), [[
      "nope",
      ZERO_UUID,
      3,
      null,
    ]]);
    assert.deepEqual(res(await del(5, ["nope"])), [["nope", ZERO_UUID, 3, null]]);
    assert.deepEqual((await del(3, ["nope"])).responses.map((x) => [x.name, x.errorCode]), [[
      "nope",
      3,
    ]]);
    const id6 = b.state.topics.get("ct6")!.topicId;
    assert.deepEqual(res(await del6([{ name: null, topicId: id6 }])), [["ct6", id6, 0, null]]);
    const other = "AAAAAAAAAAAAAAAAAAAAAQ";
    assert.deepEqual(res(await del6([{ name: null, topicId: other }])), [[null, other, 100, null]]);
    assert.deepEqual(res(await del6([{ name: "s1", topicId: other }])), [["s1", other, 42, null]]);
    assert.deepEqual(res(await del(5, ["s1"], 0)), [["s1", ZERO_UUID, 7, null]]);
    await until("s1 gone", async () => (await tool.exists("/brokers/topics/s1")) === null);
    assert.deepEqual(res(await del(5, ["s3", "s3"], 3000)), [["s3", ZERO_UUID, 3, null], [
      "s3",
      ZERO_UUID,
      3,
      null,
    ]]);
    assert.deepEqual(res(await del(5, ["bad name"], 3000)), [["bad name", ZERO_UUID, 3, null]]);
  });
});

Deno.test(
  { name: "DeleteTopics with delete.topic.enable=false: TOPIC_DELETION_DISABLED", ...opts },
  async () => {
    await withWire(PROPS + "delete.topic.enable=false\n", async (b, tool) => {
      await createTopics(b, 7, [{ name: "t", numPartitions: 1, replicationFactor: 1 }]);
      const r = await kafkaCall<DeleteTopicsResponse>(b.port, 20, 5, {
        topicNames: ["t"],
        timeoutMs: 1000,
      });
      assert.deepEqual(r.responses.map((x) => [x.name, x.errorCode]), [["t", 73]]);
      assert.equal(await tool.exists("/admin/delete_topics/t"), null);
    });
  },
);

function metadata(b: WireBroker, v: number, names: string[], allowAutoTopicCreation = true) {
  return kafkaCall<MetadataResponse>(b.port, 3, v, {
    topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
    allowAutoTopicCreation,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  });
}

const topicErrors = (r: MetadataResponse) =>
  r.topics.map((t) => [t.name, t.errorCode, t.isInternal, t.partitions.length]);

Deno.test(
  { name: "Metadata auto-creation: LEADER_NOT_AVAILABLE, then the topic", ...opts },
  async () => {
    await withWire(PROPS + "num.partitions=2\n", async (b, tool) => {
      assert.deepEqual(topicErrors(await metadata(b, 4, ["auto1"])), [["auto1", 5, false, 0]]);
      assert.deepEqual(await znode(tool, "/config/topics/auto1"), [`{"version":1,"config":{}}`, 0]);
      const [json, version] = await znode(tool, "/brokers/topics/auto1");
      assert.equal(version, 0);
      assert.match(
        json!,
        /^\{"removing_replicas":\{\},"partitions":\{"1":\[1\],"0":\[1\]\},"topic_id":"[\w-]{22}"/,
      );
      await until("auto1 served", () => b.state.topics.get("auto1")?.partitions.length === 2);
      assert.deepEqual(topicErrors(await metadata(b, 4, ["auto1"])), [["auto1", 0, false, 2]]);
      assert.deepEqual(topicErrors(await metadata(b, 4, ["auto2"], false)), [[
        "auto2",
        3,
        false,
        0,
      ]]);
      assert.equal(await tool.exists("/brokers/topics/auto2"), null);
      assert.deepEqual(topicErrors(await metadata(b, 4, ["bad name"])), [[
        "bad name",
        17,
        false,
        0,
      ]]);
      assert.deepEqual(topicErrors(await metadata(b, 4, ["bad name"], false)), [[
        "bad name",
        17,
        false,
        0,
      ]]);
      // v0 always asks for creation.
      assert.deepEqual(topicErrors(await metadata(b, 0, ["auto3"])), [["auto3", 5, false, 0]]);
      // The internal topics with their own sizes and configs, in Apache's key order.
      assert.deepEqual(topicErrors(await metadata(b, 4, ["__transaction_state"])), [[
        "__transaction_state",
        5,
        true,
        0,
      ]]);
      assert.deepEqual(await znode(tool, "/config/topics/__transaction_state"), [
        `{"version":1,"config":{"compression.type":"uncompressed","cleanup.policy":"compact","min.insync.replicas":"1","segment.bytes":"104857600","unclean.leader.election.enable":"false"}}`,
        0,
      ]);
      await until(
        "50 partitions",
        () => b.state.topics.get("__transaction_state")?.partitions.length === 50,
      );
    });
  },
);

Deno.test({
  name: "ensureInternalTopic: __consumer_offsets as Kafka creates it; RF 3 on one broker refused",
  ...opts,
}, async () => {
  await withWire(PROPS, async (b, tool) => {
    const r = await b.auto.ensureInternalTopic("__consumer_offsets");
    assert.equal(r.code, 7); // created; not waited for
    assert.deepEqual(await znode(tool, "/config/topics/__consumer_offsets"), [
      `{"version":1,"config":{"compression.type":"producer","cleanup.policy":"compact","segment.bytes":"104857600"}}`,
      0,
    ]);
    await until(
      "offsets served",
      () => b.state.topics.get("__consumer_offsets")?.partitions.length === 1,
    );
    assert.equal(b.state.topics.get("__consumer_offsets")!.isInternal, true);
    assert.deepEqual(await b.auto.ensureInternalTopic("__consumer_offsets"), {
      code: 0,
      message: null,
    });
  });
  await withWire("", async (b, tool) => {
    assert.deepEqual(await b.auto.ensureInternalTopic("__consumer_offsets"), {
      code: 38,
      message: "Replication factor: 3 larger than available brokers: 1.",
    });
    assert.equal(await tool.exists("/brokers/topics/__consumer_offsets"), null);
    // Metadata auto-creation with default.replication.factor above the live brokers.
  });
  await withWire("default.replication.factor=2\n", async (b, tool) => {
    assert.deepEqual(topicErrors(await metadata(b, 4, ["t"])), [["t", 38, false, 0]]);
    assert.equal(await tool.exists("/brokers/topics/t"), null);
  });
});

Deno.test({
  name: "topic admin: the controller's topics written by the tool answer as existing",
  ...opts,
}, async () => {
  await withWire(PROPS, async (b, tool) => {
    await new AdminZk(tool).createTopic("zt", new Map(), new Map([[0, [1]]]));
    await until("zt served", () => b.state.topics.has("zt"));
    const r = await createTopics(b, 7, [{ name: "zt", numPartitions: 1, replicationFactor: 1 }]);
    assert.deepEqual(errors(r), [["zt", 36, "Topic 'zt' already exists."]]);
  });
});
