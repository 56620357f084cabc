/**
 * The znode JSON byte for byte as kafka_2.12 brokers write it. The expected strings are Apache's
 * own output: the seed course's zkCli captures of a kafka_2.12-2.8.0 cluster (seed lines 3293-3462,
 * quoted in the project's zk-layout.md §1.2) and Apache Kafka 2.8.2 on this machine
 * (conformance/transcripts/kafka/kafka-znodes.yaml).
 */
import assert from "node:assert/strict";
import {
  decodeBroker,
  decodeClusterId,
  decodeConfigChange,
  decodeController,
  decodeControllerEpoch,
  decodePartitionState,
  decodeProducerIdBlock,
  decodeTopic,
  encodeBroker,
  encodeClusterId,
  encodeConfigChange,
  encodeController,
  encodePartitionState,
  encodeProducerIdBlock,
  encodeTopic,
  FEATURE_ZNODE,
  ZnodeFormatError,
} from "./znodes.ts";

const SEED_BROKER =
  `{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://192.168.8.14:9092"],"jmx_port":-1,"features":{},"host":"192.168.8.14","timestamp":"1628738497907","port":9092,"version":5}`;
const SEED_TOPIC =
  `{"removing_replicas":{},"partitions":{"0":[3,1]},"topic_id":"Gpj4bHJ_T00RSMF0S6YPVg","adding_replicas":{},"version":3}`;
const SEED_STATE = `{"controller_epoch":7,"leader":3,"version":1,"leader_epoch":4,"isr":[3,1]}`;
const SEED_CONTROLLER = `{"version":1,"brokerid":2,"timestamp":"1628741540481"}`;

Deno.test("znodes: the seed's broker, topic, state and controller, byte for byte, both ways", () => {
  const broker = decodeBroker("/brokers/ids/3", SEED_BROKER);
  assert.deepEqual(broker, {
    endpoints: ["PLAINTEXT://192.168.8.14:9092"],
    securityProtocolMap: [["PLAINTEXT", "PLAINTEXT"]],
    jmxPort: -1,
    timestamp: 1628738497907,
  });
  assert.equal(encodeBroker(broker), SEED_BROKER);
  const topic = decodeTopic("/brokers/topics/kafkatest", SEED_TOPIC);
  assert.deepEqual([...topic.partitions], [[0, [3, 1]]]);
  assert.equal(topic.topicId, "Gpj4bHJ_T00RSMF0S6YPVg");
  assert.equal(encodeTopic(topic), SEED_TOPIC);
  const state = decodePartitionState("/brokers/topics/kafkatest/partitions/0/state", SEED_STATE);
  assert.deepEqual(state, { controllerEpoch: 7, leader: 3, leaderEpoch: 4, isr: [3, 1] });
  assert.equal(encodePartitionState(state), SEED_STATE);
  assert.equal(decodeController("/controller", SEED_CONTROLLER), 2);
  assert.equal(encodeController(2, 1628741540481), SEED_CONTROLLER);
});

Deno.test("znodes: what Apache Kafka 2.8.2 wrote here for one broker and a topic", () => {
  // kafka-znodes.yaml: the topic made by kafka-topics --zookeeper, once the controller added its id.
  assert.equal(
    encodeTopic({ partitions: new Map([[0, [1]]]), topicId: "AAAAAAAAAAAAAAAAAAAAAA" }),
    `{"removing_replicas":{},"partitions":{"0":[1]},"topic_id":"AAAAAAAAAAAAAAAAAAAAAA","adding_replicas":{},"version":3}`,
  );
  // As kafka-topics --zookeeper writes it, before the controller: no topic_id.
  assert.equal(
    encodeTopic({ partitions: new Map([[0, [1]]]) }),
    `{"removing_replicas":{},"partitions":{"0":[1]},"adding_replicas":{},"version":3}`,
  );
  assert.equal(
    encodePartitionState({ controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1] }),
    `{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}`,
  );
  assert.equal(
    encodeBroker({
      endpoints: ["PLAINTEXT://127.0.0.1:9092"],
      securityProtocolMap: [["PLAINTEXT", "PLAINTEXT"]],
      jmxPort: -1,
      timestamp: 1765000000000,
    }),
    `{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://127.0.0.1:9092"],"jmx_port":-1,"features":{},"host":"127.0.0.1","timestamp":"1765000000000","port":9092,"version":5}`,
  );
  // apache-2.8.2.md: after the first idempotent producer.
  const block = `{"version":1,"broker":1,"block_start":"0","block_end":"999"}`;
  assert.deepEqual(decodeProducerIdBlock("/latest_producer_id_block", block), {
    brokerId: 1,
    start: 0n,
    end: 999n,
  });
  assert.equal(encodeProducerIdBlock({ brokerId: 1, start: 0n, end: 999n }), block);
  assert.equal(encodeConfigChange("topics", "T"), `{"version":2,"entity_path":"topics/T"}`);
  assert.equal(FEATURE_ZNODE, `{"features":{},"status":1,"version":1}`);
});

Deno.test("znodes: several partitions in kafka_2.12's order; a rack; no PLAINTEXT listener", () => {
  // The seed's kafkatest: 3 partitions, Replicas 3,1 | 1,2 | 2,3 (zk-layout.md §1.3: "2","1","0").
  const t = { partitions: new Map([[0, [3, 1]], [1, [1, 2]], [2, [2, 3]]]) };
  const json = encodeTopic(t);
  assert.equal(
    json,
    `{"removing_replicas":{},"partitions":{"2":[2,3],"1":[1,2],"0":[3,1]},"adding_replicas":{},"version":3}`,
  );
  assert.deepEqual([...decodeTopic("/t", json).partitions.keys()], [0, 1, 2]);
  const ssl = encodeBroker({
    endpoints: ["SSL://h:9093"],
    securityProtocolMap: [["SSL", "SSL"]],
    jmxPort: -1,
    timestamp: 5,
    rack: "r1",
  });
  assert.equal(
    ssl,
    `{"listener_security_protocol_map":{"SSL":"SSL"},"endpoints":["SSL://h:9093"],"rack":"r1","jmx_port":-1,"features":{},"host":null,"timestamp":"5","port":-1,"version":5}`,
  );
  assert.equal(decodeBroker("/b", ssl).rack, "r1");
});

Deno.test("znodes: older and odd forms read as Kafka reads them; garbage is named", () => {
  assert.deepEqual(
    decodeConfigChange("/c", `{"version":1,"entity_type":"topics","entity_name":"t"}`),
    {
      entityType: "topics",
      entity: "t",
    },
  );
  assert.deepEqual(decodeConfigChange("/c", `{"version":2,"entity_path":"users/u/clients/c"}`), {
    entityType: "users",
    entity: "u/clients/c",
  });
  assert.equal(decodeControllerEpoch("/controller_epoch", "7"), 7);
  assert.equal(decodeClusterId("/cluster/id", encodeClusterId("abc")), "abc");
  assert.equal(encodeClusterId("abc"), `{"version":"1","id":"abc"}`);
  // A topic znode without adding/removing replicas (older writers) reads as empty ones.
  const old = decodeTopic("/t", `{"version":1,"partitions":{"0":[1]}}`);
  assert.equal(old.addingReplicas?.size, 0);
  assert.equal(old.topicId, undefined);
  assert.throws(() => decodeTopic("/brokers/topics/x", "{"), ZnodeFormatError);
  assert.throws(
    () => decodePartitionState("/s", `{"leader":"one"}`),
    /\/s: "controller_epoch" is not an integer/,
  );
  assert.throws(() => decodeControllerEpoch("/controller_epoch", "x"), /not a number/);
});
