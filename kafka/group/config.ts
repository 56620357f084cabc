/**
 * The broker settings the group coordinator reads, with Apache Kafka 2.8.2's defaults
 * (KafkaConfig / GroupConfig / OffsetConfig).
 *
 * @module
 */

/** What the coordinator is configured with. */
export interface GroupCoordinatorConfig {
  /** group.min.session.timeout.ms */
  groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  groupMaxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms */
  groupInitialRebalanceDelayMs: number;
  /** group.max.size */
  groupMaxSize: number;
  /** offsets.retention.minutes, in ms. */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  offsetsRetentionCheckIntervalMs: number;
  /** offset.metadata.max.bytes */
  offsetMetadataMaxBytes: number;
  /** offsets.topic.num.partitions */
  offsetsTopicPartitions: number;
}

/** Apache 2.8.2's defaults. */
export const DEFAULT_GROUP_CONFIG: Readonly<GroupCoordinatorConfig> = Object.freeze({
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 3000,
  groupMaxSize: 2147483647,
  offsetsRetentionMs: 10080 * 60_000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetMetadataMaxBytes: 4096,
  offsetsTopicPartitions: 50,
});

/** How long a member that joined during a rebalance may wait before it is dropped. */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * The coordinator's settings from a broker's parsed server.properties values (BrokerConfig's
 * `values`); keys not given keep Apache's defaults.
 *
 * @example
 * ```ts
 * groupConfigFrom(new Map([["offsets.retention.minutes", 1]])).offsetsRetentionMs; // 60000
 * ```
 */
export function groupConfigFrom(
  values: ReadonlyMap<string, unknown>,
): GroupCoordinatorConfig {
  const num = (key: string, fallback: number): number => {
    const v = values.get(key);
    return typeof v === "number" ? v : typeof v === "string" && v !== "" ? Number(v) : fallback;
  };
  const d = DEFAULT_GROUP_CONFIG;
  return {
    groupMinSessionTimeoutMs: num("group.min.session.timeout.ms", d.groupMinSessionTimeoutMs),
    groupMaxSessionTimeoutMs: num("group.max.session.timeout.ms", d.groupMaxSessionTimeoutMs),
    groupInitialRebalanceDelayMs: num(
      "group.initial.rebalance.delay.ms",
      d.groupInitialRebalanceDelayMs,
    ),
    groupMaxSize: num("group.max.size", d.groupMaxSize),
    offsetsRetentionMs: num("offsets.retention.minutes", d.offsetsRetentionMs / 60_000) * 60_000,
    offsetsRetentionCheckIntervalMs: num(
      "offsets.retention.check.interval.ms",
      d.offsetsRetentionCheckIntervalMs,
    ),
    offsetMetadataMaxBytes: num("offset.metadata.max.bytes", d.offsetMetadataMaxBytes),
    offsetsTopicPartitions: num("offsets.topic.num.partitions", d.offsetsTopicPartitions),
  };
}
