/**
 * Topic auto-creation as Apache Kafka 2.8.2's broker does it (AutoTopicCreationManager, ZooKeeper
 * mode): a Metadata request naming topics the broker does not know, with
 * allow_auto_topic_creation and auto.create.topics.enable, creates them through the CreateTopics
 * path with timeout 0 (num.partitions and default.replication.factor; the internal topics with
 * their own sizes and configs) and answers LEADER_NOT_AVAILABLE for each: the client asks again.
 * Errors other than "already exists" and the timeout are answered as they are: with
 * default.replication.factor above the live brokers that is INVALID_REPLICATION_FACTOR, the topic
 * not created. `__consumer_offsets` is created the same way when a coordinator is looked up; with
 * offsets.topic.replication.factor=3 (the default) on one broker that fails every time, which is
 * why FindCoordinator then answers COORDINATOR_NOT_AVAILABLE for ever (the well-known trap; the
 * seed's and the tests' server.properties set it to 1).
 *
 * @module
 */
import type { ApiResult } from "./admin_errors.ts";
import { ErrorCode } from "./admin_errors.ts";
import type { TopicAdminSettings } from "./admin_settings.ts";
import type { CreateTopicSpec, TopicAdmin } from "./topic_admin.ts";
import {
  GROUP_METADATA_TOPIC,
  isInternalTopic,
  topicNameProblem,
  TRANSACTION_STATE_TOPIC,
} from "./topic_name.ts";

/** One topic of a Metadata response that auto-creation answered. */
export interface AutoCreatedTopic {
  readonly name: string;
  readonly errorCode: number;
  readonly isInternal: boolean;
}

/**
 * The CreateTopics entry Kafka auto-creates `name` with: the internal topics' sizes and configs
 * (GroupCoordinator.offsetsTopicConfigs, TransactionStateManager's), else the broker defaults.
 */
export function autoCreateSpec(name: string, s: TopicAdminSettings): CreateTopicSpec {
  const configs = (entries: [string, string][]) => entries.map(([k, v]) => ({ name: k, value: v }));
  if (name === GROUP_METADATA_TOPIC) {
    return {
      name,
      numPartitions: s.offsetsTopicPartitions,
      replicationFactor: s.offsetsTopicReplicationFactor,
      assignments: [],
      configs: configs([
        ["cleanup.policy", "compact"],
        ["segment.bytes", String(s.offsetsTopicSegmentBytes)],
        ["compression.type", "producer"],
      ]),
    };
  }
  if (name === TRANSACTION_STATE_TOPIC) {
    return {
      name,
      numPartitions: s.transactionTopicPartitions,
      replicationFactor: s.transactionTopicReplicationFactor,
      assignments: [],
      configs: configs([
        ["segment.bytes", String(s.transactionTopicSegmentBytes)],
        ["cleanup.policy", "compact"],
        ["min.insync.replicas", String(s.transactionTopicMinIsr)],
        ["unclean.leader.election.enable", "false"],
        ["compression.type", "uncompressed"],
      ]),
    };
  }
  return {
    name,
    numPartitions: s.numPartitions,
    replicationFactor: s.defaultReplicationFactor,
    assignments: [],
    configs: [],
  };
}

/** The broker's auto-creation, shared by Metadata and the coordinators. */
export class AutoTopicCreator {
  readonly #inflight = new Set<string>();

  constructor(private readonly admin: TopicAdmin) {}

  /** auto.create.topics.enable */
  get enabled(): boolean {
    return this.admin.settings.autoCreateTopicsEnable;
  }

  /**
   * Creates `names` (topics Metadata did not find) and says what to answer for each: invalid
   * names INVALID_TOPIC_EXCEPTION, a creation already under way UNKNOWN_TOPIC_OR_PARTITION, a
   * created (or concurrently created) topic LEADER_NOT_AVAILABLE, any other failure its code.
   */
  async createTopics(names: readonly string[]): Promise<AutoCreatedTopic[]> {
    const refused: AutoCreatedTopic[] = [];
    const specs: CreateTopicSpec[] = [];
    for (const name of new Set(names)) {
      const isInternal = isInternalTopic(name);
      if (topicNameProblem(name) !== null) {
        refused.push({ name, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, isInternal });
      } else if (this.#inflight.has(name)) {
        refused.push({ name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, isInternal });
      } else {
        this.#inflight.add(name);
        specs.push(autoCreateSpec(name, this.admin.settings));
      }
    }
    if (specs.length === 0) return refused;
    try {
      const outcomes = await this.admin.createTopics(specs, { timeoutMs: 0, validateOnly: false });
      return [
        ...refused,
        ...outcomes.map((o) => {
          const code = o.result.code;
          const created = code === ErrorCode.TOPIC_ALREADY_EXISTS ||
            code === ErrorCode.REQUEST_TIMED_OUT;
          return {
            name: o.name,
            errorCode: created ? ErrorCode.LEADER_NOT_AVAILABLE : code,
            isInternal: isInternalTopic(o.name),
          };
        }),
      ];
    } finally {
      for (const s of specs) this.#inflight.delete(s.name);
    }
  }

  /**
   * Creates an internal topic (`__consumer_offsets`, `__transaction_state`) if the broker does not
   * know it, as a coordinator lookup does; resolves with the creation's result (NONE when it
   * already exists, REQUEST_TIMED_OUT when just created, or the refusal: with the replication
   * factor above the live brokers, INVALID_REPLICATION_FACTOR "Replication factor: 3 larger than
   * available brokers: 1.").
   */
  async ensureInternalTopic(name: string): Promise<ApiResult> {
    if (this.admin.controllerState.topics.has(name)) return { code: ErrorCode.NONE, message: null };
    if (this.#inflight.has(name)) {
      return { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: null };
    }
    this.#inflight.add(name);
    try {
      const [o] = await this.admin.createTopics([autoCreateSpec(name, this.admin.settings)], {
        timeoutMs: 0,
        validateOnly: false,
      });
      return o.result;
    } finally {
      this.#inflight.delete(name);
    }
  }
}
