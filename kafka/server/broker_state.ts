/**
 * The broker's in-memory view of the cluster that request handlers read: who it is, where it is
 * reachable, the cluster id, the controller, and the topics with their partitions. The controller
 * (kafka/controller/, later) fills it from ZooKeeper; for now a test or `main.ts --static` does.
 *
 * @module
 */
import { uuidToString } from "../protocol/uuid.ts";
import type { MetadataCacheOrder } from "./metadata_cache_order.ts";

/** A broker as Metadata lists it. */
export interface BrokerNode {
  /** broker.id */
  readonly id: number;
  /** The advertised host. */
  readonly host: string;
  /** The advertised port. */
  readonly port: number;
  /** broker.rack, or null. */
  readonly rack: string | null;
}

/** One partition's leadership, as the controller records it in its state znode. */
export interface PartitionState {
  readonly partition: number;
  /** The leader's broker id, -1 when there is none. */
  readonly leader: number;
  readonly leaderEpoch: number;
  /** Assigned replicas, preferred leader first. */
  readonly replicas: readonly number[];
  /** In-sync replicas. */
  readonly isr: readonly number[];
  /** Replicas on a failed log dir. */
  readonly offlineReplicas: readonly number[];
}

/** One topic. */
export interface TopicState {
  readonly name: string;
  /** Its topic id, Kafka's base64 form (ZERO_UUID when it has none yet). */
  readonly topicId: string;
  /** `__consumer_offsets` and `__transaction_state`. */
  readonly isInternal: boolean;
  /** In partition order. */
  readonly partitions: readonly PartitionState[];
}

/** What handlers read. Mutable as a whole: the controller replaces topics as they change. */
export interface BrokerState {
  /** This broker's id. */
  readonly brokerId: number;
  /** The cluster id (`/cluster/id`), null until known. */
  clusterId: string | null;
  /** The controller's broker id, -1 when there is none. */
  controllerId: number;
  /** The live brokers, this one included. */
  brokers: readonly BrokerNode[];
  /** Topics by name, in the order they were added. */
  topics: Map<string, TopicState>;
  /**
   * The order Apache's metadata cache would list topics and partitions in, kept by the
   * controller as it publishes `topics`; absent for a static state (Metadata then models a
   * broker that received all topics at once).
   */
  metadataOrder?: MetadataCacheOrder;
}

/** What {@link staticBrokerState} builds a one-broker cluster from. */
export interface StaticClusterOptions {
  readonly brokerId?: number;
  readonly host: string;
  readonly port: number;
  readonly clusterId?: string;
  /** Topic name → partition count; every partition led by this broker, epoch 0. */
  readonly topics?: Readonly<Record<string, number>>;
}

/**
 * A one-broker cluster that is its own controller, with the given topics: for tests and
 * `main.ts --static` until the controller exists.
 *
 * @example
 * ```ts
 * const s = staticBrokerState({ host: "127.0.0.1", port: 9092, topics: { t: 2 } });
 * s.topics.get("t")!.partitions.length; // 2
 * ```
 */
export function staticBrokerState(o: StaticClusterOptions): BrokerState {
  const id = o.brokerId ?? 0;
  const topics = new Map<string, TopicState>();
  let n = 0;
  for (const [name, count] of Object.entries(o.topics ?? {})) {
    const partitions: PartitionState[] = [];
    for (let p = 0; p < count; p++) {
      partitions.push({
        partition: p,
        leader: id,
        leaderEpoch: 0,
        replicas: [id],
        isr: [id],
        offlineReplicas: [],
      });
    }
    topics.set(name, {
      name,
      topicId: staticTopicId(++n),
      isInternal: name === "__consumer_offsets" || name === "__transaction_state",
      partitions,
    });
  }
  return {
    brokerId: id,
    clusterId: o.clusterId ?? "herd-static-cluster0",
    controllerId: id,
    brokers: [{ id, host: o.host, port: o.port, rack: null }],
    topics,
  };
}

/** A fixed, non-zero topic id so static runs are repeatable. */
function staticTopicId(n: number): string {
  const b = new Uint8Array(16);
  b[0] = 0x68; // never the zero UUID
  new DataView(b.buffer).setUint32(12, n);
  return uuidToString(b, 0);
}
