/**
 * The config entries DescribeConfigs answers, built as Kafka 2.8.2's ZkAdminManager builds them:
 * every topic config with its value, source and synonyms (topic override, then per-broker
 * dynamic, cluster-wide dynamic, server.properties, Kafka's default), every broker config, and
 * the cluster-wide dynamic set; in the order Kafka lists them (the iteration order of the Java
 * HashMap it collects them in).
 *
 * @module
 */
import { javaHashOrder, javaStringHash } from "../../internal/java_hash.ts";
import { scala212HashMapOrder } from "../controller/_scala_map_order.ts";
import type { KafkaConfigType } from "./apache_broker_keys.ts";
import { TOPIC_SYNONYMS } from "./broker_config_defs.ts";
import type { BrokerConfigState } from "./broker_config_state.ts";
import { parseConfigValue } from "./config_value.ts";
import {
  BROKER_KEYS,
  brokerConfigSynonyms,
  isDynamicBrokerConfig,
} from "./dynamic_broker_config.ts";
import { TOPIC_CONFIGS } from "./topic_config.ts";
import { topicDefaults } from "./topic_defaults.ts";

/** DescribeConfigsResponse.ConfigSource. */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;

/** DescribeConfigsResponse.ConfigType by ConfigDef.Type (UNKNOWN, 0, when Kafka has no type). */
const CONFIG_TYPE_IDS: Record<KafkaConfigType, number> = {
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
};

/** One synonym: a key that sets the config, its value, and where that value comes from. */
export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: number;
}

/** One entry of a DescribeConfigs result. */
export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
  isSensitive: boolean;
  /** Every synonym (the handler drops them unless the request asks). */
  synonyms: ConfigSynonym[];
  configType: number;
}

/**
 * The 26 topic configs in the order Apache 2.8.2 lists them (recorded: the iteration order of
 * the 64-bucket HashMap LogConfig's values end in, which no override changes).
 */
export const TOPIC_DESCRIBE_ORDER: readonly string[] = [
  "compression.type",
  "leader.replication.throttled.replicas",
  "min.insync.replicas",
  "message.downconversion.enable",
  "segment.jitter.ms",
  "cleanup.policy",
  "flush.ms",
  "follower.replication.throttled.replicas",
  "segment.bytes",
  "retention.ms",
  "flush.messages",
  "message.format.version",
  "max.compaction.lag.ms",
  "file.delete.delay.ms",
  "max.message.bytes",
  "min.compaction.lag.ms",
  "message.timestamp.type",
  "preallocate",
  "index.interval.bytes",
  "min.cleanable.dirty.ratio",
  "unclean.leader.election.enable",
  "retention.bytes",
  "delete.retention.ms",
  "segment.ms",
  "message.timestamp.difference.max.ms",
  "segment.index.bytes",
];

/** Kafka's defaults as text (staticDefaultConfigs: keys whose default is not null). */
function staticDefault(name: string): string | undefined {
  return BROKER_KEYS.get(name)?.default ?? undefined;
}

/**
 * ZkAdminManager.configSynonyms: each of `synonyms` found per-broker, then cluster-wide, then in
 * server.properties, then among Kafka's defaults; everything before the first entry for `name`
 * itself is dropped (so retention.ms shows nothing when only log.retention.hours is set).
 */
function configSynonyms(
  state: BrokerConfigState,
  name: string,
  synonyms: readonly string[],
  isSensitive: boolean,
): ConfigSynonym[] {
  const out: ConfigSynonym[] = [];
  const add = (lookup: (k: string) => string | undefined, source: number) => {
    for (const s of synonyms) {
      const v = lookup(s);
      if (v !== undefined) out.push({ name: s, value: isSensitive ? null : v, source });
    }
  };
  add((k) => state.dynamicBrokerConfigs.get(k), ConfigSource.DYNAMIC_BROKER_CONFIG);
  add((k) => state.dynamicDefaultConfigs.get(k), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
  add((k) => state.staticConfig.originals.get(k), ConfigSource.STATIC_BROKER_CONFIG);
  add(staticDefault, ConfigSource.DEFAULT_CONFIG);
  const first = out.findIndex((s) => s.name === name);
  return first < 0 ? [] : out.slice(first);
}

/** The canonical text of `value` for a key of `type`, or the text itself if Kafka would refuse it. */
function canonical(name: string, type: KafkaConfigType, value: string): string {
  try {
    return parseConfigValue(name, type, value);
  } catch {
    return value;
  }
}

/**
 * Every config of a topic whose overrides (`/config/topics/<t>`) are `topicProps`, in Apache's
 * order.
 *
 * @example
 * ```ts ignore
 * describeTopicConfigs(state, new Map([["retention.ms", "1000"]]))[9];
 * // { name: "retention.ms", value: "1000", source: 1, synonyms: [{ name: "retention.ms", … }], … }
 * ```
 */
export function describeTopicConfigs(
  state: BrokerConfigState,
  topicProps: ReadonlyMap<string, string>,
): ConfigEntry[] {
  const defaults = topicDefaults(state.effective);
  return TOPIC_DESCRIBE_ORDER.map((name) => {
    const type = TOPIC_CONFIGS.get(name)!.kind;
    const override = topicProps.get(name);
    const value = canonical(name, type, override ?? defaults.get(name) ?? "");
    const brokerKey = TOPIC_SYNONYMS.get(name);
    const synonyms = brokerKey === undefined
      ? []
      : configSynonyms(state, brokerKey, brokerConfigSynonyms(brokerKey), false);
    if (override !== undefined) {
      synonyms.unshift({ name, value, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    }
    return {
      name,
      value,
      readOnly: false,
      source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
      isSensitive: false,
      synonyms,
      configType: CONFIG_TYPE_IDS[type],
    };
  });
}

/**
 * The config a topic's log runs with: every topic config's value (its override, else the
 * default the effective broker config gives), as DescribeConfigs shows it. Recompute it for a
 * topic on `onTopicConfigChange`, and for every topic on `onBrokerConfigChange` (a cluster-wide
 * log.retention.ms changes every topic's default).
 *
 * @example
 * ```ts ignore
 * effectiveTopicConfig(state, new Map([["retention.ms", "1000"]])).get("segment.bytes"); // "1073741824"
 * ```
 */
export function effectiveTopicConfig(
  state: BrokerConfigState,
  topicProps: ReadonlyMap<string, string>,
): Map<string, string> {
  return new Map(describeTopicConfigs(state, topicProps).map((e) => [e.name, e.value ?? ""]));
}

/**
 * ZkAdminManager.createBrokerConfigEntry: `name` with `value` (text, or null), for the broker
 * itself (`perBroker`) or for the cluster default (synonyms limited to the cluster-wide ones).
 */
function brokerEntry(
  state: BrokerConfigState,
  name: string,
  value: string | null,
  perBroker: boolean,
): ConfigEntry {
  const key = BROKER_KEYS.get(name);
  // A key Kafka has no type for might be a secret: Kafka hides it.
  const isSensitive = key === undefined || key.type === "PASSWORD";
  let synonyms = configSynonyms(state, name, brokerConfigSynonyms(name), isSensitive);
  if (!perBroker) {
    synonyms = synonyms.filter((s) => s.source === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
  }
  return {
    name,
    value: isSensitive ? null : value,
    readOnly: !isDynamicBrokerConfig(name),
    source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
    isSensitive,
    synonyms,
    configType: key === undefined ? 0 : CONFIG_TYPE_IDS[key.type],
  };
}

/**
 * Every config of this broker (DescribeConfigs on resource `<id>`), in Apache's order: the keys
 * given (server.properties, dynamic) and every KafkaConfig key, in a Java HashMap.
 */
export function describeBrokerConfigs(state: BrokerConfigState): ConfigEntry[] {
  const originals = state.rebuilt ? state.effectiveOriginals() : state.staticConfig.originals;
  const keys = [...originals.keys()];
  for (const k of BROKER_KEYS.values()) if (state.rebuilt || !k.internal) keys.push(k.name);
  return javaHashOrder(keys, javaStringHash).map((name) => {
    const key = BROKER_KEYS.get(name);
    const text = state.dynamicBrokerConfigs.get(name) ?? state.dynamicDefaultConfigs.get(name) ??
      state.staticConfig.originals.get(name) ?? key?.default ?? null;
    const value = text === null ? null : key === undefined ? text : canonical(name, key.type, text);
    return brokerEntry(state, name, value, true);
  });
}

/**
 * The cluster-wide dynamic configs (DescribeConfigs on resource ""), as stored, in the order of
 * the Scala HashMap Kafka keeps them in.
 */
export function describeDefaultBrokerConfigs(state: BrokerConfigState): ConfigEntry[] {
  const configs = state.dynamicDefaultConfigs;
  return scala212HashMapOrder([...configs.keys()]).map((name) =>
    brokerEntry(state, name, configs.get(name)!, false)
  );
}
