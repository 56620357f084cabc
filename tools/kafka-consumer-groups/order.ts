/**
 * The row orders ConsumerGroupCommand prints, which follow the JVM's hash maps rather than any
 * sort: committed offsets come back from the admin client in a java.util.HashMap keyed by
 * TopicPartition, and small Scala maps (up to 4 entries) keep insertion order while larger ones
 * (Scala 2.12's HashTrieMap) iterate by their improved hash. Measured on Apache 2.8.2: the
 * committed offsets of h3-0, h3-1, h3-2 print as partitions 2, 1, 0 (their HashMap buckets 10,
 * 11, 12), while a member's assigned partitions print 0, 1, 2.
 *
 * @module
 */
import {
  javaStringHash,
  scala212HashTrieOrderBy,
  topicPartitionHash,
} from "../../kafka/controller/_scala_map_order.ts";

export { javaStringHash, topicPartitionHash };

/** A topic and partition. */
export interface TP {
  topic: string;
  partition: number;
}

/**
 * The iteration order of a java.util.HashMap<TopicPartition, _> holding `tps` (inserted in
 * that order): by bucket (spread hash masked by the table size), insertion order within one.
 */
export function javaHashMapOrder<T extends TP>(tps: readonly T[]): T[] {
  let capacity = 16;
  while (tps.length > capacity * 0.75) capacity *= 2;
  const bucket = (tp: TP) => {
    const h = topicPartitionHash(tp.topic, tp.partition);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return tps.map((tp, i) => ({ tp, i, b: bucket(tp) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.tp);
}

/**
 * The iteration order of a Scala 2.12 immutable Map built from `tps` in that order: insertion
 * order up to 4 entries, else the hash trie's (5 bits of the improved hash per level, lowest
 * first).
 */
export function scalaMapOrder<T extends TP>(tps: readonly T[]): T[] {
  return scala212HashTrieOrderBy(tps, (tp) => topicPartitionHash(tp.topic, tp.partition));
}

/**
 * The iteration order of `new HashMap<>(m)` where `m` is a java.util.HashMap that Collectors.toMap
 * filled with `keys` (the admin client's per-group futures, e.g. describeConsumerGroups' result):
 * the copy sizes its table from the count, and keys sharing a bucket keep the source's order.
 */
export function javaHashMapCopyOrder(keys: readonly string[]): string[] {
  const distinct = [...new Set(keys)];
  let source = 16;
  while (distinct.length > source * 0.75) source *= 2;
  let copy = 1;
  while (copy < Math.floor(distinct.length / 0.75 + 1)) copy *= 2;
  const spread = (k: string) => {
    const h = javaStringHash(k);
    return h ^ (h >>> 16);
  };
  return distinct.map((k, i) => ({ k, i, h: spread(k) }))
    .sort((x, y) =>
      (x.h & (copy - 1)) - (y.h & (copy - 1)) ||
      (x.h & (source - 1)) - (y.h & (source - 1)) || x.i - y.i
    )
    .map((x) => x.k);
}

/**
 * The iteration order of a Scala 2.12 immutable Map with String keys inserted in `keys`' order
 * (insertion order up to 4 entries, else the hash trie's), as scalaMapOrder for topic partitions.
 */
export function scalaStringMapOrder(keys: readonly string[]): string[] {
  return scala212HashTrieOrderBy(keys, javaStringHash);
}

/** scala.util.hashing.byteswap32. */
function byteswap32(v: number): number {
  let hc = Math.imul(v, 0x9e3775cd);
  hc = ((hc & 0xff) << 24) | ((hc & 0xff00) << 8) | ((hc >>> 8) & 0xff00) | (hc >>> 24);
  return Math.imul(hc, 0x9e3775cd);
}

/**
 * The iteration order of a Scala 2.12 mutable.HashMap with String keys added in `keys`' order
 * (what `.map` over a Java map's Scala wrapper builds, as deleteGroups' results): the table
 * (16 slots, doubled once 0.75 full) is walked from its last slot down, and a slot lists its
 * newest key first. `copies` counts the maps built one from the other's iteration (deleteGroups
 * prints a `.partition` of its result map: 2), each reversing the order within a slot again.
 */
export function scalaMutableHashMapOrder(keys: readonly string[], copies = 1): string[] {
  return scalaMutableHashOrder([...new Set(keys)], javaStringHash, copies);
}

/** scalaMutableHashMapOrder for any keys, given their Java hashCode. */
export function scalaMutableHashOrder<T>(
  items: readonly T[],
  hashOf: (item: T) => number,
  copies = 1,
): T[] {
  let size = 16;
  while (items.length >= Math.floor(size * 0.75)) size *= 2;
  const ones = size - 1;
  const exponent = Math.clz32(ones);
  const seed = ones.toString(2).replaceAll("0", "").length;
  const index = (item: T) => {
    const i = byteswap32(hashOf(item));
    const r = seed % 32;
    const rotated = r === 0 ? i : (i >>> r) | (i << (32 - r));
    return (rotated >>> exponent) & ones;
  };
  return items.map((k, i) => ({ k, i, b: index(k) }))
    .sort((x, y) => y.b - x.b || (copies % 2 === 1 ? y.i - x.i : x.i - y.i))
    .map((x) => x.k);
}
