/**
 * A map for what comes and goes all the time (sessions by id, pending changes by path), with no V8
 * hash table under it: an open-addressing index of slot numbers in a typed array, and keys and
 * values in array slots that are cleared when they go.
 *
 * Why not a Map: a long-lived Map with entries added and deleted all the time rehashes into a new
 * table every few dozen operations, and the old table keeps pointing at its successor and at the
 * entries it held. Once one of those tables is in the old generation, every later table and every
 * key and value any of them held survives each scavenge and is promoted, until a full GC. Under
 * session churn that was 3.4 MB promoted per scavenge, scavenges of 3–9 ms every 170 ms, and a full
 * GC of the whole heap every few seconds. An Int32Array holds no pointers.
 */

const EMPTY = -1;
const DELETED = -2;

export class SlotMap<K, V> {
  /** Per bucket: the entry's slot, EMPTY, or DELETED. */
  private bucket = new Int32Array(16).fill(EMPTY);
  private used = 0;
  private count = 0;
  private keyAt: (K | undefined)[] = [];
  private valueAt: (V | undefined)[] = [];
  private free: number[] = [];

  /** `hash` spreads keys over 32 bits; keys are compared with ===. */
  constructor(private readonly hash: (key: K) => number) {}

  get size(): number {
    return this.count;
  }

  /** Slots in use or free: the most entries it ever held at once. */
  get capacity(): number {
    return this.valueAt.length;
  }

  /** The bucket holding `key`, or -1. */
  private find(key: K): number {
    const mask = this.bucket.length - 1;
    for (let b = this.hash(key) & mask;; b = (b + 1) & mask) {
      const s = this.bucket[b];
      if (s === EMPTY) return -1;
      if (s >= 0 && this.keyAt[s] === key) return b;
    }
  }

  get(key: K): V | undefined {
    const b = this.find(key);
    return b < 0 ? undefined : this.valueAt[this.bucket[b]];
  }

  has(key: K): boolean {
    return this.find(key) >= 0;
  }

  set(key: K, value: V): this {
    const b = this.find(key);
    if (b >= 0) {
      this.valueAt[this.bucket[b]] = value;
      return this;
    }
    // Keep at least half the buckets EMPTY, so probes stay short and always end.
    if ((this.used + 1) * 2 > this.bucket.length) this.rehash();
    const slot = this.free.pop() ?? this.valueAt.length;
    this.keyAt[slot] = key;
    this.valueAt[slot] = value;
    this.place(key, slot);
    this.count++;
    return this;
  }

  delete(key: K): boolean {
    const b = this.find(key);
    if (b < 0) return false;
    const slot = this.bucket[b];
    this.bucket[b] = DELETED;
    this.keyAt[slot] = undefined;
    this.valueAt[slot] = undefined;
    this.free.push(slot);
    if (--this.count === 0 && this.keyAt.length > 64) this.clear();
    return true;
  }

  /**
   * Empties it and gives back the room a burst took (emptied by delete once it held many), so a
   * scan of an empty map after a burst costs nothing.
   */
  clear(): void {
    this.bucket = new Int32Array(16).fill(EMPTY);
    this.used = 0;
    this.count = 0;
    this.keyAt = [];
    this.valueAt = [];
    this.free = [];
  }

  private place(key: K, slot: number): void {
    const mask = this.bucket.length - 1;
    let b = this.hash(key) & mask;
    while (this.bucket[b] >= 0) b = (b + 1) & mask;
    if (this.bucket[b] === EMPTY) this.used++;
    this.bucket[b] = slot;
  }

  /** New buckets sized for the live entries (DELETED markers dropped). */
  private rehash(): void {
    let n = 16;
    while (n < (this.count + 1) * 4) n *= 2;
    this.bucket = new Int32Array(n).fill(EMPTY);
    this.used = 0;
    for (let slot = 0; slot < this.keyAt.length; slot++) {
      if (this.keyAt[slot] !== undefined) this.place(this.keyAt[slot]!, slot);
    }
  }

  /** Entries in slot order (not insertion order: a freed slot is reused). */
  *entries(): IterableIterator<[K, V]> {
    for (const i of this.slots()) yield [this.keyAt[i]!, this.valueAt[i]!];
  }

  /** The slots in use, stopping after the last live one. */
  private *slots(): IterableIterator<number> {
    let left = this.count;
    for (let i = 0; left > 0 && i < this.keyAt.length; i++) {
      if (this.keyAt[i] === undefined) continue;
      left--;
      yield i;
    }
  }

  *values(): IterableIterator<V> {
    for (const i of this.slots()) yield this.valueAt[i]!;
  }

  *keys(): IterableIterator<K> {
    for (const i of this.slots()) yield this.keyAt[i]!;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

// A BigInt is written here and read back as two int32s: no allocation per hash.
const scratch = new BigInt64Array(1);
const halves = new Int32Array(scratch.buffer);

/** Hash of a 64-bit id: session ids differ mostly in their low bits, other servers' in the top. */
export function hashId(id: bigint): number {
  scratch[0] = id;
  return Math.imul(halves[0] ^ Math.imul(halves[1], 0x27d4eb2d), 0x9e3779b1) >>> 7;
}

/** FNV-1a of a string's UTF-16 code units (a znode path, a topic name), its high bits folded down. */
export function hashPath(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}
