/**
 * The BROKER_LOGGER steps (log4j levels through the config APIs) recorded against Apache Kafka
 * 2.8.2 by record_configs.ts (`loggers`) and replayed against herd's handlers by
 * broker_logger_test.ts, in order: each may change what the next sees. The broker is id 0 and
 * topic `t` exists. Loggers named here exist on both brokers (`root`, `kafka`,
 * `kafka.server.KafkaServer`, `kafka.log.LogManager`) or on neither (`no.such.Logger`).
 *
 * @module
 */
import type { ConfigStep } from "./config_steps.ts";

const TOPIC = 2;
const BROKER = 4;
const LOGGER = 8;
const [SET, DELETE, APPEND, SUBTRACT] = [0, 1, 2, 3];

const describe = (
  name: string,
  version: number,
  resources: [number, string, string[] | null][],
  includeSynonyms = true,
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
    includeDocumentation: false,
  },
});

type Op = [string, number, string | null];
const incremental = (
  name: string,
  resources: [number, string, Op[]][],
  validateOnly = false,
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
});

const alter = (
  name: string,
  version: number,
  resources: [number, string, [string, string][]][],
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
    validateOnly: false,
  },
});

const SERVER = "kafka.server.KafkaServer";
const LOG_MANAGER = "kafka.log.LogManager";
/** The loggers whose levels the steps look at. */
const WATCHED = ["root", "kafka", SERVER, LOG_MANAGER, "no.such.Logger"];

/** The sequence. */
export const LOGGER_STEPS: ConfigStep[] = [
  // kafka-configs --entity-type broker-loggers --entity-name 0 --describe (v4, synonyms)
  describe("loggers all v4", 4, [[LOGGER, "0", null]]),
  describe("loggers all v4 no synonyms", 4, [[LOGGER, "0", null]], false),
  describe("loggers all v0", 0, [[LOGGER, "0", null]]),
  describe("loggers all v1", 1, [[LOGGER, "0", null]]),
  describe("loggers keys", 4, [[LOGGER, "0", WATCHED]]),
  describe("loggers keys v0", 0, [[LOGGER, "0", WATCHED]]),
  describe("loggers empty name", 4, [[LOGGER, "", null]]),
  describe("loggers other broker", 4, [[LOGGER, "1", null]]),
  describe("loggers not an id", 4, [[LOGGER, "x", null]]),
  describe("loggers +0", 4, [[LOGGER, "+0", [SERVER]]]),
  describe("loggers and a topic", 4, [[TOPIC, "t", ["retention.ms"]], [LOGGER, "1", null]]),
  // BROKER's own errors, each alone (config_steps.ts has them only next to an unknown type).
  describe("broker other id alone", 4, [[BROKER, "1", null]]),
  describe("broker not an id alone", 4, [[BROKER, "x", null]]),
  describe("unknown type with loggers", 4, [[LOGGER, "0", null], [99, "t", null]]),
  // kafka-configs --alter --add-config kafka.server.KafkaServer=DEBUG
  incremental("set DEBUG", [[LOGGER, "0", [[SERVER, SET, "DEBUG"]]]]),
  describe("after set DEBUG", 4, [[LOGGER, "0", WATCHED]]),
  incremental("set TRACE and FATAL", [[LOGGER, "0", [
    [SERVER, SET, "TRACE"],
    [LOG_MANAGER, SET, "FATAL"],
  ]]]),
  describe("after TRACE and FATAL", 4, [[LOGGER, "0", WATCHED]]),
  incremental("set parent WARN", [[LOGGER, "0", [["kafka", SET, "WARN"]]]]),
  describe("after parent WARN", 4, [[LOGGER, "0", WATCHED]]),
  // --delete-config: the logger inherits again (here from `kafka`, at WARN).
  incremental("delete", [[LOGGER, "0", [[SERVER, DELETE, null]]]]),
  describe("after delete", 4, [[LOGGER, "0", WATCHED]]),
  incremental("delete again", [[LOGGER, "0", [[SERVER, DELETE, null]]]]),
  incremental("delete parent", [[LOGGER, "0", [["kafka", DELETE, null]]]]),
  describe("after delete parent", 4, [[LOGGER, "0", WATCHED]]),
  incremental("set root ERROR", [[LOGGER, "0", [["root", SET, "ERROR"]]]]),
  describe("after root ERROR", 4, [[LOGGER, "0", WATCHED]]),
  incremental("set root back", [[LOGGER, "0", [["root", SET, "INFO"]]]]),
  incremental("delete root", [[LOGGER, "0", [["root", DELETE, null]]]]),
  incremental("lower-case level", [[LOGGER, "0", [[SERVER, SET, "debug"]]]]),
  incremental("level OFF", [[LOGGER, "0", [[SERVER, SET, "OFF"]]]]),
  incremental("level empty", [[LOGGER, "0", [[SERVER, SET, ""]]]]),
  incremental("unknown logger", [[LOGGER, "0", [["no.such.Logger", SET, "DEBUG"]]]]),
  incremental("delete unknown logger", [[LOGGER, "0", [["no.such.Logger", DELETE, null]]]]),
  incremental("append", [[LOGGER, "0", [[SERVER, APPEND, "DEBUG"]]]]),
  incremental("subtract", [[LOGGER, "0", [[SERVER, SUBTRACT, "DEBUG"]]]]),
  incremental("bad op", [[LOGGER, "0", [[SERVER, 9, "DEBUG"]]]]),
  incremental("null value", [[LOGGER, "0", [[SERVER, SET, null]]]]),
  incremental("duplicate", [[LOGGER, "0", [[SERVER, SET, "DEBUG"], [SERVER, DELETE, null]]]]),
  // Every op is checked before any applies.
  incremental("good then bad", [[LOGGER, "0", [
    [LOG_MANAGER, SET, "DEBUG"],
    [SERVER, SET, "LOUD"],
  ]]]),
  incremental("validate only", [[LOGGER, "0", [[LOG_MANAGER, SET, "ERROR"]]]], true),
  describe("after bad and validate only", 4, [[LOGGER, "0", WATCHED]]),
  incremental("other broker", [[LOGGER, "1", [[SERVER, SET, "DEBUG"]]]]),
  incremental("not an id", [[LOGGER, "x", [[SERVER, SET, "DEBUG"]]]]),
  incremental("empty name", [[LOGGER, "", [[LOG_MANAGER, SET, "WARN"]]]]),
  describe("after empty name", 4, [[LOGGER, "0", WATCHED]]),
  incremental("v0", [[LOGGER, "0", [[LOG_MANAGER, DELETE, null]]]], false, 0),
  incremental("with a topic", [
    [TOPIC, "t", [["retention.ms", SET, "5000"]]],
    [LOGGER, "0", [[SERVER, SET, "INFO"]]],
  ]),
  describe("at the end", 4, [[LOGGER, "0", WATCHED]]),
  // The legacy AlterConfigs refuses BROKER_LOGGER for the whole request.
  alter("alter loggers", 1, [[LOGGER, "0", [[SERVER, "DEBUG"]]]]),
  alter("alter loggers v0 with a topic", 0, [
    [TOPIC, "t", [["retention.ms", "6000"]]],
    [LOGGER, "0", [[SERVER, "DEBUG"]]],
  ]),
  describe("after alter", 4, [[LOGGER, "0", [SERVER]], [TOPIC, "t", ["retention.ms"]]]),
];
