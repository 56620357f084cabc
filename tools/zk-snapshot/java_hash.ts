/**
 * The order in which a java.util.HashMap (or HashSet) hands back its keys. SnapshotFormatter walks a
 * znode's children (a `HashSet<String>(8)`) and the sessions (a `HashMap<Long, Integer>()`) in that
 * order, so printing them the same way means replaying how the map grew.
 *
 * @module
 */

/**
 * `String.hashCode()`: s[0]·31^(n-1) + … + s[n-1] over UTF-16 code units, in 32-bit arithmetic.
 *
 * @example
 * ```ts
 * javaStringHash("zookeeper"); // 1600681804
 * ```
 */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * `Long.hashCode()`: the two 32-bit halves xor-ed.
 *
 * @example
 * ```ts
 * javaLongHash(0x100003f9ebc0000n);
 * ```
 */
export function javaLongHash(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  return Number(BigInt.asIntN(32, u ^ (u >> 32n)));
}

/** HashMap.tableSizeFor: the power of two at or above `c`. */
function tableSizeFor(c: number): number {
  let n = 1;
  while (n < c) n *= 2;
  return n;
}

/**
 * The iteration order of a HashMap created with `initialCapacity` after putting `keys` in order
 * (no removals): buckets by `(h ^ h>>>16) & (capacity-1)`, insertion order within a bucket, the
 * table doubling past 3/4 full or when a bucket reaches 9 entries below 64 buckets. (A bucket of 9
 * in a larger table becomes a tree whose order this does not model; with String or Long keys that
 * takes dozens of colliding hashes.)
 *
 * @example
 * ```ts
 * javaHashOrder(["quota", "config"], javaStringHash, 8); // ["config", "quota"]
 * ```
 */
export function javaHashOrder<K>(
  keys: readonly K[],
  hash: (k: K) => number,
  initialCapacity = 16,
): K[] {
  let capacity = tableSizeFor(initialCapacity);
  let buckets: { key: K; h: number }[][] = Array.from({ length: capacity }, () => []);
  const resize = () => {
    const next: typeof buckets = Array.from({ length: capacity * 2 }, () => []);
    for (const b of buckets) for (const e of b) next[e.h & (capacity * 2 - 1)].push(e);
    capacity *= 2;
    buckets = next;
  };
  let size = 0;
  for (const key of keys) {
    const raw = hash(key);
    const h = raw ^ (raw >>> 16);
    const bucket = buckets[h & (capacity - 1)];
    if (bucket.some((e) => e.key === key)) continue;
    bucket.push({ key, h });
    if (bucket.length >= 9 && capacity < 64) resize();
    if (++size > capacity * 0.75) resize();
  }
  return buckets.flatMap((b) => b.map((e) => e.key));
}
