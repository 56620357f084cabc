/**
 * The iteration order of a Scala 2.12 `mutable.HashMap[Long, _]`, replayed: Kafka 2.8 keeps a
 * partition's producers in one and writes its `.snapshot` entries in that order, so herd must
 * follow the table to write the same bytes.
 *
 * Scala 2.12's HashTable: 16 buckets, doubled when it holds more than 3/4 (never shrunk, not even
 * by clear()); a key's bucket is the top bits of rotateRight(byteswap32(key.##), 4);
 * a new key goes to the front of its bucket; a resize walks the old table from its highest bucket
 * down, putting each entry at the front of its new bucket; iteration runs from the highest bucket
 * down. `key.##` of a Long is the int itself when it fits, else Long.hashCode. The same table
 * model for String keys is kafka/controller/_scala_map_order.ts.
 *
 * @module
 */

/** scala.util.hashing.byteswap32. */
function byteswap32(v: number): number {
  const hc = Math.imul(v, 0x9e3775cd);
  const swapped = ((hc & 0xff) << 24) | ((hc & 0xff00) << 8) | ((hc >>> 8) & 0xff00) | (hc >>> 24);
  return Math.imul(swapped, 0x9e3775cd);
}

/** Scala's `##` of a Long. */
function longHash(key: number): number {
  if (key >= -0x80000000 && key <= 0x7fffffff) return key | 0;
  const u = BigInt.asUintN(64, BigInt(key));
  return Number(BigInt.asIntN(32, u ^ (u >> 32n)));
}

/**
 * The rotation is the table's seed, bitCount(16 - 1), set when the table is made and never
 * changed by a resize (2.12's HashTable.resize leaves seedvalue alone; measured with
 * scala-library 2.12.13 in the test).
 */
const SEED = 4;

function bucketOf(key: number, buckets: number): number {
  const ones = buckets - 1;
  const i = byteswap32(longHash(key));
  const rotated = (i >>> SEED) | (i << (32 - SEED));
  return (rotated >>> Math.clz32(ones)) & ones;
}

/** The key order of one Scala 2.12 mutable.HashMap[Long, _] as keys are put and removed. */
export class ScalaLongHashOrder {
  #table: number[][] = Array.from({ length: 16 }, () => []);
  #size = 0;

  /** Adds `key` if absent (a key put again keeps its place). */
  add(key: number): void {
    const b = this.#table[bucketOf(key, this.#table.length)];
    if (b.includes(key)) return;
    b.unshift(key);
    this.#size++;
    if (this.#size > Math.floor(this.#table.length * 0.75)) this.#resize();
  }

  /** Removes `key` if present. */
  delete(key: number): void {
    const b = this.#table[bucketOf(key, this.#table.length)];
    const i = b.indexOf(key);
    if (i < 0) return;
    b.splice(i, 1);
    this.#size--;
  }

  /** Removes every key; the table keeps its size, as Scala's clear() does. */
  clear(): void {
    for (const b of this.#table) b.length = 0;
    this.#size = 0;
  }

  /** The keys in iteration order. */
  keys(): number[] {
    const out: number[] = [];
    for (let b = this.#table.length - 1; b >= 0; b--) out.push(...this.#table[b]);
    return out;
  }

  #resize(): void {
    const old = this.#table;
    this.#table = Array.from({ length: old.length * 2 }, () => []);
    for (let b = old.length - 1; b >= 0; b--) {
      for (const k of old[b]) this.#table[bucketOf(k, this.#table.length)].unshift(k);
    }
  }
}
