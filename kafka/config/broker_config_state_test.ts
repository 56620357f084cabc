import assert from "node:assert/strict";
import { BrokerConfigState, DEFAULT_BROKER_ENTITY } from "./broker_config_state.ts";
import { parseServerProperties } from "./server_properties.ts";
import { effectiveTopicConfig } from "./describe_configs.ts";

const config = parseServerProperties(
  "broker.id=3\nzookeeper.connect=z:2181\nlog.retention.hours=168\nmy.own.key=x\n",
  "server.properties",
).config;

Deno.test("broker config state: per-broker over cluster default over static", () => {
  const s = new BrokerConfigState(config);
  assert.equal(s.rebuilt, false);
  assert.equal(s.effective, config);
  assert.equal(config.originals.get("my.own.key"), "x");
  assert.equal(s.update("7", new Map([["message.max.bytes", "1"]])), false);
  assert.equal(s.update(DEFAULT_BROKER_ENTITY, new Map([["message.max.bytes", "2000000"]])), true);
  assert.equal(s.update("3", new Map([["message.max.bytes", "3000000"]])), true);
  assert.equal(s.effective.values.get("message.max.bytes"), 3_000_000);
  assert.equal(s.rebuilt, true);
  // The same set again changes nothing.
  assert.equal(s.update("3", new Map([["message.max.bytes", "3000000"]])), false);
  assert.equal(s.update("3", new Map()), true);
  assert.equal(s.effective.values.get("message.max.bytes"), 2_000_000);
  assert.equal(s.update(DEFAULT_BROKER_ENTITY, new Map([["log.retention.ms", "1000"]])), true);
  assert.equal(s.effective.logRetentionMs, 1000);
  assert.equal(s.staticConfig.logRetentionMs, 604_800_000);
  assert.deepEqual([...s.effectiveOriginals().keys()].slice(-1), ["log.retention.ms"]);
});

Deno.test("broker config state: a topic's effective config follows dynamic broker defaults", () => {
  const s = new BrokerConfigState(config);
  const topic = new Map([["segment.bytes", "1048576"]]);
  assert.equal(effectiveTopicConfig(s, topic).get("retention.ms"), "604800000");
  assert.equal(effectiveTopicConfig(s, topic).get("segment.bytes"), "1048576");
  s.update(DEFAULT_BROKER_ENTITY, new Map([["log.retention.ms", "1000"]]));
  assert.equal(effectiveTopicConfig(s, topic).get("retention.ms"), "1000");
  assert.equal(effectiveTopicConfig(s, new Map([["retention.ms", "5"]])).get("retention.ms"), "5");
});
