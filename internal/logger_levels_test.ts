import assert from "node:assert/strict";
import { LoggerLevels } from "./logger_levels.ts";
import { kafkaLayout, Logger } from "./log.ts";

Deno.test("LoggerLevels: a logger inherits from its nearest existing ancestor with a level", () => {
  const levels = new LoggerLevels([["kafka", "INFO"], ["kafka.log.LogCleaner", "INFO"]]);
  assert.equal(levels.resolved("kafka.log.LogManager"), "INFO");
  levels.set("kafka", "WARN");
  assert.equal(levels.resolved("kafka.log.LogManager"), "WARN");
  assert.equal(levels.resolved("kafka.log.LogCleaner"), "INFO", "its own level wins");
  // `kafka.log` exists but has no level of its own: the search goes on to `kafka`.
  levels.set("kafka.log", null);
  assert.equal(levels.resolved("kafka.log.Log"), "WARN");
  levels.set("kafka.log", "DEBUG");
  assert.equal(levels.resolved("kafka.log.Log"), "DEBUG");
  levels.set("kafka", null);
  levels.set("kafka.log", null);
  assert.equal(levels.resolved("kafka.log.Log"), undefined, "the root's then");
  assert.equal(levels.resolved("state.change.logger"), undefined);
});

Deno.test("LoggerLevels: a name looked up becomes a logger, as log4j's getLogger makes one", () => {
  const levels = new LoggerLevels([["kafka", "INFO"]]);
  assert.equal(levels.has("kafka.server.KafkaApis"), false);
  assert.equal(levels.resolved("kafka.server.KafkaApis"), "INFO");
  assert.equal(levels.has("kafka.server.KafkaApis"), true);
  assert.equal(levels.has("kafka.server"), false, "ancestors are not made");
  assert.deepEqual([...levels.names()], ["kafka", "kafka.server.KafkaApis"]);
});

Deno.test("Logger: per-name levels over the root's, TRACE and FATAL included", () => {
  const lines: string[] = [];
  const log = new Logger("", "INFO", (l) => void lines.push(l), kafkaLayout);
  const seen = () => lines.splice(0).map((l) => l.replace(/^\[.*?\] /, ""));
  // Without levels, only the root's.
  log.log("DEBUG", "a.B", "no");
  log.info("a.B", "yes");
  assert.deepEqual(seen(), ["INFO yes (a.B)"]);
  log.levels = new LoggerLevels([["a", "FATAL"], ["a.C", "TRACE"]]);
  log.error("a.B", "no: a is FATAL");
  log.log("DEBUG", "a.C", "yes: a.C is TRACE");
  log.info("x.Y", "yes: root INFO");
  log.level = "ERROR";
  log.warn("x.Y", "no: root ERROR");
  log.levels.set("a", null);
  log.error("a.B", "yes: root ERROR");
  assert.deepEqual(seen(), [
    "DEBUG yes: a.C is TRACE (a.C)",
    "INFO yes: root INFO (x.Y)",
    "ERROR yes: root ERROR (a.B)",
  ]);
});
