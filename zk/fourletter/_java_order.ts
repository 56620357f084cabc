/**
 * Apache prints many lists by iterating Java HashMaps and HashSets, whose order follows the keys'
 * hash codes rather than insertion. To print the same order, herd sorts keys the way a HashMap
 * lays them out: by bucket `(h ^ (h >>> 16)) & (capacity - 1)`, then by insertion within a bucket.
 * (Sets of connections hash by identity in Java, so their order cannot be reproduced; herd keeps
 * insertion order there.)
 */

/** Java's String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java's Long.hashCode: the two 32-bit halves xor-ed. */
export function javaLongHash(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  return Number(BigInt.asIntN(32, (u ^ (u >> 32n)) & 0xffffffffn));
}

/** The table size a HashMap filled by `put` from the default capacity (16, load 0.75) ends with. */
export function grownCapacity(size: number): number {
  let cap = 16;
  while (size > cap * 0.75) cap *= 2;
  return cap;
}

/** The table size of a HashSet/HashMap copy-constructed from a collection of `size` elements. */
export function copiedCapacity(size: number): number {
  const want = Math.max(Math.floor(size / 0.75) + 1, 16);
  let cap = 1;
  while (cap < want) cap *= 2;
  return cap;
}

function order<K>(keys: Iterable<K>, hash: (k: K) => number, capacity?: number): K[] {
  const list = [...keys];
  const cap = capacity ?? grownCapacity(list.length);
  const bucket = (k: K) => {
    const h = hash(k);
    return ((h ^ (h >>> 16)) & (cap - 1)) >>> 0;
  };
  // Array.prototype.sort is stable, so keys of one bucket keep their insertion order.
  return list.map((k) => ({ k, b: bucket(k) })).sort((a, b) => a.b - b.b).map((e) => e.k);
}

/** Strings in the order a Java HashMap/HashSet with `capacity` buckets iterates them. */
export function javaStringOrder(keys: Iterable<string>, capacity?: number): string[] {
  return order(keys, javaStringHash, capacity);
}

/** Longs (session ids) in the order a Java HashMap/HashSet iterates them. */
export function javaLongOrder(keys: Iterable<bigint>, capacity?: number): bigint[] {
  return order(keys, javaLongHash, capacity);
}
