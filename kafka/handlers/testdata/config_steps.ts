/**
 * The config API steps recorded against Apache Kafka 2.8.2 (record_configs.ts) and replayed
 * against herd's handlers, in order: each may change what the next one sees. Topic `t` exists,
 * `absent` does not; the broker is id 0.
 *
 * @module
 */

/** Wait until the broker applied a dynamic change to `key` (`broker` "" is the cluster default). */
export interface Settle {
  broker: string;
  key: string;
  present: boolean;
  value?: string;
}

/** One request of the sequence. */
export interface ConfigStep {
  name: string;
  apiKey: 32 | 33 | 44;
  version: number;
  request: unknown;
  settle?: Settle;
}

const TOPIC = 2;
const BROKER = 4;
const [SET, DELETE, APPEND, SUBTRACT] = [0, 1, 2, 3];

const describe = (
  name: string,
  version: number,
  resources: [number, string, string[] | null][],
  includeSynonyms = true,
  includeDocumentation = false,
): ConfigStep => ({
  name,
  apiKey: 32,
  version,
  request: {
    resources: resources.map(([resourceType, resourceName, configurationKeys]) => ({
      resourceType,
      resourceName,
      configurationKeys,
    })),
    includeSynonyms,
    includeDocumentation,
  },
});

type Op = [string, number, string | null];
const incremental = (
  name: string,
  resources: [number, string, Op[]][],
  validateOnly = false,
  settle?: Settle,
  version = 1,
): ConfigStep => ({
  name,
  apiKey: 44,
  version,
  request: {
    resources: resources.map(([resourceType, resourceName, ops]) => ({
      resourceType,
      resourceName,
      configs: ops.map(([name, configOperation, value]) => ({ name, configOperation, value })),
    })),
    validateOnly,
  },
  settle,
});

const alter = (
  name: string,
  version: number,
  resources: [number, string, [string, string | null][]][],
  validateOnly = false,
  settle?: Settle,
): ConfigStep => ({
  name,
  apiKey: 33,
  version,
  request: {
    resources: resources.map(([resourceType, resourceName, configs]) => ({
      resourceType,
      resourceName,
      configs: configs.map(([name, value]) => ({ name, value })),
    })),
    validateOnly,
  },
  settle,
});

/** The sequence. */
export const CONFIG_STEPS: ConfigStep[] = [
  // kafka-configs --describe --all (v4 with synonyms) and kafka-topics --describe (no synonyms)
  describe("topic all v4", 4, [[TOPIC, "t", null]]),
  describe("topic no synonyms v4", 4, [[TOPIC, "t", null]], false),
  describe("topic v0", 0, [[TOPIC, "t", null]]),
  describe("topic v1", 1, [[TOPIC, "t", null]]),
  describe("topic v2 no synonyms", 2, [[TOPIC, "t", null]], false),
  describe("topic v3", 3, [[TOPIC, "t", null]]),
  describe("topic keys", 4, [[TOPIC, "t", ["retention.ms", "cleanup.policy", "nope"]]]),
  describe("topic empty keys", 4, [[TOPIC, "t", []]]),
  describe("topic errors", 4, [
    [TOPIC, "absent", null],
    [TOPIC, "", null],
    [TOPIC, "bad/name", null],
    [TOPIC, "..", null],
    [TOPIC, "t", ["segment.bytes"]],
  ]),
  describe("broker all v4", 4, [[BROKER, "0", null]]),
  describe("broker v0", 0, [[BROKER, "0", ["log.retention.hours", "broker.id", "log.dirs"]]]),
  describe("broker v1 keys", 1, [[BROKER, "0", ["log.retention.hours", "log.retention.ms"]]]),
  describe("broker default", 4, [[BROKER, "", null]]),
  describe("broker errors", 4, [[BROKER, "1", null], [BROKER, "x", null], [99, "t", null]]),
  // kafka-configs --alter --add-config retention.ms=1000 / --delete-config
  incremental("topic set", [[TOPIC, "t", [["retention.ms", SET, "1000"]]]]),
  describe("topic after set", 4, [[TOPIC, "t", null]]),
  incremental("topic set two", [[TOPIC, "t", [
    ["cleanup.policy", SET, "compact"],
    ["max.message.bytes", SET, "2000"],
    ["segment.bytes", SET, "1048576"],
  ]]]),
  describe("topic after set two", 4, [[TOPIC, "t", null]]),
  describe("topic after set two, no synonyms", 4, [[TOPIC, "t", null]], false),
  describe("topic after set two v0", 0, [[TOPIC, "t", null]]),
  incremental("topic append", [[TOPIC, "t", [["cleanup.policy", APPEND, "delete"]]]]),
  describe("topic after append", 4, [[TOPIC, "t", ["cleanup.policy"]]]),
  incremental("topic subtract", [[TOPIC, "t", [["cleanup.policy", SUBTRACT, "compact"]]]]),
  describe("topic after subtract", 4, [[TOPIC, "t", ["cleanup.policy"]]]),
  incremental("topic append to default", [[TOPIC, "t", [[
    "leader.replication.throttled.replicas",
    APPEND,
    "0:0",
  ]]]]),
  incremental("topic append non-list", [[TOPIC, "t", [["retention.ms", APPEND, "5"]]]]),
  incremental("topic subtract non-list", [[TOPIC, "t", [["retention.ms", SUBTRACT, "5"]]]]),
  incremental("topic unknown key", [[TOPIC, "t", [["no.such.config", SET, "1"]]]]),
  incremental("topic append unknown key", [[TOPIC, "t", [["no.such.config", APPEND, "1"]]]]),
  incremental("topic bad value", [[TOPIC, "t", [["retention.ms", SET, "abc"]]]]),
  incremental("topic out of range", [[TOPIC, "t", [["segment.bytes", SET, "10"]]]]),
  incremental("topic bad enum", [[TOPIC, "t", [["compression.type", SET, "brotli"]]]]),
  incremental("topic absent", [[TOPIC, "absent", [["retention.ms", SET, "1"]]]]),
  incremental("topic null set", [[TOPIC, "t", [["retention.ms", SET, null]]]]),
  incremental("topic duplicate keys", [[TOPIC, "t", [
    ["retention.ms", SET, "1"],
    ["retention.ms", DELETE, null],
  ]]]),
  incremental("topic validate only", [[TOPIC, "t", [["retention.ms", SET, "77"]]]], true),
  incremental("topic delete absent key", [[TOPIC, "t", [["flush.ms", DELETE, null]]]]),
  incremental("topic delete", [[TOPIC, "t", [["retention.ms", DELETE, null]]]]),
  incremental("topic bad op", [[TOPIC, "t", [["retention.ms", 9, "1"]]]]),
  incremental("bad resource type", [[99, "t", [["retention.ms", SET, "1"]]]]),
  incremental("two resources", [
    [TOPIC, "absent", [["retention.ms", SET, "1"]]],
    [TOPIC, "t", [["retention.ms", SET, "3000"]]],
  ]),
  incremental("flexible v0", [[TOPIC, "t", [["retention.ms", SET, "4000"]]]], false, undefined, 0),
  describe("topic after errors", 4, [[TOPIC, "t", null]]),
  // AlterConfigs replaces the whole set.
  alter("alter topic", 1, [[TOPIC, "t", [["retention.ms", "2000"], ["flush.messages", "5"]]]]),
  describe("topic after alter", 4, [[TOPIC, "t", null]]),
  alter("alter topic null", 0, [[TOPIC, "t", [["retention.ms", null]]]]),
  alter("alter topic unknown", 2, [[TOPIC, "t", [["no.such.config", "1"]]]]),
  alter("alter topic bad", 2, [[TOPIC, "t", [["retention.ms", "-5"]]]]),
  alter("alter absent", 2, [[TOPIC, "absent", [["retention.ms", "1"]]]]),
  alter("alter validate only", 2, [[TOPIC, "t", [["retention.ms", "9"]]]], true),
  alter("alter bad type", 2, [[99, "t", []]]),
  alter("alter topic empty", 2, [[TOPIC, "t", []]]),
  describe("topic after empty alter", 4, [[TOPIC, "t", null]]),
  // Broker configs: read-only, per-broker, cluster-wide.
  incremental("broker read-only", [[BROKER, "0", [["broker.id", SET, "5"]]]]),
  incremental("broker read-only two", [[BROKER, "0", [
    ["log.dirs", SET, "/x"],
    ["zookeeper.connect", SET, "y"],
  ]]]),
  incremental("broker security without prefix", [[BROKER, "0", [[
    "ssl.keystore.location",
    SET,
    "/k",
  ]]]], true),
  incremental("broker per-broker at default", [[BROKER, "", [[
    "listeners",
    SET,
    "PLAINTEXT://127.0.0.1:1",
  ]]]], true),
  incremental("broker bad type", [[BROKER, "0", [["log.cleaner.threads", SET, "abc"]]]]),
  incremental("broker unknown key", [[BROKER, "0", [["no.such.config", SET, "1"]]]]),
  incremental("broker other id", [[BROKER, "1", [["log.cleaner.threads", SET, "2"]]]]),
  incremental("broker validate only", [[BROKER, "0", [["log.cleaner.threads", SET, "2"]]]], true),
  incremental(
    "broker per-broker set",
    [[BROKER, "0", [["log.cleaner.threads", SET, "2"]]]],
    false,
    { broker: "0", key: "log.cleaner.threads", present: true, value: "2" },
  ),
  incremental(
    "broker default set",
    [[BROKER, "", [["message.max.bytes", SET, "2000000"]]]],
    false,
    { broker: "", key: "message.max.bytes", present: true, value: "2000000" },
  ),
  incremental(
    "broker default retention",
    [[BROKER, "", [["log.retention.ms", SET, "3600000"]]]],
    false,
    { broker: "", key: "log.retention.ms", present: true, value: "3600000" },
  ),
  describe("broker after set", 4, [[BROKER, "0", null]]),
  describe("broker default after set", 4, [[BROKER, "", null]]),
  describe("broker default after set v1", 1, [[BROKER, "", null]]),
  describe("topic after broker set", 4, [[TOPIC, "t", null]]),
  incremental(
    "broker per-broker override of default",
    [[BROKER, "0", [["message.max.bytes", SET, "3000000"]]]],
    false,
    { broker: "0", key: "message.max.bytes", present: true, value: "3000000" },
  ),
  describe("broker keys after override", 4, [[BROKER, "0", ["message.max.bytes"]]]),
  describe("topic after override", 4, [[TOPIC, "t", ["max.message.bytes", "retention.ms"]]]),
  alter(
    "alter broker replaces",
    1,
    [[BROKER, "0", [["log.cleaner.threads", "3"]]]],
    false,
    { broker: "0", key: "message.max.bytes", present: false },
  ),
  describe("broker keys after alter", 4, [[BROKER, "0", [
    "message.max.bytes",
    "log.cleaner.threads",
  ]]]),
  incremental(
    "broker delete",
    [[BROKER, "0", [["log.cleaner.threads", DELETE, null]]]],
    false,
    { broker: "0", key: "log.cleaner.threads", present: false },
  ),
  incremental(
    "broker default delete",
    [[BROKER, "", [["message.max.bytes", DELETE, null], ["log.retention.ms", DELETE, null]]]],
    false,
    { broker: "", key: "log.retention.ms", present: false },
  ),
  describe("broker default after delete", 4, [[BROKER, "", null]]),
  describe("topic at the end", 4, [[TOPIC, "t", null]]),
];
