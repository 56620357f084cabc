import assert from "node:assert/strict";
import { kafkaLayout, Logger } from "../../internal/log.ts";
import { scala212HashMapOrder } from "../controller/_scala_map_order.ts";
import { BROKER_LOGGER_NAMES, BrokerLoggers, isValidLogLevel } from "./broker_loggers.ts";

Deno.test("BrokerLoggers: root and herd's loggers with Apache's config levels, in a Scala map's order", () => {
  const loggers = new BrokerLoggers(new Logger("", "INFO", () => {}, kafkaLayout));
  const all = loggers.all();
  const names = all.map((l) => l.name);
  assert.deepEqual(names, scala212HashMapOrder(["root", ...BROKER_LOGGER_NAMES.map(([n]) => n)]));
  const level = new Map(all.map((l) => [l.name, l.level]));
  assert.equal(level.get("root"), "INFO");
  assert.equal(level.get("kafka.server.KafkaServer"), "INFO");
  assert.equal(level.get("kafka.controller.KafkaController"), "TRACE");
  loggers.set("root", "ERROR");
  assert.equal(loggers.levelOf("kafka.server.KafkaServer"), "INFO", "under `kafka`");
  assert.equal(loggers.levelOf("state.change.logger"), "INFO", "its own");
  loggers.set("kafka", null);
  assert.equal(loggers.levelOf("kafka.server.KafkaServer"), "ERROR");
  assert.equal(loggers.levelOf("root"), "ERROR");
  // Removing the root's level is refused before it gets here; set(root, null) changes nothing.
  loggers.set("root", null);
  assert.equal(loggers.levelOf("root"), "ERROR");
});

Deno.test("BrokerLoggers: a name the broker logs under later joins the list", () => {
  const log = new Logger("", "INFO", () => {}, kafkaLayout);
  const loggers = new BrokerLoggers(log);
  assert.equal(loggers.exists("kafka.server.KafkaApis"), false);
  log.warn("kafka.server.KafkaApis", "first line");
  assert.equal(loggers.exists("kafka.server.KafkaApis"), true);
  assert.ok(loggers.all().some((l) => l.name === "kafka.server.KafkaApis"));
  // A second BrokerLoggers over the same Logger shares its levels.
  loggers.set("kafka.server.KafkaApis", "DEBUG");
  assert.equal(new BrokerLoggers(log).levelOf("kafka.server.KafkaApis"), "DEBUG");
});

Deno.test("isValidLogLevel: Kafka's six, case-sensitive", () => {
  for (const l of ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]) {
    assert.ok(isValidLogLevel(l));
  }
  for (const l of ["debug", "OFF", "ALL", "", " INFO"]) assert.ok(!isValidLogLevel(l), l);
});
