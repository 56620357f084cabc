import assert from "node:assert/strict";
import { javaDoubleString, KafkaConfigException, parseConfigValue } from "./config_value.ts";

Deno.test("config value: canonical text as ConfigDef.convertToString prints it", () => {
  assert.equal(parseConfigValue("segment.bytes", "INT", " 0016 ", { atLeast: 14 }), "16");
  assert.equal(
    parseConfigValue("retention.ms", "LONG", "+9223372036854775807"),
    "9223372036854775807",
  );
  assert.equal(parseConfigValue("cleanup.policy", "LIST", "compact , delete"), "compact,delete");
  assert.equal(parseConfigValue("x", "LIST", ",0:0"), ",0:0");
  assert.equal(parseConfigValue("x", "LIST", "  "), "");
  assert.equal(parseConfigValue("preallocate", "BOOLEAN", "TRUE"), "true");
  assert.equal(parseConfigValue("min.cleanable.dirty.ratio", "DOUBLE", "0.50"), "0.5");
  assert.equal(parseConfigValue("r", "DOUBLE", "1"), "1.0");
  assert.equal(javaDoubleString(1e7), "1.0E7");
  assert.equal(javaDoubleString(1.5e-4), "1.5E-4");
  assert.equal(javaDoubleString(123.25), "123.25");
});

Deno.test("config value: Kafka's messages for a refused value", () => {
  const refused = (f: () => unknown, message: string) =>
    assert.throws(f, (e) => e instanceof KafkaConfigException && e.message === message);
  refused(
    () => parseConfigValue("log.cleaner.threads", "INT", "abc"),
    "Invalid value abc for configuration log.cleaner.threads: Not a number of type INT",
  );
  refused(
    () => parseConfigValue("n", "INT", "2147483648"),
    "Invalid value 2147483648 for configuration n: Not a number of type INT",
  );
  refused(
    () => parseConfigValue("segment.bytes", "INT", "010", { atLeast: 14 }),
    "Invalid value 10 for configuration segment.bytes: Value must be at least 14",
  );
  refused(
    () => parseConfigValue("r", "DOUBLE", "2", { atLeast: 0, atMost: 1 }),
    "Invalid value 2.0 for configuration r: Value must be no more than 1",
  );
  refused(
    () => parseConfigValue("p", "LIST", "compact,x", { oneOf: ["compact", "delete"] }),
    "Invalid value x for configuration p: String must be one of: compact, delete",
  );
  refused(
    () => parseConfigValue("b", "BOOLEAN", "yes"),
    "Invalid value yes for configuration b: Expected value to be either true or false",
  );
});
