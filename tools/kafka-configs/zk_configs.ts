/**
 * kafka-configs.sh's ZooKeeper mode (`--zookeeper`, ConfigCommand.alterConfigWithZk /
 * describeConfigWithZk and AdminZkClient in Kafka 2.8.2): reads and writes
 * `/config/<type>/<entity>` and the `/config/changes/config_change_` notification exactly as
 * Kafka's tool does (zk-layout.md §2.9), with its checks and messages, so a 2.8 broker (Apache's
 * or herd's) applies the change.
 *
 * @module
 */
import { type ZkClient, ZkError } from "../../zk/client/mod.ts";
import {
  decodeEntityConfig,
  encodeEntityConfig,
  isPasswordConfig,
  KafkaConfigException,
  parseConfigValue,
  TOPIC_CONFIGS,
  TopicConfigError,
  validateDynamicBrokerConfigs,
  validateTopicConfig,
} from "../../kafka/config/mod.ts";
import { BROKER_THROTTLE_CONFIGS } from "../../kafka/config/dynamic_broker_config.ts";
import { IP_QUOTAS, USER_CLIENT_QUOTAS } from "../../kafka/config/client_quotas.ts";
import { javaPropertiesOrder } from "../../internal/java_hash.ts";
import { topicNameProblem } from "../../kafka/controller/topic_name.ts";
import { configsToBeAdded, configsToBeDeleted } from "./add_config.ts";
import {
  type ConfigEntity,
  configEntityText,
  DEFAULT,
  type Entity,
  entityPath,
  fullSanitizedName,
  parseEntity,
} from "./entity.ts";
import { ConfigCommandError } from "./errors.ts";
import { isJavaInt, isValidIpEntity } from "./options.ts";
import type { ConfigOptions } from "./options.ts";
import { zkScramCredential } from "./scram.ts";

const NONODE = -101;
const NODEEXISTS = -110;
/** CreateMode.PERSISTENT_SEQUENTIAL. */
const PERSISTENT_SEQUENTIAL = 2;
const encoder = new TextEncoder();

const illegal = (message: string) =>
  new ConfigCommandError(message, "java.lang.IllegalArgumentException");
const configException = (message: string) =>
  new ConfigCommandError(message, "org.apache.kafka.common.config.ConfigException");

/** Scala's `Set(a, b)` text. */
const setText = (names: readonly string[]) => `Set(${names.join(", ")})`;

/** One run of the tool on ZooKeeper; `out` receives what it prints on stdout. */
export class ZkConfigService {
  constructor(private readonly zk: ZkClient, private readonly out: (text: string) => void) {}

  private async children(path: string): Promise<string[]> {
    try {
      return await this.zk.getChildren(path);
    } catch (e) {
      if (e instanceof ZkError && e.code === NONODE) return [];
      throw e;
    }
  }

  /** AdminZkClient.fetchEntityConfig: the entity's configs, in Properties order. */
  private async fetch(rootType: string, name: string): Promise<Map<string, string>> {
    const path = `/config/${rootType}/${name}`;
    try {
      const { data } = await this.zk.getData(path);
      const m = decodeEntityConfig(path, data);
      return new Map(javaPropertiesOrder([...m.keys()]).map((k) => [k, m.get(k)!]));
    } catch (e) {
      if (e instanceof ZkError && e.code === NONODE) return new Map();
      throw e;
    }
  }

  private async createRecursive(path: string, data: Uint8Array | null): Promise<void> {
    try {
      await this.zk.create(path, data);
    } catch (e) {
      if (!(e instanceof ZkError) || e.code !== NONODE) throw e;
      const parent = path.slice(0, path.lastIndexOf("/"));
      await this.createRecursive(parent, null).catch((err) => {
        if (!(err instanceof ZkError) || err.code !== NODEEXISTS) throw err;
      });
      await this.zk.create(path, data);
    }
  }

  /** KafkaZkClient.setOrCreateEntityConfigs, then the change notification. */
  private async changeEntityConfig(
    rootType: string,
    name: string,
    configs: ReadonlyMap<string, string>,
  ): Promise<void> {
    const path = `/config/${rootType}/${name}`;
    const data = encoder.encode(encodeEntityConfig(configs));
    try {
      await this.zk.setData(path, data, -1);
    } catch (e) {
      if (!(e instanceof ZkError) || e.code !== NONODE) throw e;
      try {
        await this.createRecursive(path, data);
      } catch (err) {
        if (!(err instanceof ZkError) || err.code !== NODEEXISTS) throw err;
        await this.zk.setData(path, data, -1);
      }
    }
    await this.createRecursive("/config/changes", null).catch((err) => {
      if (!(err instanceof ZkError) || err.code !== NODEEXISTS) throw err;
    });
    await this.zk.create(
      "/config/changes/config_change_",
      encoder.encode(`{"version":2,"entity_path":"${rootType}/${name}"}`),
      { mode: PERSISTENT_SEQUENTIAL },
    );
  }

  /** ConfigEntity.getAllEntities. */
  private async allEntities(e: ConfigEntity): Promise<ConfigEntity[]> {
    if (e.root.name === undefined) {
      const roots = (await this.children(`/config/${e.root.type}`))
        .map((name): Entity => ({ type: e.root.type, name }));
      if (e.child === undefined) return roots.map((root) => ({ root }));
      const out: ConfigEntity[] = [];
      for (const root of roots) {
        out.push(...await this.allEntities({ root, child: { type: e.child.type } }));
      }
      return out;
    }
    if (e.child !== undefined && e.child.name === undefined) {
      const names = await this.children(`/config/${entityPath(e.root)}/${e.child.type}`);
      return names.map((name) => ({ root: e.root, child: { type: e.child!.type, name } }));
    }
    return [e];
  }

  /** describeConfigWithZk. */
  async describe(o: ConfigOptions): Promise<void> {
    const entity = parseEntity(o);
    const allUsers = entity.root.type === "users" && entity.root.name === undefined &&
      entity.child === undefined;
    for (const e of await this.allEntities(entity)) {
      const configs = await this.fetch(e.root.type, fullSanitizedName(e));
      // Describing all users leaves out users with only <user, client> overrides.
      if (configs.size > 0 || !allUsers) {
        const text = [...configs].map(([k, v]) => `${k}=${v}`).join(",");
        this.out(`Configs for ${configEntityText(e)} are ${text}\n`);
      }
    }
  }

  /** alterConfigWithZk. */
  async alter(o: ConfigOptions): Promise<void> {
    const { configs: added, warning } = configsToBeAdded(o);
    this.out(warning);
    const deleted = configsToBeDeleted(o);
    const entity = parseEntity(o);
    const type = entity.root.type;
    const name = fullSanitizedName(entity);
    if (type === "users") {
      for (const m of ["SCRAM-SHA-256", "SCRAM-SHA-512"]) {
        const v = added.get(m);
        if (v !== undefined) added.set(m, zkScramCredential(m, v));
      }
    } else if (type === "brokers") await this.checkBrokerConfigs(name, added);

    const configs = await this.fetch(type, name);
    const missing = deleted.filter((k) => !configs.has(k));
    if (missing.length > 0) {
      throw new ConfigCommandError(
        `Invalid config(s): ${missing.join(",")}`,
        "org.apache.kafka.common.errors.InvalidConfigurationException",
      );
    }
    for (const [k, v] of added) configs.set(k, v);
    for (const k of deleted) configs.delete(k);
    const merged = new Map(
      javaPropertiesOrder([...configs.keys()]).map((k) => [k, configs.get(k)!]),
    );
    await this.validate(type, name, merged);
    await this.changeEntityConfig(type, name, merged);
    this.out(`Completed updating config for entity: ${configEntityText(entity)}.\n`);
  }

  /**
   * The broker checks before anything is read: configs other than the replication throttles
   * need the broker (or, at the default, every broker) to be down; then
   * DynamicBrokerConfig.validateConfigs on what is added.
   */
  private async checkBrokerConfigs(name: string, added: Map<string, string>): Promise<void> {
    const dynamic = [...added.keys()].filter((k) => !BROKER_THROTTLE_CONFIGS.includes(k));
    if (dynamic.length === 0) return;
    const perBroker = name !== DEFAULT;
    const error =
      `requirement failed: --bootstrap-server option must be specified to update broker configs ${
        setText(dynamic)
      }.`;
    const info = "Broker configuration updates using ZooKeeper are supported for bootstrapping " +
      "before brokers are started to enable encrypted password configs to be stored in ZooKeeper.";
    if (perBroker) {
      const id = parseBroker(name);
      if (await this.zk.exists(`/brokers/ids/${id}`) !== null) {
        throw illegal(`${error} when broker ${name} is running. ${info}`);
      }
    } else if ((await this.children("/brokers/ids")).length > 0) {
      throw illegal(`${error} for default cluster if any broker is running. ${info}`);
    }
    for (const k of [...added.keys()]) if (k.startsWith("password.encoder.")) added.delete(k);
    try {
      validateDynamicBrokerConfigs(added, perBroker);
    } catch (e) {
      if (e instanceof KafkaConfigException) throw configException(e.message);
      throw e;
    }
    const passwords = [...added.keys()].filter(isPasswordConfig);
    if (passwords.length > 0) {
      // Apache encrypts them with password.encoder.secret; herd has no PasswordEncoder.
      throw illegal(
        `requirement failed: herd's kafka-configs does not encode password configs ${
          setText(passwords)
        }: set them with --bootstrap-server`,
      );
    }
  }

  /** AdminZkClient.changeConfigs' validation for the entity type. */
  private async validate(type: string, name: string, configs: Map<string, string>): Promise<void> {
    if (type === "topics") {
      const problem = topicNameProblem(name);
      if (problem !== null) {
        throw new ConfigCommandError(
          problem,
          "org.apache.kafka.common.errors.InvalidTopicException",
        );
      }
      if (await this.zk.exists(`/brokers/topics/${name}`) === null) {
        throw new ConfigCommandError(
          `Topic '${name}' does not exist.`,
          "org.apache.kafka.common.errors.UnknownTopicOrPartitionException",
        );
      }
      validateLogConfig(configs);
    } else if (type === "clients") {
      validateQuotas(configs, USER_CLIENT_QUOTAS, false);
    } else if (type === "users") {
      const clientLevel = name === DEFAULT || name.includes("/clients");
      validateQuotas(configs, USER_CLIENT_QUOTAS, !clientLevel);
    } else if (type === "brokers") {
      parseBroker(name);
      try {
        validateDynamicBrokerConfigs(configs, name !== DEFAULT);
      } catch (e) {
        if (e instanceof KafkaConfigException) throw configException(e.message);
        throw e;
      }
    } else if (type === "ips") {
      if (!isValidIpEntity(name)) {
        throw new ConfigCommandError(
          `${name} is not a valid IP or resolvable host.`,
          "kafka.admin.AdminOperationException",
        );
      }
      validateQuotas(configs, IP_QUOTAS, false);
    }
  }
}

/** AdminZkClient.parseBroker. */
function parseBroker(name: string): number | null {
  if (name === DEFAULT) return null;
  if (!isJavaInt(name)) {
    throw illegal(
      `Error parsing broker ${name}. The broker's Entity Name must be a single integer value`,
    );
  }
  return Number(name);
}

/** LogConfig.validate: names first, then each value in the order LogConfig defines them. */
function validateLogConfig(configs: ReadonlyMap<string, string>): void {
  try {
    for (const k of configs.keys()) {
      if (!TOPIC_CONFIGS.has(k)) validateTopicConfig(k, "");
    }
    for (const k of TOPIC_CONFIGS.keys()) {
      const v = configs.get(k);
      if (v !== undefined) validateTopicConfig(k, v);
    }
  } catch (e) {
    if (!(e instanceof TopicConfigError)) throw e;
    throw new ConfigCommandError(
      e.message,
      e.kind === "ConfigException"
        ? "org.apache.kafka.common.config.ConfigException"
        : "org.apache.kafka.common.errors.InvalidConfigurationException",
    );
  }
  const min = configs.get("min.compaction.lag.ms"), max = configs.get("max.compaction.lag.ms");
  if (min !== undefined && max !== undefined && BigInt(min.trim()) > BigInt(max.trim())) {
    throw new ConfigCommandError(
      `conflict topic config setting min.compaction.lag.ms (${min.trim()}) > max.compaction.lag.ms (${max.trim()})`,
      "org.apache.kafka.common.errors.InvalidConfigurationException",
    );
  }
}

/** DynamicConfig.Client/User/Ip.validate: known names only, then each value's type. */
function validateQuotas(
  configs: ReadonlyMap<string, string>,
  quotas: ReadonlyMap<string, string>,
  scram: boolean,
): void {
  const known = (k: string) =>
    quotas.has(k) || (scram && (k === "SCRAM-SHA-256" || k === "SCRAM-SHA-512"));
  const unknown = [...configs.keys()].filter((k) => !known(k));
  if (unknown.length > 0) {
    throw illegal(`requirement failed: Unknown Dynamic Configuration: ${setText(unknown)}.`);
  }
  for (const [k, type] of quotas) {
    const v = configs.get(k);
    if (v === undefined) continue;
    try {
      parseConfigValue(
        k,
        type as "LONG" | "DOUBLE" | "INT",
        v,
        type === "INT" ? { atLeast: 0 } : null,
      );
    } catch (e) {
      if (e instanceof KafkaConfigException) throw configException(e.message);
      throw e;
    }
  }
}
