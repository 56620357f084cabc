/** Topic defaults follow the broker's keys (Kafka 2.8's LogConfig synonyms). */
import assert from "node:assert/strict";
import { parseServerProperties } from "./server_properties.ts";
import { TOPIC_CONFIGS } from "./topic_config.ts";
import { topicDefaults } from "./topic_defaults.ts";

const defaults = (text: string) =>
  topicDefaults(
    parseServerProperties(`zookeeper.connect=h:1\n${text}`, "server.properties").config,
  );

Deno.test("topic defaults: every topic config, from a broker with only defaults", () => {
  const d = defaults("");
  assert.equal(d.size, TOPIC_CONFIGS.size);
  // Kafka 2.8.2's topic defaults (its broker defaults through the synonyms).
  assert.equal(d.get("retention.ms"), "604800000");
  assert.equal(d.get("segment.ms"), "604800000");
  assert.equal(d.get("segment.jitter.ms"), "0");
  assert.equal(d.get("segment.bytes"), "1073741824");
  assert.equal(d.get("segment.index.bytes"), "10485760");
  assert.equal(d.get("cleanup.policy"), "delete");
  assert.equal(d.get("max.message.bytes"), "1048588");
  assert.equal(d.get("flush.messages"), "9223372036854775807");
  assert.equal(d.get("flush.ms"), "9223372036854775807");
  assert.equal(d.get("retention.bytes"), "-1");
  assert.equal(d.get("message.format.version"), "2.8-IV1");
  assert.equal(d.get("min.cleanable.dirty.ratio"), "0.5");
  assert.equal(d.get("leader.replication.throttled.replicas"), "");
});

Deno.test("topic defaults: broker overrides flow through", () => {
  const d = defaults(
    "log.retention.minutes=5\nlog.roll.hours=2\nlog.segment.bytes=1024\n" +
      "log.cleanup.policy=compact, delete\nlog.flush.interval.ms=10\ncompression.type=lz4\n",
  );
  assert.equal(d.get("retention.ms"), "300000");
  assert.equal(d.get("segment.ms"), "7200000");
  assert.equal(d.get("segment.bytes"), "1024");
  assert.equal(d.get("cleanup.policy"), "compact,delete");
  assert.equal(d.get("flush.ms"), "10");
  assert.equal(d.get("compression.type"), "lz4");
});
