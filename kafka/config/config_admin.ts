/**
 * AlterConfigs and IncrementalAlterConfigs as Kafka 2.8.2's ZkAdminManager runs them on one
 * resource: the checks in its order with its error codes and messages, the SET / DELETE /
 * APPEND / SUBTRACT arithmetic (Java's split, Scala's list diff), then the write through
 * {@link ConfigRepository} unless `validateOnly`; for BROKER_LOGGER, the new levels of the
 * broker's loggers (broker_loggers.ts).
 *
 * @module
 */
import {
  BROKER_KEYS,
  isPasswordConfig,
  validateDynamicBrokerConfigs,
} from "./dynamic_broker_config.ts";
import { Logger } from "../../internal/log.ts";
import type { BrokerConfigState } from "./broker_config_state.ts";
import { BrokerLoggers, isValidLogLevel, ROOT_LOGGER, VALID_LOG_LEVELS } from "./broker_loggers.ts";
import { DEFAULT_BROKER_ENTITY } from "./broker_config_state.ts";
import { KafkaConfigException } from "./config_value.ts";
import { TOPIC_CONFIGS, TopicConfigError, validateTopicConfig } from "./topic_config.ts";

/** Kafka error codes the config APIs answer with. */
export const ConfigErrors = {
  NONE: 0,
  UNKNOWN_SERVER_ERROR: -1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
} as const;

/** Errors.INVALID_REQUEST's default message (what DescribeConfigs sends for a bad broker id). */
export const INVALID_REQUEST_MESSAGE =
  "This most likely occurs because of a request being malformed by the client library or the " +
  "message was sent to an incompatible broker. See the broker logs for more details.";

/** ConfigResource.Type ids. */
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** AlterConfigOp.OpType ids and names. */
const OP_NAMES = ["SET", "DELETE", "APPEND", "SUBTRACT"];

/** What one resource's alteration answers. */
export interface AlterResult {
  errorCode: number;
  errorMessage: string | null;
}

/** A Kafka ApiException: an error code and its message. */
export class ApiError extends Error {
  constructor(readonly code: number, message: string | null) {
    super(message ?? "");
    this.name = "ApiError";
  }
}

/**
 * Java's Integer.parseInt, as Kafka reads a broker id: an optional sign and decimal digits within
 * 32 bits (`+0`, `-0`, `007` are ids); null for anything else.
 */
export function parseJavaInt(text: string): number | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? n + 0 : null;
}

/** ConfigResource.Type.forId(id).name(). */
export function resourceTypeName(id: number): string {
  return id === 2 ? "TOPIC" : id === 4 ? "BROKER" : id === 8 ? "BROKER_LOGGER" : "UNKNOWN";
}

/** ConfigResource.toString. */
function resourceText(type: number, name: string): string {
  return `ConfigResource(type=${resourceTypeName(type)}, name='${name}')`;
}

/** What the config APIs need from the broker. */
export interface ConfigAdminDeps {
  state: BrokerConfigState;
  repo: {
    fetchEntityConfig(entityType: string, entity: string): Promise<Map<string, string>>;
    changeTopicConfig(topic: string, config: ReadonlyMap<string, string>): Promise<void>;
    changeBrokerConfig(brokerId: number | null, config: ReadonlyMap<string, string>): Promise<void>;
  };
  /** Whether the topic exists (`/brokers/topics/<t>`, or the broker's metadata). */
  topicExists(topic: string): boolean | Promise<boolean>;
  /** The broker's loggers (BROKER_LOGGER); default: loggers of a Logger that writes nowhere. */
  loggers?: BrokerLoggers;
}

/** One IncrementalAlterConfigs entry. */
export interface AlterOp {
  name: string;
  configOperation: number;
  value: string | null;
}

/** Java's `s.split(",")`: trailing empty strings dropped, but "" gives [""]. */
function javaSplitComma(s: string): string[] {
  const parts = s.split(",");
  if (s === "") return [""];
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Scala's `List.diff`: each element of `remove` takes away one occurrence. */
function listDiff(from: string[], remove: string[]): string[] {
  const counts = new Map<string, number>();
  for (const r of remove) counts.set(r, (counts.get(r) ?? 0) + 1);
  return from.filter((x) => {
    const n = counts.get(x) ?? 0;
    if (n === 0) return true;
    counts.set(x, n - 1);
    return false;
  });
}

/** The type and default of a key among the topic or broker configs; undefined when unknown. */
type KeyInfo = { isList: boolean; listDefault: string } | undefined;

function topicKey(name: string): KeyInfo {
  const def = TOPIC_CONFIGS.get(name);
  if (def === undefined) return undefined;
  // LogConfig's own defaults of its two kinds of list: cleanup.policy and the throttled replicas.
  return { isList: def.kind === "LIST", listDefault: name === "cleanup.policy" ? "delete" : "" };
}

function brokerKey(name: string): KeyInfo {
  const k = BROKER_KEYS.get(name);
  return k === undefined ? undefined : { isList: k.type === "LIST", listDefault: k.default ?? "" };
}

/** ZkAdminManager.prepareIncrementalConfigs: applies `ops` to `props` in place. */
function applyOps(
  props: Map<string, string>,
  ops: readonly AlterOp[],
  keyOf: (n: string) => KeyInfo,
) {
  for (const op of ops) {
    const kind = OP_NAMES[op.configOperation];
    if (kind === "SET") props.set(op.name, op.value!);
    else if (kind === "DELETE") props.delete(op.name);
    else if (kind === "APPEND" || kind === "SUBTRACT") {
      const key = keyOf(op.name);
      // Kafka looks the key up in a Scala map that throws for a missing key: a server error.
      if (key === undefined) throw new ApiError(ConfigErrors.UNKNOWN_SERVER_ERROR, null);
      if (!key.isList) {
        throw new ApiError(
          ConfigErrors.INVALID_REQUEST,
          `Config value ${kind.toLowerCase()} is not allowed for config key: ${op.name}`,
        );
      }
      const old = javaSplitComma(props.get(op.name) ?? key.listDefault);
      const given = javaSplitComma(op.value!);
      props.set(op.name, (kind === "APPEND" ? [...old, ...given] : listDiff(old, given)).join(","));
    } else {
      // An op id Kafka has no OpType for: a MatchError inside the broker.
      throw new ApiError(ConfigErrors.UNKNOWN_SERVER_ERROR, null);
    }
  }
}

/**
 * Runs the config APIs against ZooKeeper for one broker.
 *
 * @example
 * ```ts ignore
 * const admin = new ConfigAdmin({ state, repo, topicExists: (t) => topics.has(t) });
 * await admin.incrementalAlter(2, "t", [{ name: "retention.ms", configOperation: 0, value: "1000" }], false);
 * // { errorCode: 0, errorMessage: null }
 * ```
 */
export class ConfigAdmin {
  readonly #loggers: BrokerLoggers;

  constructor(private readonly deps: ConfigAdminDeps) {
    this.#loggers = deps.loggers ?? new BrokerLoggers(new Logger("", "INFO", () => {}));
  }

  /** IncrementalAlterConfigs on one resource. */
  incrementalAlter(
    type: number,
    name: string,
    ops: readonly AlterOp[],
    validateOnly: boolean,
  ): Promise<AlterResult> {
    return this.#guard(type, name, async () => {
      const seen = new Set<string>();
      const dups = new Set<string>();
      for (const op of ops) (seen.has(op.name) ? dups : seen).add(op.name);
      if (dups.size > 0) {
        throw new ApiError(
          ConfigErrors.INVALID_REQUEST,
          `Error due to duplicate config keys : ${[...dups].join(",")}`,
        );
      }
      const nulls = ops.filter((o) => o.value === null && o.configOperation !== 1)
        .map((o) => `${OP_NAMES[o.configOperation] ?? "null"}:${o.name}`);
      if (nulls.length > 0) {
        throw new ApiError(
          ConfigErrors.INVALID_REQUEST,
          `Null value not supported for : ${nulls.join(",")}`,
        );
      }
      if (type === ResourceType.TOPIC) {
        const props = await this.deps.repo.fetchEntityConfig("topics", name);
        applyOps(props, ops, topicKey);
        await this.#alterTopic(name, props, validateOnly);
      } else if (type === ResourceType.BROKER) {
        const id = this.#brokerId(name);
        const entity = id === null ? DEFAULT_BROKER_ENTITY : String(id);
        const props = await this.deps.repo.fetchEntityConfig("brokers", entity);
        applyOps(props, ops, brokerKey);
        await this.#alterBroker(id, props, validateOnly);
      } else if (type === ResourceType.BROKER_LOGGER) {
        this.#brokerId(name);
        this.#alterLoggers(ops, validateOnly);
      } else {
        throw new ApiError(
          ConfigErrors.INVALID_REQUEST,
          `Unexpected resource type ${resourceTypeName(type)}`,
        );
      }
    });
  }

  /** AlterConfigs on one resource: `entries` replace the resource's whole dynamic set. */
  alter(
    type: number,
    name: string,
    entries: readonly { name: string; value: string | null }[],
    validateOnly: boolean,
  ): Promise<AlterResult> {
    return this.#guard(type, name, async () => {
      // Apache 2.8.2 drops the connection on a null value (its request parser fails); herd
      // answers as later Kafka versions do.
      const nulls = entries.filter((e) => e.value === null).map((e) => e.name);
      if (nulls.length > 0) {
        throw new ApiError(
          ConfigErrors.INVALID_REQUEST,
          `Null value not supported for : ${nulls.join(",")}`,
        );
      }
      const props = new Map(entries.map((e) => [e.name, e.value!]));
      if (type === ResourceType.TOPIC) await this.#alterTopic(name, props, validateOnly);
      else if (type === ResourceType.BROKER) {
        await this.#alterBroker(this.#brokerId(name), props, validateOnly);
      } else {
        throw new ApiError(
          ConfigErrors.INVALID_REQUEST,
          `Unexpected resource type ${resourceTypeName(type)}`,
        );
      }
    });
  }

  /** Turns what a step throws into the answer Kafka gives for it. */
  async #guard(type: number, name: string, body: () => Promise<void>): Promise<AlterResult> {
    try {
      await body();
      return { errorCode: ConfigErrors.NONE, errorMessage: null };
    } catch (e) {
      if (e instanceof ApiError) {
        return { errorCode: e.code, errorMessage: e.code === -1 ? null : e.message };
      }
      if (
        e instanceof KafkaConfigException ||
        (e instanceof TopicConfigError && e.kind === "ConfigException")
      ) {
        return {
          errorCode: ConfigErrors.INVALID_REQUEST,
          errorMessage: `Invalid config value for resource ${
            resourceText(type, name)
          }: ${e.message}`,
        };
      }
      if (e instanceof TopicConfigError) {
        return { errorCode: ConfigErrors.INVALID_CONFIG, errorMessage: e.message };
      }
      return { errorCode: ConfigErrors.UNKNOWN_SERVER_ERROR, errorMessage: null };
    }
  }

  /** ZkAdminManager.getBrokerId: null for the cluster default (""), else this broker's id. */
  #brokerId(name: string): number | null {
    if (name === "") return null;
    const id = parseJavaInt(name);
    if (id === null) {
      throw new ApiError(
        ConfigErrors.INVALID_REQUEST,
        `Broker id must be an integer, but it is: ${name}`,
      );
    }
    const own = this.deps.state.brokerId;
    if (id !== own) {
      throw new ApiError(
        ConfigErrors.INVALID_REQUEST,
        `Unexpected broker id, expected ${own}, but received ${name}`,
      );
    }
    return own;
  }

  /**
   * ZkAdminManager's validateLogLevelConfigs, then (unless `validateOnly`) alterLogLevelConfigs:
   * every op is checked before any applies.
   */
  #alterLoggers(ops: readonly AlterOp[], validateOnly: boolean) {
    const loggers = this.#loggers;
    for (const op of ops) {
      const kind = OP_NAMES[op.configOperation];
      if ((kind === "SET" || kind === "DELETE") && !loggers.exists(op.name)) {
        throw new KafkaConfigException(`Logger ${op.name} does not exist!`);
      }
      if (kind === "SET" && !isValidLogLevel(op.value!)) {
        throw new KafkaConfigException(
          `Cannot set the log level of ${op.name} to ${op.value} as it is not a supported log ` +
            `level. Valid log levels are ${VALID_LOG_LEVELS.join(", ")}`,
        );
      }
      if (kind === "DELETE" && op.name === ROOT_LOGGER) {
        throw new ApiError(
          ConfigErrors.INVALID_REQUEST,
          `Removing the log level of the ${ROOT_LOGGER} logger is not allowed`,
        );
      }
      if (kind === "APPEND" || kind === "SUBTRACT") {
        throw new ApiError(
          ConfigErrors.INVALID_REQUEST,
          `${kind} operation is not allowed for the BROKER_LOGGER resource`,
        );
      }
      // An op id Kafka has no OpType for: a MatchError inside the broker.
      if (kind === undefined) throw new ApiError(ConfigErrors.UNKNOWN_SERVER_ERROR, null);
    }
    if (validateOnly) return;
    const where = "kafka.server.ZkAdminManager";
    const ident = `[Admin Manager on Broker ${this.deps.state.brokerId}]:`;
    for (const op of ops) {
      // Logged before the change, as Kafka does: lowering ZkAdminManager's own level still shows it.
      const level = op.value!;
      if (OP_NAMES[op.configOperation] === "SET" && isValidLogLevel(level)) {
        loggers.log.info(where, `${ident} Updating the log level of ${op.name} to ${level}`);
        loggers.set(op.name, level);
      } else {
        loggers.log.info(where, `${ident} Unset the log level of ${op.name}`);
        loggers.set(op.name, null);
      }
    }
  }

  async #alterTopic(topic: string, props: Map<string, string>, validateOnly: boolean) {
    if (!(await this.deps.topicExists(topic))) {
      throw new ApiError(
        ConfigErrors.UNKNOWN_TOPIC_OR_PARTITION,
        `The topic '${topic}' does not exist.`,
      );
    }
    // LogConfig.validate: every name first, then every value.
    for (const k of props.keys()) {
      if (!TOPIC_CONFIGS.has(k)) {
        throw new ApiError(ConfigErrors.INVALID_CONFIG, `Unknown topic config name: ${k}`);
      }
    }
    for (const k of TOPIC_CONFIGS.keys()) {
      const v = props.get(k);
      if (v !== undefined) validateTopicConfig(k, v);
    }
    if (!validateOnly) await this.deps.repo.changeTopicConfig(topic, props);
  }

  async #alterBroker(id: number | null, props: Map<string, string>, validateOnly: boolean) {
    validateDynamicBrokerConfigs(props, id !== null);
    if (validateOnly) return;
    // Kafka stores dynamic passwords encrypted with password.encoder.secret, which herd lacks.
    if ([...props.keys()].some(isPasswordConfig)) {
      throw new KafkaConfigException("Password encoder secret not configured");
    }
    await this.deps.repo.changeBrokerConfig(id, props);
  }
}
