/**
 * DescribeConfigs (key 32), v0–v4, as Apache Kafka 2.8.2 answers it in ZooKeeper mode: a
 * topic's configs (its overrides read from `/config/topics/<t>` at each request, as Kafka reads
 * them), this broker's configs, or the cluster-wide dynamic ones (resource ""), with sources
 * and, when asked, synonyms in Kafka's order (kafka/config/describe_configs.ts), or this broker's
 * loggers and their levels (BROKER_LOGGER, kafka/config/broker_loggers.ts). Documentation is
 * null even when asked: herd does not carry Kafka's doc strings. A resource type Kafka does not
 * know fails every resource of the request, as KafkaApis' check before any is described.
 *
 * @module
 */
import {
  type BrokerConfigState,
  BrokerLoggers,
  type ConfigEntry,
  ConfigErrors,
  ConfigSource,
  describeBrokerConfigs,
  describeDefaultBrokerConfigs,
  describeTopicConfigs,
  INVALID_REQUEST_MESSAGE,
  parseJavaInt,
  ResourceType,
} from "../config/mod.ts";
import { Logger } from "../../internal/log.ts";
import { topicNameProblem } from "../controller/topic_name.ts";
import { javaHashOrder, javaStringHash } from "../../internal/java_hash.ts";
import { scala212HashMapOrder } from "../controller/_scala_map_order.ts";
import type {
  DescribeConfigsRequest,
  DescribeConfigsResource,
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
  DescribeConfigsResult,
} from "../protocol/messages/describe_configs.ts";
import type { Handler } from "./handler.ts";

/** What DescribeConfigs reads. */
export interface DescribeConfigsDeps {
  state: BrokerConfigState;
  /** A topic's overrides (ConfigRepository.topicConfig). */
  topicConfig(topic: string): Promise<Map<string, string>>;
  /** Whether the topic exists. */
  topicExists(topic: string): boolean | Promise<boolean>;
  /** The broker's loggers (BROKER_LOGGER); default: those of a Logger of its own. */
  loggers?: BrokerLoggers;
}

function toResult(e: ConfigEntry, includeSynonyms: boolean): DescribeConfigsResourceResult {
  return {
    name: e.name,
    value: e.value,
    readOnly: e.readOnly,
    // Apache 2.8.2 never sets is_default: v0 clients read false for every entry.
    isDefault: false,
    configSource: e.source,
    isSensitive: e.isSensitive,
    synonyms: includeSynonyms ? e.synonyms : [],
    configType: e.configType,
    // Kafka leaves a logger entry's documentation unset, which its message class sends as "".
    documentation: e.source === ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG ? "" : null,
  };
}

function failed(type: number, name: string, code: number, message: string): DescribeConfigsResult {
  return {
    errorCode: code,
    errorMessage: message,
    resourceType: type,
    resourceName: name,
    configs: [],
  };
}

/**
 * Builds the DescribeConfigs handler.
 *
 * @example
 * ```ts ignore
 * registry.register(32, describeConfigsHandler({ state, topicConfig: (t) => repo.topicConfig(t), topicExists }));
 * ```
 */
export function describeConfigsHandler(
  deps: DescribeConfigsDeps,
): Handler<DescribeConfigsRequest, DescribeConfigsResponse> {
  const loggers = deps.loggers ?? new BrokerLoggers(new Logger("", "INFO", () => {}));
  return async (request) => {
    const includeSynonyms = request.includeSynonyms ?? false;
    const known: number[] = [ResourceType.TOPIC, ResourceType.BROKER, ResourceType.BROKER_LOGGER];
    if (request.resources.some((r) => !known.includes(r.resourceType))) {
      // KafkaApis throws before describing any: every resource gets the error's default text.
      const results = request.resources.map((r) =>
        failed(
          r.resourceType,
          r.resourceName,
          ConfigErrors.INVALID_REQUEST,
          INVALID_REQUEST_MESSAGE,
        )
      );
      return { throttleTimeMs: 0, results };
    }
    const results: DescribeConfigsResult[] = [];
    for (const r of request.resources) {
      try {
        results.push(await describeOne(deps, loggers, r, includeSynonyms));
      } catch {
        // ZooKeeper failed under us: Kafka answers that resource UNKNOWN_SERVER_ERROR, no text.
        results.push({
          errorCode: ConfigErrors.UNKNOWN_SERVER_ERROR,
          errorMessage: null,
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: [],
        });
      }
    }
    return { throttleTimeMs: 0, results };
  };
}

/** One resource's answer. */
async function describeOne(
  deps: DescribeConfigsDeps,
  loggers: BrokerLoggers,
  r: DescribeConfigsResource,
  includeSynonyms: boolean,
): Promise<DescribeConfigsResult> {
  const { resourceType: type, resourceName: name } = r;
  const own = deps.state.brokerId;
  const bad = (message: string) => failed(type, name, ConfigErrors.INVALID_REQUEST, message);
  const notAnId = `Broker id must be an integer, but it is: ${name}`;
  let entries: ConfigEntry[];
  if (type === ResourceType.TOPIC) {
    const problem = topicNameProblem(name);
    if (problem !== null) {
      return failed(type, name, ConfigErrors.INVALID_TOPIC_EXCEPTION, problem);
    }
    if (!(await deps.topicExists(name))) {
      return failed(type, name, ConfigErrors.UNKNOWN_TOPIC_OR_PARTITION, "");
    }
    entries = describeTopicConfigs(deps.state, await deps.topicConfig(name));
  } else if (type === ResourceType.BROKER) {
    if (name === "") entries = describeDefaultBrokerConfigs(deps.state);
    else {
      const id = parseJavaInt(name);
      if (id === null) return bad(notAnId);
      if (id !== own) {
        return bad(`Unexpected broker id, expected ${own} or empty string, but received ${name}`);
      }
      entries = describeBrokerConfigs(deps.state);
    }
  } else {
    if (name === "") return bad("Broker id must not be empty");
    const id = parseJavaInt(name);
    if (id === null) return bad(notAnId);
    if (id !== own) return bad(`Unexpected broker id, expected ${own} but received ${name}`);
    entries = loggers.all().map(({ name, level }) => ({
      name,
      value: level,
      readOnly: false,
      source: ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG,
      isSensitive: false,
      synonyms: [],
      configType: 0,
    }));
  }
  const keys = r.configurationKeys;
  if (keys !== null && keys.length > 0) {
    // Kafka filters its map into a new, small one: the survivors come out in that map's
    // order (a Java HashMap's, or for the cluster default and the loggers a Scala HashMap's).
    const wanted = new Set(keys);
    const kept = entries.filter((e) => wanted.has(e.name));
    const byName = new Map(kept.map((e) => [e.name, e]));
    const names = kept.map((e) => e.name);
    const order = (type === ResourceType.BROKER && name === "") ||
        type === ResourceType.BROKER_LOGGER
      ? scala212HashMapOrder(names)
      : javaHashOrder(names, javaStringHash);
    entries = order.map((n) => byName.get(n)!);
  }
  return {
    errorCode: 0,
    errorMessage: "",
    resourceType: type,
    resourceName: name,
    configs: entries.map((e) => toResult(e, includeSynonyms)),
  };
}
