/**
 * kafka-topics.sh's broker mode (`--bootstrap-server`, TopicCommand.AdminClientTopicService in
 * Kafka 2.8): every action is a request to a broker, the ones the Java AdminClient sends —
 * CreateTopics, Metadata, DescribeConfigs, CreatePartitions, DeleteTopics — and the output and
 * errors are the tool's (recorded from Apache 2.8.2: `Created topic t.`, nothing for alter and
 * delete, the describe lines with the topic's non-default configs in the broker's order).
 *
 * @module
 */
import type { KafkaClient } from "../../kafka/client/mod.ts";
import type { CreateTopicsResponse } from "../../kafka/protocol/messages/create_topics.ts";
import type { CreatePartitionsResponse } from "../../kafka/protocol/messages/create_partitions.ts";
import type { DeleteTopicsResponse } from "../../kafka/protocol/messages/delete_topics.ts";
import type { DescribeConfigsResponse } from "../../kafka/protocol/messages/describe_configs.ts";
import type { MetadataResponseTopic } from "../../kafka/protocol/messages/metadata.ts";
import { ZERO_UUID } from "../../kafka/protocol/uuid.ts";
import { hasCollisionChars } from "./topic_name.ts";
import { parseConfigs, TopicCommandError, type TopicRequest } from "./zk_topics.ts";
import { partitionLine, type PartitionView, type TopicView } from "./describe.ts";

const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;
const DESCRIBE_CONFIGS = 32;
const CREATE_PARTITIONS = 37;
/** DescribeConfigs' resource type for a topic. */
const TOPIC_RESOURCE = 2;
/** ConfigSource DEFAULT_CONFIG: the entries --describe leaves out. */
const DEFAULT_CONFIG = 5;
/** What the tool waits for an admin request (AdminClient's default.api.timeout.ms is 60 s). */
const TIMEOUT_MS = 30_000;

/** The Java exception class the AdminClient raises for a Kafka error code. */
const EXCEPTION: Record<number, string> = {
  3: "UnknownTopicOrPartitionException",
  17: "InvalidTopicException",
  36: "TopicExistsException",
  37: "InvalidPartitionsException",
  38: "InvalidReplicationFactorException",
  39: "InvalidReplicaAssignmentException",
  40: "InvalidConfigurationException",
  41: "NotControllerException",
  42: "InvalidRequestException",
  44: "PolicyViolationException",
};

function fail(code: number, message: string | null | undefined, fallback: string): never {
  const cls = EXCEPTION[code] ?? "KafkaException";
  throw new TopicCommandError(message ?? fallback, `org.apache.kafka.common.errors.${cls}`);
}

/** One tool run against a cluster; `out` receives what the tool prints on stdout. */
export class AdminTopicService {
  constructor(private readonly client: KafkaClient, private readonly out: (text: string) => void) {}

  private async topicNames(excludeInternal: boolean): Promise<MetadataResponseTopic[]> {
    const md = await this.client.metadata(null);
    return md.topics.filter((t) => !(excludeInternal && t.isInternal))
      .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }

  /** The topics `--topic` (a whole-name Java regex, `,` for `|`) names, or all of them. */
  private async matching(r: TopicRequest): Promise<MetadataResponseTopic[]> {
    const all = await this.topicNames(r.excludeInternal);
    if (r.topic === undefined) return all;
    const re = new RegExp(`^(?:${r.topic.replaceAll(",", "|")})$`);
    return all.filter((t) => re.test(t.name));
  }

  private ensureExists(r: TopicRequest, found: readonly unknown[]): void {
    if (r.topic !== undefined && found.length === 0 && !r.ifExists) {
      throw new TopicCommandError(
        `Topic '${r.topic}' does not exist as expected`,
        "java.lang.IllegalArgumentException",
      );
    }
  }

  async create(r: TopicRequest): Promise<void> {
    const topic = r.topic!;
    if (hasCollisionChars(topic)) {
      this.out(
        "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n",
      );
    }
    const configs = parseConfigs(r.configs);
    const c = await this.client.any();
    const res = await c.send<CreateTopicsResponse>(CREATE_TOPICS, {
      topics: [{
        name: topic,
        numPartitions: r.partitions ?? -1,
        replicationFactor: r.replicationFactor ?? -1,
        assignments: [],
        configs: [...configs].map(([name, value]) => ({ name, value })),
      }],
      timeoutMs: TIMEOUT_MS,
      validateOnly: false,
    });
    const t = res.topics[0];
    if (t.errorCode === 36 && r.ifNotExists) return;
    if (t.errorCode !== 0) fail(t.errorCode, t.errorMessage, `Topic '${topic}' was not created`);
    this.out(`Created topic ${topic}.\n`);
  }

  async list(r: TopicRequest): Promise<void> {
    for (const t of await this.matching(r)) this.out(`${t.name}\n`);
  }

  async describe(r: TopicRequest): Promise<void> {
    const topics = await this.matching(r);
    this.ensureExists(r, topics);
    if (topics.length === 0) return;
    const c = await this.client.any();
    const configs = await c.send<DescribeConfigsResponse>(DESCRIBE_CONFIGS, {
      resources: topics.map((t) => ({
        resourceType: TOPIC_RESOURCE,
        resourceName: t.name,
        configurationKeys: null,
      })),
      includeSynonyms: false,
      includeDocumentation: false,
    });
    const live = new Set((await this.client.metadata([])).brokers.map((b) => b.nodeId));
    for (const t of topics) {
      const result = configs.results.find((x) => x.resourceName === t.name);
      const shown = (result?.configs ?? []).filter((e) =>
        (e.configSource ?? (e.isDefault ? DEFAULT_CONFIG : 1)) !== DEFAULT_CONFIG
      );
      const partitions: PartitionView[] = [...t.partitions]
        .sort((a, b) => a.partitionIndex - b.partitionIndex)
        .map((p) => ({
          partition: p.partitionIndex,
          replicas: p.replicaNodes,
          leader: p.leaderId,
          isr: p.isrNodes,
        }));
      const view: TopicView = {
        name: t.name,
        topicId: t.topicId,
        partitionsInZnodeOrder: partitions,
        configs: new Map(),
        markedForDeletion: false,
      };
      const report = r.underReplicated || r.unavailable;
      if (r.topicsWithOverrides) {
        if (shown.length > 0) this.out(topicLine(view, shown));
        continue;
      }
      if (!report) this.out(topicLine(view, shown));
      for (const p of partitions) {
        const unavailable = p.leader === null || p.leader === -1 || !live.has(p.leader);
        if (r.underReplicated && !(p.isr.length < p.replicas.length)) continue;
        if (r.unavailable && !unavailable) continue;
        this.out(partitionLine(view, p));
      }
    }
  }

  async alter(r: TopicRequest): Promise<void> {
    const topics = await this.matching(r);
    this.ensureExists(r, topics);
    if (r.partitions === undefined) return;
    const c = await this.client.any();
    const res = await c.send<CreatePartitionsResponse>(CREATE_PARTITIONS, {
      topics: topics.map((t) => ({ name: t.name, count: r.partitions!, assignments: null })),
      timeoutMs: TIMEOUT_MS,
      validateOnly: false,
    });
    for (const x of res.results) {
      if (x.errorCode !== 0) fail(x.errorCode, x.errorMessage, `Topic '${x.name}' not altered`);
    }
  }

  async delete(r: TopicRequest): Promise<void> {
    const topics = await this.matching(r);
    this.ensureExists(r, topics);
    if (topics.length === 0) return;
    const c = await this.client.any();
    const res = await c.send<DeleteTopicsResponse>(DELETE_TOPICS, {
      topicNames: topics.map((t) => t.name),
      // By name, with the zero id: 2.8.2 refuses a v6 entry that gives both.
      topics: topics.map((t) => ({ name: t.name, topicId: ZERO_UUID })),
      timeoutMs: TIMEOUT_MS,
    });
    for (const x of res.responses) {
      if (x.errorCode !== 0) fail(x.errorCode, x.errorMessage, `Topic '${x.name}' not deleted`);
    }
  }
}

/** The topic line with the configs in the order the broker listed them. */
function topicLine(t: TopicView, configs: { name: string; value: string | null }[]): string {
  const id = t.topicId === undefined ? "" : `\tTopicId: ${t.topicId}`;
  const rf = t.partitionsInZnodeOrder[0]?.replicas.length ?? 0;
  const shown = configs.map((e) => `${e.name}=${e.value ?? ""}`).join(",");
  return `Topic: ${t.name}${id}\tPartitionCount: ${t.partitionsInZnodeOrder.length}` +
    `\tReplicationFactor: ${rf}\tConfigs: ${shown}\n`;
}
