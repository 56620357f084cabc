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

/** Java's String.hashCode. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's TopicPartition.hashCode. */
export function topicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHash(topic)) | 0;
}

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

/** Scala 2.12 HashMap's hash improvement. */
function improve(hcode: number): number {
  let h = (hcode + ~(hcode << 9)) | 0;
  h ^= h >>> 14;
  h = (h + (h << 4)) | 0;
  return h ^ (h >>> 10);
}

/**
 * The iteration order of a Scala 2.12 immutable Map built from `tps` in that order: insertion
 * order up to 4 entries, else the hash trie's (5 bits of the improved hash per level, lowest
 * first).
 */
export function scalaMapOrder<T extends TP>(tps: readonly T[]): T[] {
  if (tps.length <= 4) return [...tps];
  const key = (tp: TP) => {
    const h = improve(topicPartitionHash(tp.topic, tp.partition)) >>> 0;
    // Reverse the 5-bit groups so that a plain comparison orders as the trie does.
    let k = 0;
    for (let level = 0; level < 7; level++) k = k * 32 + ((h >>> (5 * level)) & 31);
    return k;
  };
  return tps.map((tp, i) => ({ tp, i, k: key(tp) }))
    .sort((x, y) => x.k - y.k || x.i - y.i)
    .map((x) => x.tp);
}
