/**
 * Metadata (key 3), v0–v11, as Apache Kafka 2.8.2 answers it from its metadata cache: the live
 * brokers, the cluster id (v2+), the controller (v1+), and the topics asked for. v0's empty list
 * and v1+'s null mean every topic; v1+'s empty list means none. A topic the broker does not know
 * gets UNKNOWN_TOPIC_OR_PARTITION with no partitions; allow_auto_topic_creation is read but
 * creating the topic is the controller's job (not built yet), so it is answered the same way.
 *
 * @module
 */
import type {
  MetadataRequest,
  MetadataResponse,
  MetadataResponsePartition,
  MetadataResponseTopic,
} from "../protocol/messages/metadata.ts";
import { ZERO_UUID } from "../protocol/uuid.ts";
import type { BrokerState, PartitionState, TopicState } from "../server/broker_state.ts";
import type { RequestContext } from "./handler.ts";

/** Kafka's UNKNOWN_TOPIC_OR_PARTITION. */
export const UNKNOWN_TOPIC_OR_PARTITION = 3;
/** Kafka's LEADER_NOT_AVAILABLE. */
export const LEADER_NOT_AVAILABLE = 5;

/**
 * Answers Metadata. Known topics come first, in the order asked (or the broker's order for all
 * topics), then the unknown ones, as Apache lists them; a name asked twice is answered once.
 *
 * @example
 * ```ts ignore
 * registry.register(3, handleMetadata);
 * ```
 */
export function handleMetadata(request: MetadataRequest, ctx: RequestContext): MetadataResponse {
  const state = ctx.broker;
  const all = request.topics === null || (ctx.apiVersion === 0 && request.topics.length === 0);
  const topics: MetadataResponseTopic[] = [];
  if (all) {
    for (const t of state.topics.values()) topics.push(topicMetadata(t, state));
  } else {
    const unknown: MetadataResponseTopic[] = [];
    const seen = new Set<string>();
    for (const { name } of request.topics!) {
      // A null name is asking by topic id (v10+), which 2.8.2 does not serve either: its
      // metadata cache is by name, and it answers such a topic as unknown.
      const key = name ?? "";
      if (seen.has(key)) continue;
      seen.add(key);
      const t = state.topics.get(key);
      if (t) topics.push(topicMetadata(t, state));
      else unknown.push(unknownTopic(key));
    }
    topics.push(...unknown);
  }
  return {
    throttleTimeMs: 0,
    brokers: state.brokers.map((b) => ({
      nodeId: b.id,
      host: b.host,
      port: b.port,
      rack: b.rack,
    })),
    clusterId: state.clusterId,
    controllerId: state.controllerId,
    topics,
  };
}

function unknownTopic(name: string): MetadataResponseTopic {
  return {
    errorCode: UNKNOWN_TOPIC_OR_PARTITION,
    name,
    topicId: ZERO_UUID,
    isInternal: false,
    partitions: [],
  };
}

function topicMetadata(t: TopicState, state: BrokerState): MetadataResponseTopic {
  return {
    errorCode: 0,
    name: t.name,
    topicId: t.topicId,
    isInternal: t.isInternal,
    partitions: t.partitions.map((p) => partitionMetadata(p, state)),
  };
}

function partitionMetadata(p: PartitionState, state: BrokerState): MetadataResponsePartition {
  const leaderAlive = p.leader >= 0 && state.brokers.some((b) => b.id === p.leader);
  return {
    errorCode: leaderAlive ? 0 : LEADER_NOT_AVAILABLE,
    partitionIndex: p.partition,
    leaderId: leaderAlive ? p.leader : -1,
    leaderEpoch: p.leaderEpoch,
    replicaNodes: [...p.replicas],
    isrNodes: [...p.isr],
    offlineReplicas: [...p.offlineReplicas],
  };
}
