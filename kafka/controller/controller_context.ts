/**
 * What the controller knows between events (Kafka's ControllerContext, for one broker): the live
 * brokers with their epochs and registrations, each topic's id, replica assignment and partition
 * states with their zkVersions; and how that becomes the handlers' BrokerState.
 *
 * @module
 */
import type {
  BrokerNode,
  BrokerState,
  PartitionState as ServedPartition,
  TopicState,
} from "../server/broker_state.ts";
import { ZERO_UUID } from "../protocol/uuid.ts";
import { MetadataCacheOrder } from "../server/metadata_cache_order.ts";
import { isInternalTopic } from "./topic_name.ts";
import type { BrokerRegistration, PartitionState } from "./znodes.ts";

/** A registered broker: its id, epoch (the znode's czxid) and registration. */
export interface LiveBroker {
  readonly id: number;
  readonly czxid: number;
  readonly reg: BrokerRegistration;
}

/** One partition: its replicas, and its state znode (null until created) with its version. */
export interface PartitionCtx {
  replicas: number[];
  state: PartitionState | null;
  /** The state znode's dataVersion (Kafka's partition zkVersion), -1 when there is none. */
  version: number;
}

/** One topic. */
export interface TopicCtx {
  readonly name: string;
  topicId: string;
  readonly partitions: Map<number, PartitionCtx>;
}

/** The endpoint of `listener` (or the first) in a registration, as host and port. */
export function brokerNode(b: LiveBroker, listener?: string): BrokerNode | null {
  const parsed = b.reg.endpoints.map((e) => /^([^:]+):\/\/(\[[^\]]*\]|[^:]*):(-?\d+)$/.exec(e))
    .filter((m): m is RegExpExecArray => m !== null);
  const m = parsed.find((x) => x[1] === listener) ?? parsed[0];
  if (m === undefined) return null;
  return {
    id: b.id,
    host: m[2].replace(/^\[|\]$/g, ""),
    port: Number(m[3]),
    rack: b.reg.rack ?? null,
  };
}

/**
 * Writes the context into `state`: the live brokers and every topic's partitions that have a
 * state znode (Kafka's metadata cache only learns partitions once they have a leader and ISR),
 * topics queued for deletion left out.
 * Offline replicas are the assigned ones whose broker is not alive.
 */
export function publishState(
  state: BrokerState,
  topics: ReadonlyMap<string, TopicCtx>,
  live: ReadonlyMap<number, LiveBroker>,
  deleting: ReadonlySet<string>,
  listener?: string,
): void {
  state.brokers = [...live.values()].map((b) => brokerNode(b, listener))
    .filter((n): n is BrokerNode => n !== null);
  const next = new Map<string, TopicState>();
  for (const t of topics.values()) {
    // A topic queued for deletion has already left Kafka's metadata cache.
    if (deleting.has(t.name)) continue;
    const partitions: ServedPartition[] = [];
    for (const p of [...t.partitions.keys()].sort((a, b) => a - b)) {
      const pc = t.partitions.get(p)!;
      if (pc.state === null) continue;
      partitions.push({
        partition: p,
        leader: pc.state.leader,
        leaderEpoch: pc.state.leaderEpoch,
        replicas: pc.replicas,
        isr: pc.state.isr,
        offlineReplicas: pc.replicas.filter((r) => !live.has(r)),
      });
    }
    if (partitions.length === 0) continue;
    next.set(t.name, {
      name: t.name,
      topicId: t.topicId || ZERO_UUID,
      isInternal: isInternalTopic(t.name),
      partitions,
    });
  }
  state.topics = next;
  (state.metadataOrder ??= new MetadataCacheOrder()).publish(next);
}
