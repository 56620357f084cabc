/**
 * A topic's configs as CreateTopics v5+ returns them (ZkAdminManager.createTopicConfigEntry):
 * the 26 topic configs in the order Apache 2.8.2 lists them (LogConfig's Java hash order, as
 * recorded from its CreateTopics v7 responses here), each with its value and source: 1
 * (DYNAMIC_TOPIC_CONFIG) for an override, 4 (STATIC_BROKER_CONFIG) when server.properties sets the
 * broker key it defaults from, 5 (DEFAULT_CONFIG) otherwise.
 *
 * @module
 */

/** ConfigSource values (DescribeConfigs' config_source). */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

/** Apache 2.8.2's order of a topic's configs (CreateTopics v7 and DescribeConfigs responses). */
export const TOPIC_CONFIG_ORDER: readonly string[] = [
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

/**
 * The broker keys each topic config defaults from (a key of the family set explicitly makes the
 * source STATIC_BROKER_CONFIG). The five Apache lists without synonyms are always defaults.
 */
const BROKER_SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map([
  ["cleanup.policy", ["log.cleanup.policy"]],
  ["compression.type", ["compression.type"]],
  ["delete.retention.ms", ["log.cleaner.delete.retention.ms"]],
  ["file.delete.delay.ms", ["log.segment.delete.delay.ms"]],
  ["flush.messages", ["log.flush.interval.messages"]],
  ["index.interval.bytes", ["log.index.interval.bytes"]],
  ["max.compaction.lag.ms", ["log.cleaner.max.compaction.lag.ms"]],
  ["max.message.bytes", ["message.max.bytes"]],
  ["message.downconversion.enable", ["log.message.downconversion.enable"]],
  ["message.format.version", ["log.message.format.version"]],
  ["message.timestamp.difference.max.ms", ["log.message.timestamp.difference.max.ms"]],
  ["message.timestamp.type", ["log.message.timestamp.type"]],
  ["min.cleanable.dirty.ratio", ["log.cleaner.min.cleanable.ratio"]],
  ["min.compaction.lag.ms", ["log.cleaner.min.compaction.lag.ms"]],
  ["min.insync.replicas", ["min.insync.replicas"]],
  ["preallocate", ["log.preallocate"]],
  ["retention.bytes", ["log.retention.bytes"]],
  ["retention.ms", ["log.retention.ms", "log.retention.minutes", "log.retention.hours"]],
  ["segment.bytes", ["log.segment.bytes"]],
  ["segment.index.bytes", ["log.index.size.max.bytes"]],
  ["unclean.leader.election.enable", ["unclean.leader.election.enable"]],
]);

/** One entry of CreateTopics v5+'s `configs`. */
export interface TopicConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  configSource: number;
  isSensitive: boolean;
}

/**
 * The entries for a topic with `overrides`, under a broker whose topic defaults are `defaults`
 * and whose server.properties set `explicit` keys.
 *
 * @example
 * ```ts
 * topicConfigEntries(new Map([["retention.ms", "1000"]]), defaults, new Set())[9];
 * // { name: "retention.ms", value: "1000", readOnly: false, configSource: 1, isSensitive: false }
 * ```
 */
export function topicConfigEntries(
  overrides: ReadonlyMap<string, string>,
  defaults: ReadonlyMap<string, string>,
  explicit: ReadonlySet<string>,
): TopicConfigEntry[] {
  return TOPIC_CONFIG_ORDER.map((name) => {
    const override = overrides.get(name);
    let configSource: number = ConfigSource.DEFAULT_CONFIG;
    if (override !== undefined) configSource = ConfigSource.DYNAMIC_TOPIC_CONFIG;
    else if ((BROKER_SYNONYMS.get(name) ?? []).some((k) => explicit.has(k))) {
      configSource = ConfigSource.STATIC_BROKER_CONFIG;
    }
    return {
      name,
      value: override ?? defaults.get(name) ?? null,
      readOnly: false,
      configSource,
      isSensitive: false,
    };
  });
}
