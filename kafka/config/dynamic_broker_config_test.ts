import assert from "node:assert/strict";
import {
  BROKER_KEYS,
  brokerConfigSynonyms,
  isDynamicBrokerConfig,
  keepValidDynamicConfigs,
  validateDynamicBrokerConfigs,
} from "./dynamic_broker_config.ts";
import { KafkaConfigException } from "./config_value.ts";

Deno.test("dynamic broker configs: 2.8.2's keys and update modes", () => {
  // Dumped from KafkaConfig 2.8.2: 233 keys, 15 internal, 76 dynamic.
  assert.equal(BROKER_KEYS.size, 233);
  assert.equal([...BROKER_KEYS.values()].filter((k) => k.internal).length, 15);
  assert.equal([...BROKER_KEYS.values()].filter((k) => k.mode !== null).length, 76);
  assert.equal(BROKER_KEYS.get("log.cleaner.threads")!.mode, "cluster-wide");
  assert.equal(BROKER_KEYS.get("listeners")!.mode, "per-broker");
  assert.equal(isDynamicBrokerConfig("log.dirs"), false);
  assert.equal(isDynamicBrokerConfig("message.max.bytes"), true);
});

Deno.test("dynamic broker configs: synonyms, most specific first", () => {
  assert.deepEqual(brokerConfigSynonyms("log.retention.hours"), [
    "log.retention.ms",
    "log.retention.minutes",
    "log.retention.hours",
  ]);
  assert.deepEqual(brokerConfigSynonyms("log.flush.interval.ms"), [
    "log.flush.interval.ms",
    "log.flush.scheduler.interval.ms",
  ]);
  assert.deepEqual(brokerConfigSynonyms("listener.name.internal.ssl.keystore.location"), [
    "listener.name.internal.ssl.keystore.location",
    "ssl.keystore.location",
  ]);
  assert.deepEqual(brokerConfigSynonyms("listener.name.sasl_ssl.plain.sasl.jaas.config"), [
    "listener.name.sasl_ssl.plain.sasl.jaas.config",
    "sasl.jaas.config",
  ]);
  assert.deepEqual(brokerConfigSynonyms("num.io.threads"), ["num.io.threads"]);
});

Deno.test("dynamic broker configs: Kafka's refusals, in its order", () => {
  const refused = (props: [string, string][], perBroker: boolean, message: string) =>
    assert.throws(
      () => validateDynamicBrokerConfigs(new Map(props), perBroker),
      (e) => e instanceof KafkaConfigException && e.message === message,
    );
  // Recorded from Apache 2.8.2 (testdata of kafka/handlers): the Set lists keys in the order
  // java.util.Properties hands them over.
  refused(
    [["log.dirs", "/x"], ["zookeeper.connect", "y"]],
    true,
    "Cannot update these configs dynamically: Set(zookeeper.connect, log.dirs)",
  );
  refused(
    [["ssl.keystore.location", "/k"]],
    true,
    "These security configs can be dynamically updated only per-listener using the listener prefix: Set(ssl.keystore.location)",
  );
  refused(
    [["listeners", "PLAINTEXT://127.0.0.1:1"]],
    false,
    "Cannot update these configs at default cluster level, broker id must be specified: Set(listeners)",
  );
  refused(
    [["log.cleaner.threads", "abc"]],
    true,
    "Invalid value abc for configuration log.cleaner.threads: Not a number of type INT",
  );
  refused(
    [["leader.replication.throttled.rate", "-1"]],
    true,
    "Invalid value -1 for configuration leader.replication.throttled.rate: Value must be at least 0",
  );
  // Unknown keys pass, listener overrides of cluster-level configs pass at the default.
  validateDynamicBrokerConfigs(new Map([["no.such.config", "1"]]), false);
  validateDynamicBrokerConfigs(new Map([["listener.name.a.max.connections", "5"]]), false);
  assert.deepEqual(
    keepValidDynamicConfigs(new Map([["broker.id", "3"], ["log.cleaner.threads", "2"]]), true),
    new Map([["log.cleaner.threads", "2"]]),
  );
});
