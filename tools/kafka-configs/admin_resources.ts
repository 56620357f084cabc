/**
 * kafka-configs.sh `--bootstrap-server` for topics, brokers and broker-loggers (ConfigCommand
 * 2.8.2's describeResourceConfig, getResourceConfig and the three alterConfig branches):
 * DescribeConfigs with synonyms, then IncrementalAlterConfigs v1 for a topic or a broker's
 * loggers, and the legacy AlterConfigs (the whole new dynamic set) for a broker, as 2.8.2's tool
 * sends them.
 *
 * @module
 */
import type { BrokerConnection, KafkaClient } from "../../kafka/client/mod.ts";
import type {
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
} from "../../kafka/protocol/messages/describe_configs.ts";
import type { IncrementalAlterConfigsResponse } from "../../kafka/protocol/messages/incremental_alter_configs.ts";
import type { AlterConfigsResponse } from "../../kafka/protocol/messages/alter_configs.ts";
import type { DescribeClusterResponse } from "../../kafka/protocol/messages/describe_cluster.ts";
import { javaHashOrder, javaStringHash } from "../../internal/java_hash.ts";
import { scala212HashMapOrder } from "../../kafka/controller/_scala_map_order.ts";
import { topicNameProblem } from "../../kafka/controller/topic_name.ts";
import { brokerConnection, brokerError } from "./admin.ts";
import { ConfigCommandError } from "./errors.ts";
import { isJavaInt } from "./options.ts";

const DESCRIBE_CONFIGS = 32;
const ALTER_CONFIGS = 33;
const INCREMENTAL_ALTER_CONFIGS = 44;
const DESCRIBE_CLUSTER = 60;
const RESOURCE = { topics: 2, brokers: 4, "broker-loggers": 8 } as const;
/** ConfigEntry.ConfigSource by its wire id. */
const SOURCES = [
  "UNKNOWN",
  "DYNAMIC_TOPIC_CONFIG",
  "DYNAMIC_BROKER_CONFIG",
  "DYNAMIC_DEFAULT_BROKER_CONFIG",
  "STATIC_BROKER_CONFIG",
  "DEFAULT_CONFIG",
  "DYNAMIC_BROKER_LOGGER_CONFIG",
];
const SET = 0, DELETE = 1;

/** The entity types this file serves. */
export type ResourceKind = keyof typeof RESOURCE;

/** The iteration order of a Scala immutable Map built by adding `keys` in order. */
export function scalaMapOrder(keys: readonly string[]): string[] {
  return keys.length <= 4 ? [...keys] : scala212HashMapOrder(keys);
}

/** One tool run's describes and alters of topic, broker and broker-logger configs. */
export class ResourceConfigs {
  constructor(private readonly client: KafkaClient, private readonly out: (t: string) => void) {}

  /** Where the AdminClient sends a call about `name` of `kind`: the broker itself, or any. */
  private async node(kind: ResourceKind, name: string): Promise<BrokerConnection> {
    if (kind !== "topics" && name !== "") return await brokerConnection(this.client, Number(name));
    return await this.client.any();
  }

  /**
   * getResourceConfig: the entries of `name`, only those from the entity's own dynamic level
   * unless `all` (broker-loggers: every entry).
   */
  async resourceConfig(
    kind: ResourceKind,
    name: string,
    includeSynonyms: boolean,
    all: boolean,
  ): Promise<DescribeConfigsResourceResult[]> {
    let source: number | undefined;
    if (kind === "topics") {
      const problem = name === "" ? null : topicNameProblem(name);
      if (problem !== null) {
        throw new ConfigCommandError(
          problem,
          "org.apache.kafka.common.errors.InvalidTopicException",
        );
      }
      source = 1;
    } else {
      if (name !== "" && !isJavaInt(name)) {
        throw new ConfigCommandError(
          `The entity name for ${kind} must be a valid integer broker id, found: ${name}`,
          "java.lang.IllegalArgumentException",
        );
      }
      source = kind === "broker-loggers" ? undefined : name === "" ? 3 : 2;
    }
    const c = await this.node(kind, name);
    const res = await c.send<DescribeConfigsResponse>(DESCRIBE_CONFIGS, {
      resources: [{ resourceType: RESOURCE[kind], resourceName: name, configurationKeys: null }],
      includeSynonyms,
      includeDocumentation: false,
    });
    const r = res.results[0];
    if (r.errorCode !== 0) throw brokerError(r.errorCode, r.errorMessage);
    const entries = r.configs.filter((e) =>
      all || source === undefined || e.configSource === source
    );
    if (kind !== "broker-loggers") return entries;
    // The AdminClient's Config keeps entries in a java.util.HashMap: a broker's loggers come in
    // the order of its Scala map and are printed in that HashMap's.
    const byName = new Map(entries.map((e) => [e.name, e]));
    return javaHashOrder(entries.map((e) => e.name), javaStringHash).map((n) => byName.get(n)!);
  }

  /** The entities a describe without a name covers. */
  private async allNames(kind: ResourceKind): Promise<string[]> {
    if (kind === "topics") {
      const md = await this.client.metadata(null);
      // ListTopicsResult.names(): the key set of a java.util.HashMap.
      return javaHashOrder(md.topics.map((t) => t.name), javaStringHash);
    }
    const c = await this.client.any();
    const res = await c.send<DescribeClusterResponse>(DESCRIBE_CLUSTER, {
      includeClusterAuthorizedOperations: false,
    });
    if (res.errorCode !== 0) throw brokerError(res.errorCode, res.errorMessage);
    // DescribeClusterResponse.nodes(): a HashMap by Integer id.
    const ids = javaHashOrder(res.brokers.map((b) => b.brokerId), (id) => id);
    return [...ids.map(String), ""];
  }

  /** describeResourceConfig. */
  async describe(kind: ResourceKind, name: string | undefined, all: boolean): Promise<void> {
    const names = name !== undefined ? [name] : await this.allNames(kind);
    for (const entity of names) {
      if (entity === "") this.out(`Default configs for ${kind} in the cluster are:\n`);
      else {
        this.out(`${all ? "All" : "Dynamic"} configs for ${kind.slice(0, -1)} ${entity} are:\n`);
      }
      for (const e of await this.resourceConfig(kind, entity, true, all)) {
        const synonyms = (e.synonyms ?? []).map((s) =>
          `${SOURCES[s.source] ?? "UNKNOWN"}:${s.name}=${s.value}`
        )
          .join(", ");
        this.out(`  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms}}\n`);
      }
    }
  }

  /** The topic and broker-logger branches: IncrementalAlterConfigs of SETs then DELETEs. */
  async alterIncremental(
    kind: "topics" | "broker-loggers",
    name: string,
    added: ReadonlyMap<string, string>,
    deleted: readonly string[],
  ): Promise<void> {
    if (kind === "topics") {
      const old = new Set((await this.resourceConfig(kind, name, false, false)).map((e) => e.name));
      invalidIfMissing(deleted.filter((k) => !old.has(k)), "Invalid config(s)");
    } else {
      const valid = new Set(
        (await this.resourceConfig(kind, name, true, false)).map((e) => e.name),
      );
      invalidIfMissing(
        [
          ...deleted.filter((k) => !valid.has(k)),
          ...[...added.keys()].filter((k) => !valid.has(k)),
        ],
        "Invalid broker logger(s)",
      );
    }
    const configs = [
      ...scalaMapOrder([...added.keys()]).map((k) => ({
        name: k,
        configOperation: SET,
        value: added.get(k)!,
      })),
      ...deleted.map((k) => ({ name: k, configOperation: DELETE, value: "" })),
    ];
    const c = await this.node(kind, name);
    const res = await c.send<IncrementalAlterConfigsResponse>(INCREMENTAL_ALTER_CONFIGS, {
      resources: [{ resourceType: RESOURCE[kind], resourceName: name, configs }],
      validateOnly: false,
    });
    const r = res.responses[0];
    if (r.errorCode !== 0) throw brokerError(r.errorCode, r.errorMessage);
  }

  /** The broker branch: the broker's dynamic set with the changes, sent whole by AlterConfigs. */
  async alterBroker(
    name: string,
    added: ReadonlyMap<string, string>,
    deleted: readonly string[],
  ): Promise<void> {
    const old = new Map(
      (await this.resourceConfig("brokers", name, false, false)).map((e) => [e.name, e.value]),
    );
    invalidIfMissing(deleted.filter((k) => !old.has(k)), "Invalid config(s)");
    // `oldConfig ++ configsToBeAdded -- configsToBeDeleted`, Scala immutable maps.
    let keys = scalaMapOrder([...old.keys()]);
    const entries = new Map(old);
    for (const k of scalaMapOrder([...added.keys()])) {
      if (!entries.has(k)) keys = scalaMapOrder([...keys, k]);
      entries.set(k, added.get(k)!);
    }
    keys = scalaMapOrder(keys.filter((k) => !deleted.includes(k)));
    const sensitive = keys.filter((k) => entries.get(k) === null);
    if (sensitive.length > 0) {
      throw new ConfigCommandError(
        `All sensitive broker config entries must be specified for --alter, missing entries: Set(${
          sensitive.join(", ")
        })`,
        "org.apache.kafka.common.errors.InvalidConfigurationException",
      );
    }
    const c = await this.node("brokers", name);
    const res = await c.send<AlterConfigsResponse>(ALTER_CONFIGS, {
      resources: [{
        resourceType: RESOURCE.brokers,
        resourceName: name,
        configs: keys.map((k) => ({ name: k, value: entries.get(k)! })),
      }],
      validateOnly: false,
    });
    const r = res.responses[0];
    if (r.errorCode !== 0) throw brokerError(r.errorCode, r.errorMessage);
  }
}

function invalidIfMissing(missing: readonly string[], what: string): void {
  if (missing.length > 0) {
    throw new ConfigCommandError(
      `${what}: ${missing.join(",")}`,
      "org.apache.kafka.common.errors.InvalidConfigurationException",
    );
  }
}
