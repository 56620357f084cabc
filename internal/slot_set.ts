/**
 * A set for what comes and goes with every session (the server's connections), built so that V8's
 * scavenger can free what it drops: see slot_map.ts for why a long-lived Set with add/delete churn
 * cannot. Members sit in array slots that are cleared when they go.
 */

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
