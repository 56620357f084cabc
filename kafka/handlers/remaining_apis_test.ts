/**
 * The handlers of the APIs that used to close the connection (17, 34, 36, 38–41, 43, 45, 48–51,
 * 56, 57, 61): each answer is what Apache 2.8.2 answered the same request (recorded with raw
 * requests against a one-broker Apache on PLAINTEXT, see README.md "Recorded"), and goes through
 * its codec at every version 2.8.2 serves.
 */
import assert from "node:assert/strict";
import { apiEntry } from "../protocol/registry.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { staticBrokerState } from "../server/broker_state.ts";
import type { EntityConfigStore } from "../config/client_quotas.ts";
import { javaDouble, sanitize } from "../config/client_quotas.ts";
import { credentialString } from "../config/scram_credentials.ts";
import type { Handler, RequestContext } from "./handler.ts";
import { handleSaslHandshake } from "./17_sasl_handshake.ts";
import { handleSaslAuthenticate } from "./36_sasl_authenticate.ts";
import { alterReplicaLogDirsHandler } from "./34_alter_replica_log_dirs.ts";
import { handleCreateDelegationToken } from "./38_create_delegation_token.ts";
import { handleRenewDelegationToken } from "./39_renew_delegation_token.ts";
import { handleExpireDelegationToken } from "./40_expire_delegation_token.ts";
import { handleDescribeDelegationToken } from "./41_describe_delegation_token.ts";
import { handleElectLeaders } from "./43_elect_leaders.ts";
import { handleAlterPartitionReassignments } from "./45_alter_partition_reassignments.ts";
import { describeClientQuotasHandler } from "./48_describe_client_quotas.ts";
import { alterClientQuotasHandler } from "./49_alter_client_quotas.ts";
import { describeUserScramCredentialsHandler } from "./50_describe_user_scram_credentials.ts";
import { alterUserScramCredentialsHandler } from "./51_alter_user_scram_credentials.ts";
import { alterIsrHandler } from "./56_alter_isr.ts";
import { handleUpdateFeatures } from "./57_update_features.ts";
import { describeProducersHandler } from "./61_describe_producers.ts";

const state = staticBrokerState({ brokerId: 1, host: "127.0.0.1", port: 9092, topics: { t: 2 } });
const ctx = (apiVersion: number): RequestContext => ({
  apiVersion,
  header: { correlationId: 1, clientId: "t" } as unknown as RequestContext["header"],
  broker: state,
});

/** The response, after a trip through its codec at `version` (what a client reads). */
async function answer(
  key: number,
  version: number,
  handler: Handler<never, unknown>,
  request: unknown,
): Promise<unknown> {
  const codec = apiEntry(key)!.codec;
  const w = new KafkaWriter(256);
  codec.encodeRequest(w, request, version);
  const decoded = codec.decodeRequest(new KafkaReader(w.written().slice()), version);
  const res = await (handler as Handler<unknown, unknown>)(decoded, ctx(version));
  const out = new KafkaWriter(256);
  codec.encodeResponse(out, res, version);
  return codec.decodeResponse(new KafkaReader(out.written().slice()), version);
}

/** Drops fields a version does not carry and the codec's tagged-field bookkeeping. */
const plain = (v: unknown) =>
  JSON.parse(
    JSON.stringify(v, (k, x) =>
      k === "unknownTaggedFields" ? undefined : x instanceof Uint8Array ? [...x] : x),
  );

/** An in-memory /config tree. */
function memoryStore(): EntityConfigStore & { znodes: Map<string, Map<string, string>> } {
  const znodes = new Map<string, Map<string, string>>();
  return {
    znodes,
    fetchEntityConfig: (t, e) => Promise.resolve(new Map(znodes.get(`${t}/${e}`) ?? [])),
    changeEntityConfig: (t, e, m) => {
      znodes.set(`${t}/${e}`, new Map(m));
      return Promise.resolve();
    },
    entityNames: (t) =>
      Promise.resolve([
        ...new Set(
          [...znodes.keys()].filter((k) => k.startsWith(`${t}/`)).map((k) =>
            k.slice(t.length + 1).split("/")[0]
          ),
        ),
      ]),
  };
}

Deno.test("SASL on a plaintext listener: ILLEGAL_SASL_STATE, as Apache answers", async () => {
  for (const v of [0, 1]) {
    assert.deepEqual(plain(await answer(17, v, handleSaslHandshake, { mechanism: "PLAIN" })), {
      errorCode: 34,
      mechanisms: [],
    });
  }
  for (const v of [0, 1, 2]) {
    const r = plain(await answer(36, v, handleSaslAuthenticate, { authBytes: new Uint8Array(2) }));
    assert.equal(r.errorCode, 34);
    assert.equal(
      r.errorMessage,
      "SaslAuthenticate request received after successful authentication",
    );
    assert.deepEqual(r.authBytes, []);
  }
});

Deno.test("delegation tokens on plaintext: DELEGATION_TOKEN_REQUEST_NOT_ALLOWED for all four", async () => {
  for (const v of [0, 1, 2]) {
    const c = plain(
      await answer(38, v, handleCreateDelegationToken, { renewers: [], maxLifetimeMs: -1 }),
    );
    assert.deepEqual(
      [c.errorCode, c.principalType, c.principalName, c.issueTimestampMs, c.tokenId, c.hmac],
      [64, "User", "ANONYMOUS", -1, "", []],
    );
    const hmac = new Uint8Array([1, 2]);
    for (
      const [key, h, req] of [
        [39, handleRenewDelegationToken, { hmac, renewPeriodMs: 1 }],
        [40, handleExpireDelegationToken, { hmac, expiryTimePeriodMs: 1 }],
      ] as const
    ) {
      assert.deepEqual(plain(await answer(key, v, h, req)), {
        errorCode: 64,
        expiryTimestampMs: -1,
        throttleTimeMs: 0,
      });
    }
    assert.deepEqual(plain(await answer(41, v, handleDescribeDelegationToken, { owners: null })), {
      errorCode: 64,
      tokens: [],
      throttleTimeMs: 0,
    });
  }
});

Deno.test("AlterReplicaLogDirs: unknown dir, unknown partition, same dir, another dir", async () => {
  const h = alterReplicaLogDirsHandler({
    logDirs: ["/a", "/b"],
    logDirOf: (t, p) => (t === "t" ? ["/a", "/b"][p] : undefined),
  });
  const r = plain(
    await answer(34, 2, h, {
      dirs: [
        { path: "/a/", topics: [{ name: "t", partitions: [0] }] },
        {
          path: "/a",
          topics: [{ name: "t", partitions: [0, 5, 1] }, { name: "x", partitions: [0] }],
        },
      ],
    }),
  );
  // t-0 named twice: the last destination wins, as in Kafka's map.
  assert.deepEqual(r.results, [
    {
      topicName: "t",
      partitions: [
        { partitionIndex: 0, errorCode: 0 },
        { partitionIndex: 5, errorCode: 3 },
        { partitionIndex: 1, errorCode: 56 },
      ],
    },
    { topicName: "x", partitions: [{ partitionIndex: 0, errorCode: 3 }] },
  ]);
  const nf = plain(
    await answer(34, 0, h, { dirs: [{ path: "/c", topics: [{ name: "t", partitions: [0] }] }] }),
  );
  assert.deepEqual(nf.results[0].partitions, [{ partitionIndex: 0, errorCode: 57 }]);
});

Deno.test("ElectLeaders on one broker: not needed, unknown, none for all partitions", async () => {
  for (const v of [0, 1, 2]) {
    const r = plain(
      await answer(43, v, handleElectLeaders, {
        electionType: 0,
        topicPartitions: [{ topic: "t", partitions: [0, 9] }, { topic: "nope", partitions: [0] }],
        timeoutMs: 1000,
      }),
    );
    assert.deepEqual(r.replicaElectionResults, [
      {
        topic: "t",
        partitionResult: [
          {
            partitionId: 0,
            errorCode: 84,
            errorMessage: "Leader election not needed for topic partition.",
          },
          { partitionId: 9, errorCode: 3, errorMessage: "The partition does not exist." },
        ],
      },
      {
        topic: "nope",
        partitionResult: [
          { partitionId: 0, errorCode: 3, errorMessage: "The partition does not exist." },
        ],
      },
    ]);
    const all = plain(
      await answer(43, v, handleElectLeaders, {
        electionType: 1,
        topicPartitions: null,
        timeoutMs: 1,
      }),
    );
    assert.deepEqual(all.replicaElectionResults, []);
  }
});

Deno.test("AlterPartitionReassignments: Kafka's validation order and messages", async () => {
  const r = plain(
    await answer(45, 0, handleAlterPartitionReassignments, {
      timeoutMs: 1000,
      topics: [
        {
          name: "t",
          partitions: [
            { partitionIndex: 0, replicas: [1] },
            { partitionIndex: 1, replicas: [1, 2] },
            { partitionIndex: 9, replicas: [1] },
            { partitionIndex: 1, replicas: [2] },
          ],
        },
        {
          name: "nope",
          partitions: [{ partitionIndex: 0, replicas: null }, { partitionIndex: 1, replicas: [] }],
        },
        {
          name: "u",
          partitions: [{ partitionIndex: 0, replicas: [1, 1] }, {
            partitionIndex: 1,
            replicas: [-1],
          }],
        },
      ],
    }),
  );
  assert.equal(r.errorMessage, "");
  const m = (p: number, errorCode: number, errorMessage: string | null) => ({
    partitionIndex: p,
    errorCode,
    errorMessage,
  });
  assert.deepEqual(r.responses, [
    {
      name: "t",
      partitions: [
        m(0, 0, null),
        m(
          1,
          39,
          "Replica assignment has brokers that are not alive. Replica list: ArrayBuffer(2), live broker list: Set(1)",
        ),
        m(9, 3, "The partition does not exist."),
      ],
    },
    {
      name: "nope",
      partitions: [
        m(0, 85, "No partition reassignment is in progress."),
        m(1, 39, "Empty replica list specified in partition reassignment."),
      ],
    },
    {
      name: "u",
      partitions: [
        m(0, 39, "Duplicate replica ids in partition reassignment replica list: ArrayBuffer(1, 1)"),
        m(1, 39, "Invalid broker id in replica list: ArrayBuffer(-1)"),
      ],
    },
  ]);
});

Deno.test("client quotas: stored as Apache stores them, described back, validated", async () => {
  const store = memoryStore();
  const alter = alterClientQuotasHandler(store);
  const op = (key: string, value: number, remove = false) => ({ key, value, remove });
  const r = plain(
    await answer(49, 1, alter, {
      validateOnly: false,
      entries: [
        {
          entity: [{ entityType: "client-id", entityName: "c1" }],
          ops: [op("producer_byte_rate", 1024)],
        },
        {
          entity: [{ entityType: "user", entityName: "u 1*" }],
          ops: [op("request_percentage", 50)],
        },
        {
          entity: [{ entityType: "user", entityName: "u1" }, {
            entityType: "client-id",
            entityName: null,
          }],
          ops: [op("consumer_byte_rate", 10)],
        },
        {
          entity: [{ entityType: "ip", entityName: "1.2.3.4" }],
          ops: [op("connection_creation_rate", 7)],
        },
        { entity: [{ entityType: "client-id", entityName: "c1" }], ops: [op("bogus", 1)] },
        { entity: [{ entityType: "user", entityName: "x" }], ops: [op("producer_byte_rate", 1.5)] },
        {
          entity: [{ entityType: "user", entityName: null }, {
            entityType: "client-id",
            entityName: "",
          }],
          ops: [op("producer_byte_rate", 1)],
        },
        {
          entity: [{ entityType: "ip", entityName: "notanip" }],
          ops: [op("connection_creation_rate", 1)],
        },
        { entity: [{ entityType: "bogus", entityName: "c1" }], ops: [op("producer_byte_rate", 1)] },
      ],
    }),
  );
  assert.deepEqual(
    r.entries.map((
      e: { errorCode: number; errorMessage: string | null },
    ) => [e.errorCode, e.errorMessage]),
    [
      [0, null],
      [0, null],
      [0, null],
      [0, null],
      [42, "Invalid configuration key bogus"],
      [42, "Configuration producer_byte_rate must be a LONG value"],
      [42, "Empty client-id not supported"],
      [42, "notanip is not a valid IP or resolvable host."],
      [42, "Unhandled client quota entity type: bogus"],
    ],
  );
  // Apache answers an entity's parts client-id first.
  assert.deepEqual(r.entries[2].entity, [
    { entityType: "client-id", entityName: null },
    { entityType: "user", entityName: "u1" },
  ]);
  assert.deepEqual(
    Object.fromEntries([...store.znodes].map(([k, v]) => [k, Object.fromEntries(v)])),
    {
      "clients/c1": { producer_byte_rate: "1024" },
      "users/u%201%2A": { request_percentage: "50.0" },
      "users/u1/clients/<default>": { consumer_byte_rate: "10" },
      "ips/1.2.3.4": { connection_creation_rate: "7" },
    },
  );
  const describe = describeClientQuotasHandler(store);
  const all = plain(await answer(48, 1, describe, { components: [], strict: false }));
  assert.equal(all.errorMessage, "");
  assert.deepEqual(all.entries.length, 4);
  const users = plain(
    await answer(48, 0, describe, {
      components: [{ entityType: "user", matchType: 2, match: null }],
      strict: true,
    }),
  );
  assert.deepEqual(users.entries, [
    {
      entity: [{ entityType: "user", entityName: "u 1*" }],
      values: [{ key: "request_percentage", value: 50 }],
    },
  ]);
  const pair = plain(
    await answer(48, 1, describe, {
      components: [
        { entityType: "user", matchType: 0, match: "u1" },
        { entityType: "client-id", matchType: 1, match: null },
      ],
      strict: true,
    }),
  );
  assert.deepEqual(pair.entries[0].entity, [
    { entityType: "user", entityName: "u1" },
    { entityType: "client-id", entityName: null },
  ]);
  const bad = plain(
    await answer(48, 1, describe, {
      components: [{ entityType: "bogus", matchType: 2, match: null }],
      strict: false,
    }),
  );
  assert.deepEqual([bad.errorCode, bad.errorMessage, bad.entries], [
    35,
    "Custom entity type 'bogus' not supported",
    null,
  ]);
  // Removing a key rewrites the entity without it.
  await answer(49, 0, alter, {
    validateOnly: false,
    entries: [{
      entity: [{ entityType: "client-id", entityName: "c1" }],
      ops: [op("producer_byte_rate", 0, true)],
    }],
  });
  assert.deepEqual(store.znodes.get("clients/c1"), new Map());
  assert.deepEqual([javaDouble(50), javaDouble(1.5), javaDouble(1e7), javaDouble(1e-4)], [
    "50.0",
    "1.5",
    "1.0E7",
    "1.0E-4",
  ]);
  assert.equal(sanitize("a b*+é"), "a%20b%2A%2B%C3%A9");
});

Deno.test("SCRAM credentials: Apache's stored form, validation and describe", async () => {
  // Apache 2.8.2 stored this for erin (salt [1], salted password [2], 8192 iterations).
  assert.equal(
    credentialString("SCRAM-SHA-512", new Uint8Array([1]), new Uint8Array([2]), 8192),
    "salt=AQ==,stored_key=k4xw4fT1QiXldGJoIvTyUiWuQsgyvgG8u9K6gZk/fEVvOPMq7dM2bMP0r+zInACYwnIGV1FFUAS2WWL/dttYJQ==," +
      "server_key=02nSD6+zyrkEC9OqljwtbtEkMF2Q4ABtI5a1SSoRnJlUdQRZnGgFatvDG12/VPD5mOu95M/P2F3G5wyC9jSqHw==," +
      "iterations=8192",
  );
  const store = memoryStore();
  store.znodes.set("users/erin", new Map([["producer_byte_rate", "5"]]));
  const alter = alterUserScramCredentialsHandler(store);
  const up = (name: string, mechanism: number, iterations: number) => ({
    name,
    mechanism,
    iterations,
    salt: new Uint8Array([1]),
    saltedPassword: new Uint8Array(32),
  });
  const r = plain(
    await answer(51, 0, alter, {
      deletions: [{ name: "", mechanism: 1 }, { name: "bob", mechanism: 0 }, {
        name: "carl",
        mechanism: 1,
      }],
      upsertions: [
        up("dave", 1, 100),
        up("erin", 2, 8192),
        up("fred", 1, 4096),
        up("gil", 1, 4096),
        up("gil", 1, 5000),
      ],
    }),
  );
  assert.deepEqual(
    r.results.map((
      x: { user: string; errorCode: number; errorMessage: string },
    ) => [x.user, x.errorCode, x.errorMessage]),
    [
      ["", 93, "Username must not be empty"],
      ["bob", 33, "Unknown SCRAM mechanism"],
      ["dave", 93, "Too few iterations"],
      ["gil", 92, "A user credential cannot be altered twice in the same request"],
      ["carl", 91, "Attempt to delete a user credential that does not exist"],
      ["erin", 0, ""],
      ["fred", 0, ""],
    ],
  );
  // A credential joins the user's quotas in the same znode.
  assert.deepEqual([...store.znodes.get("users/erin")!.keys()], [
    "producer_byte_rate",
    "SCRAM-SHA-512",
  ]);
  const describe = describeUserScramCredentialsHandler(store);
  const all = plain(await answer(50, 0, describe, { users: null }));
  assert.deepEqual(
    all.results.map((x: { user: string; credentialInfos: unknown }) => [x.user, x.credentialInfos]),
    [
      ["erin", [{ mechanism: 2, iterations: 8192 }]],
      ["fred", [{ mechanism: 1, iterations: 4096 }]],
    ],
  );
  const some = plain(
    await answer(50, 0, describe, { users: [{ name: "zed" }, { name: "fred" }, { name: "fred" }] }),
  );
  assert.deepEqual(
    some.results.map((x: { user: string; errorCode: number }) => [x.user, x.errorCode]),
    [
      ["zed", 91],
      ["fred", 92],
    ],
  );
});

Deno.test("AlterIsr: stale epochs refused; this broker's own epoch checked per partition", async () => {
  const h = alterIsrHandler(() => 61);
  const part = (partitionIndex: number, leaderEpoch: number, newIsr: number[]) => ({
    partitionIndex,
    leaderEpoch,
    newIsr,
    partitionEpoch: 3,
  });
  for (const [brokerId, brokerEpoch] of [[1, 5], [2, 61], [1, -1]]) {
    assert.deepEqual(
      plain(
        await answer(56, 0, h, {
          brokerId,
          brokerEpoch,
          topics: [{ topicName: "t", partitions: [part(0, 0, [1])] }],
        }),
      ),
      { throttleTimeMs: 0, errorCode: 77, topics: [] },
    );
  }
  const r = plain(
    await answer(56, 0, h, {
      brokerId: 1,
      brokerEpoch: 61,
      topics: [{ topicName: "t", partitions: [part(0, 0, [1]), part(1, 0, []), part(9, 0, [1])] }],
    }),
  );
  assert.deepEqual(
    r.topics[0].partitions.map((p: { errorCode: number; isr: number[] }) => [p.errorCode, p.isr]),
    [
      [0, [1]],
      [95, []],
      [3, []],
    ],
  );
});

Deno.test("UpdateFeatures: no feature is supported by a 2.8 broker", async () => {
  const r = plain(
    await answer(57, 0, handleUpdateFeatures, {
      timeoutMs: 1,
      featureUpdates: [
        { feature: "", maxVersionLevel: 1, allowDowngrade: false },
        { feature: "x", maxVersionLevel: 0, allowDowngrade: false },
        { feature: "y", maxVersionLevel: 0, allowDowngrade: true },
        { feature: "z", maxVersionLevel: 2, allowDowngrade: false },
      ],
    }),
  );
  assert.deepEqual(
    r.results.map((
      x: { errorCode: number; errorMessage: string },
    ) => [x.errorCode, x.errorMessage]),
    [
      [42, "Feature name can not be empty."],
      [
        42,
        "Can not provide maxVersionLevel: 0 less than 1 without setting the allowDowngrade flag to true in the request.",
      ],
      [42, "Can not delete non-existing finalized feature."],
      [
        42,
        "Could not apply finalized feature update because the provided feature is not supported.",
      ],
    ],
  );
});

Deno.test("DescribeProducers: a partition's producers from its producer state", async () => {
  const h = describeProducersHandler({
    producersOf: (t, p) =>
      t !== "t" || p > 1 ? { errorCode: 3 } : p === 1 ? [] : [{
        producerId: 7,
        producerEpoch: 2,
        coordinatorEpoch: -1,
        lastTimestamp: 1234,
        currentTxnFirstOffset: -1,
        batches: [
          { lastSeq: 4, lastOffset: 4, offsetDelta: 4, timestamp: 1000 },
          { lastSeq: 9, lastOffset: 9, offsetDelta: 4, timestamp: 1234 },
        ],
      }],
  });
  const r = plain(
    await answer(61, 0, h, {
      topics: [{ name: "t", partitionIndexes: [0, 1, 7] }, { name: "x", partitionIndexes: [0] }],
    }),
  );
  assert.deepEqual(r.topics, [
    {
      name: "t",
      partitions: [
        {
          partitionIndex: 0,
          errorCode: 0,
          errorMessage: null,
          activeProducers: [{
            producerId: 7,
            producerEpoch: 2,
            lastSequence: 9,
            lastTimestamp: 1234,
            coordinatorEpoch: -1,
            currentTxnStartOffset: -1,
          }],
        },
        { partitionIndex: 1, errorCode: 0, errorMessage: null, activeProducers: [] },
        { partitionIndex: 7, errorCode: 3, errorMessage: null, activeProducers: [] },
      ],
    },
    {
      name: "x",
      partitions: [{ partitionIndex: 0, errorCode: 3, errorMessage: null, activeProducers: [] }],
    },
  ]);
});
