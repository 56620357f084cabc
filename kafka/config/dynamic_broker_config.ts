/**
 * Which broker configs Kafka 2.8.2 lets an operator change while the broker runs
 * (DynamicBrokerConfig): per-broker or cluster-wide, the checks `kafka-configs --alter` meets with
 * Kafka's messages, and the synonyms DescribeConfigs lists for a broker key.
 *
 * @module
 */
import { javaPropertiesOrder } from "../../internal/java_hash.ts";
import { APACHE_BROKER_KEYS, type KafkaConfigType, type KeyCheck } from "./apache_broker_keys.ts";
import { KafkaConfigException, parseConfigValue } from "./config_value.ts";

/** One KafkaConfig key, with its place in define order. */
export interface BrokerKey {
  name: string;
  type: KafkaConfigType;
  default: string | null;
  internal: boolean;
  mode: "per-broker" | "cluster-wide" | null;
  check: KeyCheck | null;
  /** Index in KafkaConfig's define order. */
  rank: number;
}

/** KafkaConfig's keys by name. */
export const BROKER_KEYS: ReadonlyMap<string, BrokerKey> = new Map(
  APACHE_BROKER_KEYS.map(([name, type, def, internal, mode, check], rank) => [
    name,
    { name, type, default: def, internal, mode, check, rank },
  ]),
);

/** The dynamic quota configs DynamicConfig.Broker adds to KafkaConfig's (LONG, at least 0). */
export const BROKER_THROTTLE_CONFIGS: readonly string[] = [
  "leader.replication.throttled.rate",
  "follower.replication.throttled.rate",
  "replica.alter.log.dirs.io.max.bytes.per.second",
];

/** SSL configs that may only change per listener (`listener.name.<l>.ssl…`). */
export const DYNAMIC_SECURITY_CONFIGS: ReadonlySet<string> = new Set([
  "ssl.keystore.type",
  "ssl.truststore.location",
  "ssl.keystore.certificate.chain",
  "ssl.keystore.password",
  "ssl.key.password",
  "ssl.keystore.location",
  "ssl.keystore.key",
  "ssl.truststore.password",
  "ssl.truststore.certificates",
  "ssl.truststore.type",
]);

/** Listener configs that are named `listener.name.<l>.<mechanism>.<config>`. */
const LISTENER_MECHANISM_CONFIGS = [
  "sasl.login.callback.handler.class",
  "sasl.server.callback.handler.class",
  "connections.max.reauth.ms",
  "sasl.login.class",
  "sasl.jaas.config",
];
/** Listener configs that stay cluster-wide even with a listener prefix. */
const CLUSTER_LEVEL_LISTENER_CONFIGS = new Set(["max.connections", "max.connection.creation.rate"]);
const LISTENER_CONFIG = /^listener\.name\.[^.]*\.(.*)$/;

/** Whether `name` may change while the broker runs (AllDynamicConfigs). */
export function isDynamicBrokerConfig(name: string): boolean {
  return BROKER_KEYS.get(name)?.mode != null;
}

/** Whether `name` is a dynamic PASSWORD config (stored encrypted by Kafka). */
export function isPasswordConfig(name: string): boolean {
  for (const k of BROKER_KEYS.values()) {
    if (k.mode !== null && k.type === "PASSWORD" && name.endsWith(k.name)) return true;
  }
  return false;
}

/**
 * DynamicBrokerConfig.brokerConfigSynonyms: the keys that set `name`, most specific first
 * (log.retention.ms, then .minutes, then .hours; a listener override, then its base config).
 *
 * @example
 * ```ts
 * brokerConfigSynonyms("log.roll.hours"); // ["log.roll.ms", "log.roll.hours"]
 * ```
 */
export function brokerConfigSynonyms(name: string, matchListenerOverride = true): string[] {
  switch (name) {
    case "log.roll.ms":
    case "log.roll.hours":
      return ["log.roll.ms", "log.roll.hours"];
    case "log.roll.jitter.ms":
    case "log.roll.jitter.hours":
      return ["log.roll.jitter.ms", "log.roll.jitter.hours"];
    case "log.flush.interval.ms":
      return ["log.flush.interval.ms", "log.flush.scheduler.interval.ms"];
    case "log.retention.ms":
    case "log.retention.minutes":
    case "log.retention.hours":
      return ["log.retention.ms", "log.retention.minutes", "log.retention.hours"];
  }
  const m = matchListenerOverride ? LISTENER_CONFIG.exec(name) : null;
  if (m) {
    const base = m[1];
    return [name, LISTENER_MECHANISM_CONFIGS.find((c) => base.endsWith(c)) ?? base];
  }
  return [name];
}

/** Scala's `Set(a, b)` text of names, in the order Kafka's Properties hands them over. */
function setText(names: readonly string[]): string {
  return `Set(${names.join(", ")})`;
}

/**
 * DynamicBrokerConfig.validateConfigs: throws KafkaConfigException with Kafka's message when
 * `props` (the whole new dynamic set of one entity) holds a read-only key, an SSL key without a
 * listener prefix, a value of the wrong type, or (at the cluster default, `perBroker` false) a
 * per-broker key. Unknown keys pass, as in Kafka.
 */
export function validateDynamicBrokerConfigs(
  props: ReadonlyMap<string, string>,
  perBroker: boolean,
): void {
  const names = javaPropertiesOrder([...props.keys()]);
  const check = (bad: string[], message: string) => {
    if (bad.length > 0) throw new KafkaConfigException(`${message}: ${setText(bad)}`);
  };
  check(
    names.filter((n) => BROKER_KEYS.has(n) && !isDynamicBrokerConfig(n)),
    "Cannot update these configs dynamically",
  );
  check(
    names.filter((n) => DYNAMIC_SECURITY_CONFIGS.has(n)),
    "These security configs can be dynamically updated only per-listener using the listener prefix",
  );
  validateTypes(props);
  if (!perBroker) {
    check(
      names.filter((n) => {
        if (BROKER_KEYS.get(n)?.mode === "per-broker") return true;
        const m = LISTENER_CONFIG.exec(n);
        return m !== null && !CLUSTER_LEVEL_LISTENER_CONFIGS.has(m[1]);
      }),
      "Cannot update these configs at default cluster level, broker id must be specified",
    );
  }
}

/** DynamicConfig.Broker.validate: each dynamic key's value against its type, in define order. */
function validateTypes(props: ReadonlyMap<string, string>): void {
  const base = new Map<string, string>();
  for (const [k, v] of props) base.set(LISTENER_CONFIG.exec(k)?.[1] ?? k, v);
  for (const name of BROKER_THROTTLE_CONFIGS) {
    const v = base.get(name);
    if (v !== undefined) parseConfigValue(name, "LONG", v, { atLeast: 0 });
  }
  for (const k of BROKER_KEYS.values()) {
    const v = base.get(k.name);
    if (k.mode !== null && v !== undefined) parseConfigValue(k.name, k.type, v, k.check);
  }
}

/**
 * What DynamicBrokerConfig keeps of an entity's stored configs (removeInvalidConfigs): the keys
 * that pass validateConfigs one by one. Kafka logs and ignores the rest.
 */
export function keepValidDynamicConfigs(
  props: ReadonlyMap<string, string>,
  perBroker: boolean,
): Map<string, string> {
  const kept = new Map<string, string>();
  for (const [k, v] of props) {
    try {
      validateDynamicBrokerConfigs(new Map([[k, v]]), perBroker);
      kept.set(k, v);
    } catch (e) {
      if (!(e instanceof KafkaConfigException)) throw e;
    }
  }
  return kept;
}
