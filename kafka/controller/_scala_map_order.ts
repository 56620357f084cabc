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

/** `String.hashCode()` over UTF-16 code units. */
function stringHash(s: string): number {
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
  let table: string[][] = Array.from({ length: 16 }, () => []);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) continue;
    seen.add(k);
    table[bucket(stringHash(k), table.length)].unshift(k);
    if (seen.size > Math.floor(table.length * 0.75)) {
      // resize(): the old table is walked from its highest bucket down, each entry put at the
      // front of its new bucket.
      const old = table;
      table = Array.from({ length: old.length * 2 }, () => []);
      for (let b = old.length - 1; b >= 0; b--) {
        for (const e of old[b]) table[bucket(stringHash(e), table.length)].unshift(e);
      }
    }
  }
  const out: string[] = [];
  for (let b = table.length - 1; b >= 0; b--) out.push(...table[b]);
  return out;
}
