/**
 * The order in which a Scala 2.12 `mutable.HashMap[String, _]` hands back its keys: Kafka builds the
 * `partitions` object of `/brokers/topics/<t>` (and its adding/removing replicas) from one, and
 * Jackson writes keys in iteration order, so herd must replay the table to write the same bytes
 * as a kafka_2.12 broker (zk-layout.md §1.3; the seed's and Apache 2.8.2's captures are 2.12).
 *
 * The table (scala 2.12 mutable.HashTable) starts with 16 buckets and doubles when it holds more
 * than 3/4; a key's bucket is the top bits of rotateRight(byteswap32(hashCode), seed), where the
 * seed is bitCount(15) = 4, fixed when the table is created (a resize keeps it: checked against
 * scala-library 2.12.13 with 20 keys); a new entry goes to the front of its bucket; iteration
 * runs from the highest bucket down.
 *
 * @module
 */

/** Java's `String.hashCode()` over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** scala.util.hashing.byteswap32. */
function byteswap32(v: number): number {
  const hc = Math.imul(v, 0x9e3775cd);
  const swapped = ((hc & 0xff) << 24) | ((hc & 0xff00) << 8) | ((hc >>> 8) & 0xff00) | (hc >>> 24);
  return Math.imul(swapped, 0x9e3775cd);
}

/** The table's hash seed: bitCount(16 - 1), set at creation and never changed. */
const SEED = 4;

function bucket(hash: number, buckets: number): number {
  const ones = buckets - 1;
  const rotation = SEED;
  const i = byteswap32(hash);
  const rotated = (i >>> rotation) | (i << (32 - rotation));
  return (rotated >>> Math.clz32(ones)) & ones;
}

/**
 * The keys in the order a Scala 2.12 mutable.HashMap iterates them after they were put in the
 * given order (a key put again keeps its place).
 *
 * @example
 * ```ts
 * scala212HashMapOrder(["0", "1", "2"]); // ["2", "1", "0"]
 * ```
 */
export function scala212HashMapOrder(keys: readonly string[]): string[] {
  return scala212HashMapOrderBy([...new Set(keys)], javaStringHash);
}

/**
 * {@link scala212HashMapOrder} for distinct keys of any type, given their `hashCode` (the
 * controller's `mutable.Map[TopicPartition, _]` of an UpdateMetadata batch, for one).
 *
 * @example
 * ```ts
 * scala212HashMapOrderBy([0, 1, 2], (n) => n);
 * ```
 */
export function scala212HashMapOrderBy<T>(keys: readonly T[], hashOf: (key: T) => number): T[] {
  let table: T[][] = Array.from({ length: 16 }, () => []);
  let size = 0;
  for (const k of keys) {
    table[bucket(hashOf(k), table.length)].unshift(k);
    size++;
    if (size > Math.floor(table.length * 0.75)) {
      // resize(): the old table is walked from its highest bucket down, each entry put at the
      // front of its new bucket.
      const old = table;
      table = Array.from({ length: old.length * 2 }, () => []);
      for (let b = old.length - 1; b >= 0; b--) {
        for (const e of old[b]) table[bucket(hashOf(e), table.length)].unshift(e);
      }
    }
  }
  const out: T[] = [];
  for (let b = table.length - 1; b >= 0; b--) out.push(...table[b]);
  return out;
}

/** Kafka's `TopicPartition.hashCode()`. */
export function topicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHash(topic)) | 0;
}

/** Scala 2.12's immutable HashMap/HashSet hash improvement. */
function improve(hcode: number): number {
  let h = (hcode + ~(hcode << 9)) | 0;
  h ^= h >>> 14;
  h = (h + (h << 4)) | 0;
  return h ^ (h >>> 10);
}

/**
 * The iteration order of a Scala 2.12 immutable Set (or Map) built by adding `keys` in that
 * order, given their `hashCode`: insertion order up to 4 entries (Set1…Set4), else the hash
 * trie's (5 bits of the improved hash per level, lowest first). Keys whose whole hash collides
 * keep insertion order here (Scala keeps them in a ListSet; never seen with topic names).
 *
 * @example
 * ```ts
 * scala212HashTrieOrderBy(["a", "b"], javaStringHash); // ["a", "b"]
 * ```
 */
export function scala212HashTrieOrderBy<T>(keys: readonly T[], hashOf: (key: T) => number): T[] {
  const distinct = [...new Set(keys)];
  if (distinct.length <= 4) return distinct;
  const trieKey = (key: T) => {
    const h = improve(hashOf(key)) >>> 0;
    // Reverse the 5-bit groups so that a plain comparison orders as the trie does.
    let k = 0;
    for (let level = 0; level < 7; level++) k = k * 32 + ((h >>> (5 * level)) & 31);
    return k;
  };
  return distinct.map((k, i) => ({ k, i, t: trieKey(k) }))
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map((x) => x.k);
}
