/**
 * Containers for what comes and goes with every session (connections, sessions, their owners),
 * built so that V8's scavenger can free what they drop.
 *
 * A long-lived Map or Set that has entries added and deleted all the time rehashes into a new
 * table every so often, and the old table keeps pointing at the new one and at the entries it held.
 * Once one of those tables is in the old generation, every later table and every value any of them
 * ever held survives each scavenge and is promoted, until a full GC. Under session churn that was
 * 3.4 MB promoted per scavenge, 3–9 ms scavenges every 170 ms, and a full GC of the whole heap every
 * few seconds. Here values sit in an array slot that is cleared when they go, so only a Map of
 * small keys to slot numbers (or nothing) churns.
 */

/** A Map whose values live in array slots, reused through a free list. */
export class SlotTable<K, V> {
  private readonly index = new Map<K, number>();
  private readonly keyAt: (K | undefined)[] = [];
  private readonly valueAt: (V | undefined)[] = [];
  private readonly free: number[] = [];

  get size(): number {
    return this.index.size;
  }

  /** Slots in use or free: the most entries it ever held at once. */
  get capacity(): number {
    return this.valueAt.length;
  }

  get(key: K): V | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.valueAt[i];
  }

  has(key: K): boolean {
    return this.index.has(key);
  }

  set(key: K, value: V): this {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.free.pop() ?? this.valueAt.length;
      this.index.set(key, i);
      this.keyAt[i] = key;
    }
    this.valueAt[i] = value;
    return this;
  }

  delete(key: K): boolean {
    const i = this.index.get(key);
    if (i === undefined) return false;
    this.index.delete(key);
    this.keyAt[i] = undefined;
    this.valueAt[i] = undefined;
    this.free.push(i);
    return true;
  }

  /** Entries in slot order (not insertion order: a freed slot is reused). */
  *entries(): IterableIterator<[K, V]> {
    for (let i = 0; i < this.valueAt.length; i++) {
      if (this.keyAt[i] !== undefined) yield [this.keyAt[i]!, this.valueAt[i]!];
    }
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  *keys(): IterableIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

/** What a SlotSet can hold: it keeps each member's slot on the member itself. */
export interface Slotted {
  slot: number;
}

/** A Set of objects that churns no hash table at all: each member knows its slot. */
export class SlotSet<T extends Slotted> {
  private readonly items: (T | undefined)[] = [];
  private readonly free: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(x: T): boolean {
    return x.slot >= 0 && this.items[x.slot] === x;
  }

  add(x: T): this {
    if (this.has(x)) return this;
    x.slot = this.free.pop() ?? this.items.length;
    this.items[x.slot] = x;
    this.count++;
    return this;
  }

  delete(x: T): boolean {
    if (!this.has(x)) return false;
    this.items[x.slot] = undefined;
    this.free.push(x.slot);
    x.slot = -1;
    this.count--;
    return true;
  }

  /** Members in slot order. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.items.length; i++) {
      const x = this.items[i];
      if (x !== undefined) yield x;
    }
  }
}
