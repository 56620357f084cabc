/**
 * The broker settings topic administration reads (KafkaConfig's num.partitions,
 * default.replication.factor, delete.topic.enable, auto.create.topics.enable, the internal
 * topics' sizes) and the topic defaults CreateTopics reports, taken from server.properties.
 *
 * @module
 */
import type { BrokerConfig } from "../config/server_properties.ts";
import { topicDefaults } from "../config/topic_defaults.ts";

/** What TopicAdmin and auto-creation need from the broker's config. */
export interface TopicAdminSettings {
  readonly numPartitions: number;
  readonly defaultReplicationFactor: number;
  readonly deleteTopicEnable: boolean;
  readonly autoCreateTopicsEnable: boolean;
  readonly offsetsTopicPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly offsetsTopicSegmentBytes: number;
  readonly transactionTopicPartitions: number;
  readonly transactionTopicReplicationFactor: number;
  readonly transactionTopicSegmentBytes: number;
  readonly transactionTopicMinIsr: number;
  /** Every topic config's default under this broker (topicDefaults). */
  readonly topicDefaults: ReadonlyMap<string, string>;
  /** The keys server.properties sets (their topic configs report STATIC_BROKER_CONFIG). */
  readonly explicitBrokerKeys: ReadonlySet<string>;
}

/**
 * The settings of a broker running `config`.
 *
 * @example
 * ```ts ignore
 * const s = topicAdminSettings(parseServerProperties(text, "server.properties").config);
 * s.numPartitions; // 1 by default
 * ```
 */
export function topicAdminSettings(config: BrokerConfig): TopicAdminSettings {
  const num = (k: string, fallback: number) => {
    const v = config.values.get(k);
    return typeof v === "number" ? v : fallback;
  };
  const bool = (k: string, fallback: boolean) => {
    const v = config.values.get(k);
    return typeof v === "boolean" ? v : fallback;
  };
  return {
    numPartitions: num("num.partitions", 1),
    defaultReplicationFactor: num("default.replication.factor", 1),
    deleteTopicEnable: bool("delete.topic.enable", true),
    autoCreateTopicsEnable: bool("auto.create.topics.enable", true),
    offsetsTopicPartitions: num("offsets.topic.num.partitions", 50),
    offsetsTopicReplicationFactor: num("offsets.topic.replication.factor", 3),
    offsetsTopicSegmentBytes: num("offsets.topic.segment.bytes", 104857600),
    transactionTopicPartitions: num("transaction.state.log.num.partitions", 50),
    transactionTopicReplicationFactor: num("transaction.state.log.replication.factor", 3),
    transactionTopicSegmentBytes: num("transaction.state.log.segment.bytes", 104857600),
    transactionTopicMinIsr: num("transaction.state.log.min.isr", 2),
    topicDefaults: topicDefaults(config),
    explicitBrokerKeys: config.explicit,
  };
}
