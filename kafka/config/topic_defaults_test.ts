/**
 * Topic defaults follow the broker's keys (Kafka 2.8's LogConfig synonyms). Expected values
 * recorded on this machine with Apache Kafka 2.8.2's classes:
 * `LogConfig.apply(LogConfig.extractLogConfigMap(KafkaConfig.fromProps(props)))`.values(),
 * lists written as DescribeConfigs writes them (comma-joined) instead of Java's `[a, b]`.
 */
import assert from "node:assert/strict";
import { parseServerProperties } from "./server_properties.ts";
import { TOPIC_CONFIGS } from "./topic_config.ts";
import { topicDefaults } from "./topic_defaults.ts";

const defaults = (text: string) =>
  topicDefaults(
    parseServerProperties(`zookeeper.connect=h:1\n${text}`, "server.properties").config,
  );

Deno.test("topic defaults: every topic config, from a broker with only defaults", () => {
  assert.deepEqual(
    Object.fromEntries([...defaults("")].sort(([a], [b]) => a < b ? -1 : 1)),
    {
      "cleanup.policy": "delete",
      "compression.type": "producer",
      "delete.retention.ms": "86400000",
      "file.delete.delay.ms": "60000",
      "flush.messages": "9223372036854775807",
      "flush.ms": "9223372036854775807",
      "follower.replication.throttled.replicas": "",
      "index.interval.bytes": "4096",
      "leader.replication.throttled.replicas": "",
      "max.compaction.lag.ms": "9223372036854775807",
      "max.message.bytes": "1048588",
      "message.downconversion.enable": "true",
      "message.format.version": "2.8-IV1",
      "message.timestamp.difference.max.ms": "9223372036854775807",
      "message.timestamp.type": "CreateTime",
      "min.cleanable.dirty.ratio": "0.5",
      "min.compaction.lag.ms": "0",
      "min.insync.replicas": "1",
      "preallocate": "false",
      "retention.bytes": "-1",
      "retention.ms": "604800000",
      "segment.bytes": "1073741824",
      "segment.index.bytes": "10485760",
      "segment.jitter.ms": "0",
      "segment.ms": "604800000",
      "unclean.leader.election.enable": "false",
    },
  );
  assert.equal(defaults("").size, TOPIC_CONFIGS.size);
});

Deno.test("topic defaults: broker settings flow through, resolved as LogConfig", () => {
  const d = defaults(
    "log.retention.minutes=5\nlog.roll.hours=2\nlog.segment.bytes=1024\n" +
      "log.cleanup.policy=compact, delete\nlog.flush.interval.ms=10\ncompression.type=lz4\n" +
      "log.message.format.version=2.1\nlog.roll.jitter.hours=1\n",
  );
  assert.equal(d.get("retention.ms"), "300000");
  assert.equal(d.get("segment.ms"), "7200000");
  assert.equal(d.get("segment.bytes"), "1024");
  assert.equal(d.get("cleanup.policy"), "compact,delete");
  assert.equal(d.get("flush.ms"), "10");
  assert.equal(d.get("compression.type"), "lz4");
  assert.equal(d.get("message.format.version"), "2.1-IV2");
  assert.equal(d.get("segment.jitter.ms"), "3600000");
  // flush.ms falls back to the scheduler interval (recorded: 77).
  assert.equal(defaults("log.flush.scheduler.interval.ms=77\n").get("flush.ms"), "77");
});
