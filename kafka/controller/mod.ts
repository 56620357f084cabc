/**
 * The Kafka 2.8 controller on ZooKeeper for one broker: the znode JSON it reads and writes, the
 * broker's start-up writes and session, the controller (election, topic lifecycle, deletions,
 * brokers), and topic administration as the broker does it (CreateTopics, DeleteTopics,
 * CreatePartitions, auto-creation), through zk/client.
 *
 * @module
 */
export * from "./znodes.ts";
export * from "./replica_assignment.ts";
export * from "./zk_bootstrap.ts";
export * from "./admin_errors.ts";
export * from "./topic_name.ts";
export { ControllerMovedError, FencedZk } from "./fenced_zk.ts";
export { AdminZk } from "./admin_zk.ts";
export {
  type ControllerOptions,
  KafkaController,
  type LeaderPartition,
  type LocalReplicas,
} from "./controller.ts";
export { KafkaZkSession, type KafkaZkSessionOptions } from "./zk_session.ts";
export { type TopicAdminSettings, topicAdminSettings } from "./admin_settings.ts";
export {
  type AdminRequestOptions,
  type CreatePartitionsSpec,
  type CreateTopicOutcome,
  type CreateTopicSpec,
  type DeleteTopicOutcome,
  type DeleteTopicSpec,
  TopicAdmin,
  type TopicAdminOptions,
} from "./topic_admin.ts";
export { type AutoCreatedTopic, autoCreateSpec, AutoTopicCreator } from "./auto_create.ts";
export { ConfigSource, TOPIC_CONFIG_ORDER, topicConfigEntries } from "./topic_config_entries.ts";
