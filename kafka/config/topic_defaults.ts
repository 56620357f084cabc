/**
 * The default of each topic config, derived from the broker's config as Kafka 2.8 derives it
 * (LogConfig's broker synonyms): what DescribeConfigs shows as DEFAULT_CONFIG / STATIC_BROKER_CONFIG
 * for a topic without overrides, and what the log runs with.
 *
 * @module
 */
import { TOPIC_SYNONYMS } from "./broker_config_defs.ts";
import type { BrokerConfig } from "./server_properties.ts";
import { TOPIC_CONFIGS } from "./topic_config.ts";

/**
 * Every topic config name → its default text under `broker`. retention.ms, segment.ms,
 * segment.jitter.ms, flush.ms and message.format.version come from the resolved ms/minutes/hours family; the throttled
 * replica lists have no synonym and default to "".
 *
 * @example
 * ```ts
 * topicDefaults(config).get("retention.ms"); // "604800000" with log.retention.hours=168
 * ```
 */
export function topicDefaults(broker: BrokerConfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of TOPIC_CONFIGS.keys()) {
    const key = TOPIC_SYNONYMS.get(name);
    if (key === undefined) {
      out.set(name, "");
      continue;
    }
    const value = broker.values.get(key);
    out.set(name, Array.isArray(value) ? value.join(",") : broker.raw.get(key) ?? "");
  }
  // Resolved families: the ms key may be unset while minutes/hours decide.
  out.set("retention.ms", String(broker.logRetentionMs));
  out.set("segment.ms", String(broker.logRollMs));
  out.set("segment.jitter.ms", String(broker.logRollJitterMs));
  // LogConfig takes the resolved ApiVersion: "2.1" becomes "2.1-IV2".
  out.set("message.format.version", broker.logMessageFormatVersion);
  out.set(
    "flush.ms",
    broker.raw.get("log.flush.interval.ms") ?? broker.raw.get("log.flush.scheduler.interval.ms") ??
      "",
  );
  return out;
}
