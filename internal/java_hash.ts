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
 * The bucket count a HashMap created with `initialCapacity` ends with after putting distinct keys
 * with these `hashes` in order: doubling past 3/4 full, or when a bucket reaches 9 entries below
 * 64 buckets (treeifyBin resizes instead of making a tree).
 */
function finalCapacity(hashes: ArrayLike<number>, initialCapacity: number): number {
  let capacity = tableSizeFor(initialCapacity);
  // Only a table below 64 buckets grows because of one crowded bucket: count entries per bucket
  // until then.
  const recount = (upTo: number): Int32Array | null => {
    if (capacity >= 64) return null;
    const c = new Int32Array(capacity);
    for (let j = 0; j <= upTo; j++) c[hashes[j] & (capacity - 1)]++;
    return c;
  };
  let counts = recount(-1);
  for (let i = 0; i < hashes.length; i++) {
    if (counts !== null && ++counts[hashes[i] & (capacity - 1)] >= 9) {
      capacity *= 2;
      counts = recount(i);
    }
    if (i + 1 > capacity * 0.75) {
      capacity *= 2;
      counts = recount(i);
    }
  }
  return capacity;
}

/**
 * The iteration order of a HashMap created with `initialCapacity` after putting distinct keys with
 * these `hashes` (already spread: `h ^ h>>>16`) in order, as indices into `hashes`. A resize keeps
 * each bucket's entries in their order, so the table iterates by bucket of its final size and, in
 * a bucket, in insertion order. (A bucket of 9 in a table of 64 or more becomes a tree whose order
 * this does not model; with String or Long keys that takes dozens of colliding hashes.)
 *
 * @example
 * ```ts
 * javaHashOrderOf([spread(javaStringHash("quota")), spread(javaStringHash("config"))], 8); // [1, 0]
 * ```
 */
export function javaHashOrderOf(hashes: ArrayLike<number>, initialCapacity = 16): Int32Array {
  const n = hashes.length;
  const order = new Int32Array(n);
  if (n <= 1) return order;
  const mask = finalCapacity(hashes, initialCapacity) - 1;
  // A counting sort by bucket: stable, so insertion order holds within a bucket.
  const starts = new Int32Array(mask + 2);
  for (let i = 0; i < n; i++) starts[(hashes[i] & mask) + 1]++;
  for (let b = 1; b <= mask + 1; b++) starts[b] += starts[b - 1];
  for (let i = 0; i < n; i++) order[starts[hashes[i] & mask]++] = i;
  return order;
}

/**
 * HashMap.hash: the high half of a hash folded into the low half.
 *
 * @example
 * ```ts
 * spread(javaStringHash("zookeeper"));
 * ```
 */
export function spread(h: number): number {
  return h ^ (h >>> 16);
}

/**
 * The iteration order of a HashMap created with `initialCapacity` after putting `keys` in order
 * (a key put again keeps its place).
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
  const distinct = [...new Set(keys)];
  const order = javaHashOrderOf(distinct.map((k) => spread(hash(k))), initialCapacity);
  return Array.from(order, (i) => distinct[i]);
}

/**
 * The order in which a `java.util.Properties` (JDK 9+: a ConcurrentHashMap of 16 bins, doubling
 * past 3/4 full, insertion order within a bin) iterates its String keys: how Kafka writes
 * meta.properties and the config object of `/config/<type>/<entity>`. Past the first resize a
 * ConcurrentHashMap may reorder long chains, which this does not model.
 *
 * @example
 * ```ts
 * javaPropertiesOrder(["cluster.id", "version", "broker.id"]); // ["broker.id", "version", "cluster.id"]
 * ```
 */
export function javaPropertiesOrder(keys: readonly string[]): string[] {
  return javaHashOrder(keys, javaStringHash, 16);
}
