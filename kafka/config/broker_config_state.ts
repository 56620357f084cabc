/**
 * A running broker's configuration as Kafka 2.8.2's DynamicBrokerConfig keeps it: the static
 * server.properties, the cluster-wide dynamic configs (`/config/brokers/<default>`) and this
 * broker's own (`/config/brokers/<id>`), and the effective config the three give, per-broker over
 * cluster default over static.
 *
 * @module
 */
import { keepValidDynamicConfigs } from "./dynamic_broker_config.ts";
import { type BrokerConfig, parseServerProperties } from "./server_properties.ts";

/** The name of the cluster-wide entity under /config/brokers. */
export const DEFAULT_BROKER_ENTITY = "<default>";

/**
 * Static and dynamic broker configs, and the effective config herd runs with.
 *
 * @example
 * ```ts ignore
 * const state = new BrokerConfigState(config);
 * state.update(DEFAULT_BROKER_ENTITY, new Map([["log.retention.ms", "3600000"]]));
 * state.effective.logRetentionMs; // 3600000
 * ```
 */
export class BrokerConfigState {
  #default = new Map<string, string>();
  #broker = new Map<string, string>();
  #effective: BrokerConfig;
  #rebuilt = false;

  constructor(readonly staticConfig: BrokerConfig) {
    this.#effective = staticConfig;
  }

  /** This broker's id. */
  get brokerId(): number {
    return this.staticConfig.brokerId;
  }

  /** The dynamic configs of this broker (`/config/brokers/<id>`), as kept. */
  get dynamicBrokerConfigs(): ReadonlyMap<string, string> {
    return this.#broker;
  }

  /** The cluster-wide dynamic configs (`/config/brokers/<default>`), as kept. */
  get dynamicDefaultConfigs(): ReadonlyMap<string, string> {
    return this.#default;
  }

  /** The config herd runs with: static, then cluster default, then per-broker. */
  get effective(): BrokerConfig {
    return this.#effective;
  }

  /**
   * Whether a dynamic change ever altered the effective config. Kafka then describes the broker
   * from a rebuilt KafkaConfig whose values include its internal keys too (its
   * `nonInternalValues` answers with every value once the config was replaced).
   */
  get rebuilt(): boolean {
    return this.#rebuilt;
  }

  /** Every key given: server.properties, then cluster default, then per-broker, in that order. */
  effectiveOriginals(): Map<string, string> {
    const out = new Map(this.staticConfig.originals);
    for (const [k, v] of this.#default) out.set(k, v);
    for (const [k, v] of this.#broker) out.set(k, v);
    return out;
  }

  /**
   * Applies the stored configs of `entity` ("<default>" or this broker's id; others are ignored,
   * as Kafka ignores other brokers' entities). Keys Kafka would refuse are dropped, as Kafka's
   * removeInvalidConfigs drops them. Returns whether the effective config changed.
   */
  update(entity: string, props: ReadonlyMap<string, string>): boolean {
    const perBroker = entity !== DEFAULT_BROKER_ENTITY;
    if (perBroker && entity !== String(this.brokerId)) return false;
    const before = this.effectiveOriginals();
    const kept = keepValidDynamicConfigs(props, perBroker);
    if (perBroker) this.#broker = kept;
    else this.#default = kept;
    const after = this.effectiveOriginals();
    const changed = before.size !== after.size ||
      [...after].some(([k, v]) => before.get(k) !== v);
    if (!changed) return false;
    this.#rebuilt = true;
    this.#effective = this.#parse(after) ?? this.#effective;
    return true;
  }

  /** The effective BrokerConfig, or undefined when herd's own checks refuse the combination. */
  #parse(originals: Map<string, string>): BrokerConfig | undefined {
    try {
      const overrides = [...originals].map(([key, value]) => ({ key, value }));
      return parseServerProperties("", "dynamic config", overrides).config;
    } catch {
      return undefined;
    }
  }
}
