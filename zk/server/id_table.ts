/**
 * A map from 64-bit ids (session ids) to values, with no V8 hash table under it: ids are kept in
 * typed arrays (open addressing, linear probing) and values in array slots cleared on delete.
 *
 * Why not a Map: a long-lived Map with entries added and deleted all the time rehashes into a new
 * table every few dozen operations, and the old table keeps pointing at its successor. Once one of
 * those tables is in the old generation, every later table and everything they held survives each
 * scavenge and is promoted, until a full GC. Under session churn (a session id in and out of two
 * maps per session) that was most of what each scavenge copied. Typed arrays hold no pointers.
 */

const EMPTY = -1;
const DELETED = -2;

// A BigInt is written here and read back as two int32s: no allocation per lookup.
const scratch = new BigInt64Array(1);
const halves = new Int32Array(scratch.buffer);

export class IdTable<V> {
  private lo = new Int32Array(16);
  private hi = new Int32Array(16);
  /** Per bucket: the value's slot, EMPTY, or DELETED. */
  private bucket = new Int32Array(16).fill(EMPTY);
  private used = 0;
  private count = 0;
  private readonly keyAt: (bigint | undefined)[] = [];
  private readonly valueAt: (V | undefined)[] = [];
  private readonly free: number[] = [];

  get size(): number {
    return this.count;
  }

  /** Slots in use or free: the most entries it ever held at once. */
  get capacity(): number {
    return this.valueAt.length;
  }

  /** The bucket holding `id`, or -1. */
  private find(id: bigint): number {
    scratch[0] = id;
    const lo = halves[0];
    const hi = halves[1];
    const mask = this.bucket.length - 1;
    for (let b = hash(lo, hi) & mask;; b = (b + 1) & mask) {
      const s = this.bucket[b];
      if (s === EMPTY) return -1;
      if (s !== DELETED && this.lo[b] === lo && this.hi[b] === hi) return b;
    }
  }

  get(id: bigint): V | undefined {
    const b = this.find(id);
    return b < 0 ? undefined : this.valueAt[this.bucket[b]];
  }

  has(id: bigint): boolean {
    return this.find(id) >= 0;
  }

  set(id: bigint, value: V): this {
    const b = this.find(id);
    if (b >= 0) {
      this.valueAt[this.bucket[b]] = value;
      return this;
    }
    // Keep at least half the buckets EMPTY, so probes stay short and always end.
    if ((this.used + 1) * 2 > this.bucket.length) this.rehash();
    const slot = this.free.pop() ?? this.valueAt.length;
    this.keyAt[slot] = id;
    this.valueAt[slot] = value;
    this.place(id, slot);
    this.count++;
    return this;
  }

  delete(id: bigint): boolean {
    const b = this.find(id);
    if (b < 0) return false;
    const slot = this.bucket[b];
    this.bucket[b] = DELETED;
    this.keyAt[slot] = undefined;
    this.valueAt[slot] = undefined;
    this.free.push(slot);
    this.count--;
    return true;
  }

  private place(id: bigint, slot: number): void {
    scratch[0] = id;
    const lo = halves[0];
    const hi = halves[1];
    const mask = this.bucket.length - 1;
    let b = hash(lo, hi) & mask;
    while (this.bucket[b] >= 0) b = (b + 1) & mask;
    if (this.bucket[b] === EMPTY) this.used++;
    this.bucket[b] = slot;
    this.lo[b] = lo;
    this.hi[b] = hi;
  }

  /** New buckets sized for the live entries (DELETED markers dropped). */
  private rehash(): void {
    let n = 16;
    while (n < (this.count + 1) * 4) n *= 2;
    this.lo = new Int32Array(n);
    this.hi = new Int32Array(n);
    this.bucket = new Int32Array(n).fill(EMPTY);
    this.used = 0;
    for (let slot = 0; slot < this.keyAt.length; slot++) {
      const id = this.keyAt[slot];
      if (id !== undefined) this.place(id, slot);
    }
  }

  /** Entries in slot order (not insertion order: a freed slot is reused). */
  *entries(): IterableIterator<[bigint, V]> {
    for (let i = 0; i < this.keyAt.length; i++) {
      const id = this.keyAt[i];
      if (id !== undefined) yield [id, this.valueAt[i]!];
    }
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  *keys(): IterableIterator<bigint> {
    for (const [k] of this.entries()) yield k;
  }

  [Symbol.iterator](): IterableIterator<[bigint, V]> {
    return this.entries();
  }
}

/** Mixes both halves: session ids differ mostly in their low bits, ids of other servers in the top. */
function hash(lo: number, hi: number): number {
  return Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> 7;
}
