/**
 * The Java producer's default partitioner (Kafka 2.8's DefaultPartitioner): a keyed record goes
 * to `toPositive(murmur2(key)) % partitions`, so herd's producer puts a key where Apache's puts
 * it; a record without a key sticks to one partition until that partition's batch is sent
 * (KIP-480's sticky partitioner), then another is picked at random.
 *
 * @module
 */

/**
 * MurmurHash2, 32-bit, seed 0x9747b28c, as Kafka's `Utils.murmur2` computes it over the key's
 * bytes (the result is a signed int32, as Java's).
 *
 * @example
 * ```ts
 * import { murmur2 } from "./partitioner.ts";
 * murmur2(new TextEncoder().encode("foobar")); // -790332482
 * ```
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ length) | 0;
  const blocks = length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i << 2;
    // Kafka reads each 4-byte block little-endian.
    let k = data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = blocks << 2;
  switch (length & 3) {
    case 3:
      h ^= data[tail + 2] << 16;
    // falls through
    case 2:
      h ^= data[tail + 1] << 8;
    // falls through
    case 1:
      h ^= data[tail];
      h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not Math.abs: MIN_VALUE stays in range). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition the Java producer picks for a keyed record. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

/**
 * Partitions records as Kafka 2.8's DefaultPartitioner does.
 *
 * @example
 * ```ts
 * import { DefaultPartitioner } from "./partitioner.ts";
 * const p = new DefaultPartitioner();
 * p.partition("t", new TextEncoder().encode("k"), [0, 1, 2], 3); // 2
 * ```
 */
export class DefaultPartitioner {
  private readonly sticky = new Map<string, number>();

  constructor(private readonly random: () => number = Math.random) {}

  /**
   * The partition for a record of `topic` with `key`; `available` lists the partitions that have
   * a leader (the sticky choice is made among them when there are any).
   */
  partition(
    topic: string,
    key: Uint8Array | null,
    available: readonly number[],
    numPartitions: number,
  ): number {
    if (key !== null) return partitionForKey(key, numPartitions);
    return this.sticky.get(topic) ?? this.nextSticky(topic, -1, available, numPartitions);
  }

  /**
   * Called when the batch of `previous` was sent (a new batch is about to start): picks another
   * partition for keyless records, never the same one when there is a choice.
   */
  onNewBatch(
    topic: string,
    previous: number,
    available: readonly number[],
    numPartitions: number,
  ): void {
    const current = this.sticky.get(topic);
    if (current === undefined || current === previous) {
      this.nextSticky(topic, previous, available, numPartitions);
    }
  }

  private nextSticky(
    topic: string,
    previous: number,
    available: readonly number[],
    numPartitions: number,
  ): number {
    const pool = available.length > 0
      ? available
      : Array.from({ length: numPartitions }, (_, i) => i);
    let next = pool[Math.floor(this.random() * pool.length)];
    if (pool.length > 1) {
      while (next === previous) next = pool[Math.floor(this.random() * pool.length)];
    }
    this.sticky.set(topic, next);
    return next;
  }
}
