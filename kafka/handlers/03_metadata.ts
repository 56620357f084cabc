/**
 * Metadata (key 3), v0–v11, as Apache Kafka 2.8.2 answers it from its metadata cache: the live
 * brokers, the cluster id (v2+), the controller (v1+), and the topics asked for. v0's empty list
 * and v1+'s null mean every topic; v1+'s empty list means none. A topic the broker does not know
 * gets UNKNOWN_TOPIC_OR_PARTITION with no partitions (INVALID_TOPIC_EXCEPTION when its name is
 * not a legal topic name). Built by {@link metadataHandler} with an auto-creator, unknown topics
 * are created when the request allows it (v0–v3 always do, v4+ say so in
 * allow_auto_topic_creation) and auto.create.topics.enable is on: Apache 2.8.2 then answers
 * LEADER_NOT_AVAILABLE for each (or the creation's error), and the client asks again.
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
import type { Handler, RequestContext } from "./handler.ts";
import { topicNameProblem } from "../controller/topic_name.ts";
import { MetadataCacheOrder, namedTopicOrder } from "../server/metadata_cache_order.ts";

/** Kafka's UNKNOWN_TOPIC_OR_PARTITION. */
export const UNKNOWN_TOPIC_OR_PARTITION = 3;
/** Kafka's LEADER_NOT_AVAILABLE. */
export const LEADER_NOT_AVAILABLE = 5;
/** Kafka's INVALID_TOPIC_EXCEPTION. */
export const INVALID_TOPIC_EXCEPTION = 17;

/** Topic auto-creation as Metadata uses it (kafka/controller's AutoTopicCreator). */
export interface MetadataAutoCreate {
  /** auto.create.topics.enable */
  readonly enabled: boolean;
  /** Creates the topics; what to answer for each. */
  createTopics(
    names: readonly string[],
  ): Promise<readonly { name: string; errorCode: number; isInternal: boolean }[]>;
}

/**
 * Metadata with auto-creation of unknown topics (Apache 2.8.2's behaviour with
 * auto.create.topics.enable); without `autoCreate` it is {@link handleMetadata}.
 *
 * @example
 * ```ts ignore
 * registry.register(3, metadataHandler(autoTopicCreator));
 * ```
 */
export function metadataHandler(autoCreate?: MetadataAutoCreate): Handler<
  MetadataRequest,
  MetadataResponse
> {
  return (request, ctx) => {
    const { response, unknown } = answer(request, ctx);
    const allowed = ctx.apiVersion < 4 || request.allowAutoTopicCreation !== false;
    if (autoCreate === undefined || !autoCreate.enabled || !allowed || unknown.length === 0) {
      response.topics.push(...unknown.map(unknownTopic));
      return response;
    }
    return autoCreate.createTopics(unknown).then((created) => {
      for (const t of created) {
        response.topics.push({
          errorCode: t.errorCode,
          name: t.name,
          topicId: ZERO_UUID,
          isInternal: t.isInternal,
          partitions: [],
        });
      }
      return response;
    });
  };
}

/**
 * Answers Metadata. Topics and partitions come in the order Apache 2.8.2's metadata cache lists
 * them (kafka/server/metadata_cache_order.ts): for named topics the known ones first, then the
 * unknown ones, each in the order of a Scala Set of the names; a name asked twice is answered
 * once.
 *
 * @example
 * ```ts ignore
 * registry.register(3, handleMetadata);
 * ```
 */
export function handleMetadata(request: MetadataRequest, ctx: RequestContext): MetadataResponse {
  const { response, unknown } = answer(request, ctx);
  response.topics.push(...unknown.map(unknownTopic));
  return response;
}

/** The response with the known topics, and the names asked for that the broker does not know. */
function answer(
  request: MetadataRequest,
  ctx: RequestContext,
): { response: MetadataResponse; unknown: string[] } {
  const state = ctx.broker;
  const all = request.topics === null || (ctx.apiVersion === 0 && request.topics.length === 0);
  const order = state.metadataOrder ?? MetadataCacheOrder.of(state.topics);
  const topics: MetadataResponseTopic[] = [];
  const unknown: string[] = [];
  // A null name is asking by topic id (v10+), which 2.8.2 does not serve either: its metadata
  // cache is by name, and it answers such a topic as unknown ("" here).
  const names = all ? order.allTopics() : namedTopicOrder(
    request.topics!.map(({ name }) => name ?? ""),
    (name) => state.topics.has(name),
  );
  for (const name of names) {
    const t = state.topics.get(name);
    if (t) topics.push(topicMetadata(t, state, order));
    else if (!all) unknown.push(name);
  }
  if (all && topics.length < state.topics.size) {
    // Topics the model does not hold (a state changed without a publish) still get answered.
    const listed = new Set(names);
    for (const t of state.topics.values()) {
      if (!listed.has(t.name)) topics.push(topicMetadata(t, state, order));
    }
  }
  return {
    response: {
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
    },
    unknown,
  };
}

function unknownTopic(name: string): MetadataResponseTopic {
  // "" stands for a topic asked by id (null name), which 2.8.2 answers as unknown.
  const invalid = name !== "" && topicNameProblem(name) !== null;
  return {
    errorCode: invalid ? INVALID_TOPIC_EXCEPTION : UNKNOWN_TOPIC_OR_PARTITION,
    name,
    topicId: ZERO_UUID,
    isInternal: false,
    partitions: [],
  };
}

function topicMetadata(
  t: TopicState,
  state: BrokerState,
  order: MetadataCacheOrder,
): MetadataResponseTopic {
  const byIndex = new Map(t.partitions.map((p) => [p.partition, p]));
  const partitions: MetadataResponsePartition[] = [];
  for (const i of order.partitions(t.name)) {
    const p = byIndex.get(i);
    if (p === undefined) continue;
    byIndex.delete(i);
    partitions.push(partitionMetadata(p, state));
  }
  // Partitions the model does not hold (none, unless the state changed without a publish).
  for (const p of byIndex.values()) partitions.push(partitionMetadata(p, state));
  return { errorCode: 0, name: t.name, topicId: t.topicId, isInternal: t.isInternal, partitions };
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
