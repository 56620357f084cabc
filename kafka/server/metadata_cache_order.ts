/**
 * The order in which Apache Kafka 2.8.2 lists topics and partitions in a Metadata answer, which
 * comes from the Scala collections of its metadata cache (kafka.server.ZkMetadataCache), not from
 * creation order or any sort. herd replays those collections here as the controller publishes
 * state, and handler 03 reads the orders back.
 *
 * What Apache does, learnt from its source and measured (kafka/handlers/testdata/README.md):
 * - The cache is a `mutable.AnyRefMap[topic, mutable.LongMap[partition]]`. Every UpdateMetadata
 *   that carries partition states rebuilds it: a new AnyRefMap sized for the old one's count,
 *   each old topic copied in the old iteration order into a new LongMap sized for its count,
 *   then the request's partitions added (or their topic removed, for a deletion) in request
 *   order. A fresh LongMap has 16 slots, a copy fewer, so a topic's partitions can move once
 *   after creation: 3 partitions list as 0, 1, 2 when just created and 0, 2, 1 after the next
 *   update of any topic.
 * - The request's order is the controller's batch, a Scala `mutable.HashMap[TopicPartition, _]`,
 *   grouped by topic through a `java.util.HashMap<String, _>`.
 * - All topics (topics = null): the AnyRefMap's key set copied into an immutable Set, which keeps
 *   insertion order up to 4 elements and is a hash trie beyond (order by the improved hash of
 *   the name, whatever the history). Internal topics are not set apart.
 * - Named topics: the names asked, as an immutable Set (first-appearance order up to 4 distinct
 *   names, hash-trie order beyond); known topics first, then the unknown ones, each in set order.
 *
 * Not modelled: the controller's batch map is never shrunk (its table size is the largest batch
 * since the controller started; herd sizes it for the update at hand), and herd publishes one
 * update per controller event where Apache may send several (or none) for the same change. Both
 * only matter when keys collide in a table, and then only for topics' order with at most 4
 * topics or for partitions' order.
 *
 * @module
 */
import {
  javaStringHash,
  scala212HashMapOrderBy,
  scala212HashTrieOrderBy,
  topicPartitionHash,
} from "../controller/_scala_map_order.ts";
import { AnyRefMapOrder, LongMapOrder } from "./_scala_open_hash.ts";
import type { PartitionState, TopicState } from "./broker_state.ts";

/** One partition's state in an update; `deleted` marks a deleted topic's (LeaderDuringDelete). */
interface UpdateEntry {
  topic: string;
  partition: number;
  deleted: boolean;
}

/**
 * The topics in the order a `java.util.HashMap<String, _>` iterates them after they were put in
 * `names`' order: by bucket of the spread hash, insertion order within a bucket.
 */
function javaHashMapStringOrder(names: readonly string[]): string[] {
  let capacity = 16;
  while (names.length > capacity * 0.75) capacity *= 2;
  const bucket = (s: string) => {
    const h = javaStringHash(s);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return names.map((n, i) => ({ n, i, b: bucket(n) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.n);
}

function samePartition(a: PartitionState, b: PartitionState): boolean {
  const same = (x: readonly number[], y: readonly number[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return a.leader === b.leader && a.leaderEpoch === b.leaderEpoch &&
    same(a.replicas, b.replicas) && same(a.isr, b.isr) &&
    same(a.offlineReplicas, b.offlineReplicas);
}

/**
 * A replay of ZkMetadataCache's collections.
 *
 * @example
 * ```ts ignore
 * const order = new MetadataCacheOrder();
 * order.publish(state.topics); // after each controller event
 * order.allTopics(); // ["t2", "t1"]
 * ```
 */
export class MetadataCacheOrder {
  #topics = new AnyRefMapOrder(16, javaStringHash);
  #partitions = new Map<string, LongMapOrder>();
  #last = new Map<string, TopicState>();
  #all: string[] | undefined;

  /** The model of a cache that received `topics` in one update (a broker just started). */
  static of(topics: ReadonlyMap<string, TopicState>): MetadataCacheOrder {
    const o = new MetadataCacheOrder();
    o.publish(topics);
    return o;
  }

  /**
   * Applies the difference between the last published topics and `next` as one UpdateMetadata:
   * new topics and partitions, changed partition states, deleted topics.
   */
  publish(next: ReadonlyMap<string, TopicState>): void {
    const changed: UpdateEntry[] = [];
    for (const t of next.values()) {
      const before = this.#last.get(t.name);
      for (const p of t.partitions) {
        const old = before?.partitions.find((q) => q.partition === p.partition);
        if (old === undefined || !samePartition(old, p)) {
          changed.push({ topic: t.name, partition: p.partition, deleted: false });
        }
      }
    }
    for (const t of this.#last.values()) {
      if (next.has(t.name)) continue;
      for (const p of t.partitions) {
        changed.push({ topic: t.name, partition: p.partition, deleted: true });
      }
    }
    this.#last = new Map(next);
    if (changed.length > 0) this.#update(changed);
  }

  /** ZkMetadataCache.updateMetadata with partition states in the controller's batch order. */
  #update(entries: readonly UpdateEntry[]): void {
    const batch = scala212HashMapOrderBy(entries, (e) => topicPartitionHash(e.topic, e.partition));
    const byTopic = new Map<string, UpdateEntry[]>();
    for (const e of batch) {
      const list = byTopic.get(e.topic);
      if (list) list.push(e);
      else byTopic.set(e.topic, [e]);
    }
    // The copy of the previous snapshot.
    const topics = new AnyRefMapOrder(this.#topics.size, javaStringHash);
    const partitions = new Map<string, LongMapOrder>();
    for (const name of this.#topics.keys()) {
      const old = this.#partitions.get(name)!;
      const copy = new LongMapOrder(old.size);
      for (const p of old.keys()) copy.add(p);
      partitions.set(name, copy);
      topics.add(name);
    }
    for (const topic of javaHashMapStringOrder([...byTopic.keys()])) {
      for (const e of byTopic.get(topic)!) {
        if (e.deleted) {
          if (partitions.delete(e.topic)) topics.delete(e.topic);
          continue;
        }
        let lm = partitions.get(e.topic);
        if (lm === undefined) {
          lm = new LongMapOrder();
          partitions.set(e.topic, lm);
          topics.add(e.topic);
        }
        lm.add(e.partition);
      }
    }
    this.#topics = topics;
    this.#partitions = partitions;
    this.#all = undefined;
  }

  /** The topics a Metadata request for all topics lists, in Apache's order. */
  allTopics(): readonly string[] {
    return this.#all ??= scala212HashTrieOrderBy(this.#topics.keys(), javaStringHash);
  }

  /** A topic's partitions in Apache's order ([] for a topic it does not hold). */
  partitions(topic: string): number[] {
    return this.#partitions.get(topic)?.keys() ?? [];
  }
}

/**
 * The order Apache answers named topics in: the distinct names as an immutable Set (first
 * appearance up to 4, hash trie beyond), the known ones first.
 *
 * @example
 * ```ts
 * namedTopicOrder(["b", "x", "a", "b"], (n) => n !== "x"); // ["b", "a", "x"]
 * ```
 */
export function namedTopicOrder(
  names: readonly string[],
  known: (name: string) => boolean,
): string[] {
  const set = scala212HashTrieOrderBy(names, javaStringHash);
  return [...set.filter(known), ...set.filter((n) => !known(n))];
}
