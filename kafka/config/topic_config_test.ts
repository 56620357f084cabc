/**
 * A bad `--config` is refused as Kafka 2.8.2 refuses it: the messages are what Apache's
 * kafka-topics.sh printed here (`Error while executing topic command : …`).
 */
import assert from "node:assert/strict";
import { TOPIC_CONFIGS, TopicConfigError, validateTopicConfig } from "./topic_config.ts";

Deno.test("topic configs: the 26 names DescribeConfigs lists for a topic", () => {
  assert.equal(TOPIC_CONFIGS.size, 26);
});

Deno.test("topic configs: Kafka's messages for unknown names and bad values", () => {
  const refuses = (name: string, value: string, message: string) =>
    assert.throws(() => validateTopicConfig(name, value), (e: Error) => {
      assert.ok(e instanceof TopicConfigError);
      assert.equal(e.message, message);
      return true;
    });
  // Each as Apache 2.8.2's kafka-topics.sh printed it for the same --config.
  refuses(
    "compression.type",
    "brotli",
    "Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer",
  );
  refuses(
    "retention.ms",
    "-2",
    "Invalid value -2 for configuration retention.ms: Value must be at least -1",
  );
  refuses("bogus.key", "1", "Unknown topic config name: bogus.key");
  refuses(
    "retention.ms",
    "abc",
    "Invalid value abc for configuration retention.ms: Not a number of type LONG",
  );
  refuses(
    "segment.ms",
    "0",
    "Invalid value 0 for configuration segment.ms: Value must be at least 1",
  );
  refuses(
    "preallocate",
    "yes",
    "Invalid value yes for configuration preallocate: Expected value to be either true or false",
  );
  refuses(
    "cleanup.policy",
    "compact,forever",
    "Invalid value forever for configuration cleanup.policy: String must be one of: compact, delete",
  );
  refuses(
    "min.cleanable.dirty.ratio",
    "1.5",
    "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1",
  );
  refuses(
    "max.message.bytes",
    "3000000000",
    "Invalid value 3000000000 for configuration max.message.bytes: Not a number of type INT",
  );
  for (
    const [k, v] of [
      ["retention.ms", "-1"],
      ["cleanup.policy", "compact,delete"],
      [
        "compression.type",
        "zstd",
      ],
      ["message.timestamp.type", "LogAppendTime"],
      ["preallocate", "TRUE"],
    ]
  ) validateTopicConfig(k, v);
});
