/**
 * A min-heap of deadlines: the coordinator's timers (member sessions, rebalances, offset expiry)
 * as data. Entries are never removed early; each carries what it was scheduled for, and the
 * owner ignores one that no longer matches (a member that heartbeat since, a rebalance that
 * finished), which keeps rescheduling O(log n) without a handle per timer.
 *
 * @module
 */

/** A binary min-heap ordered by `at`, ties in insertion order. */
export class DeadlineHeap<T> {
  #at: number[] = [];
  #order: number[] = [];
  #items: T[] = [];
  #next = 0;

  /** How many entries are queued (stale ones included). */
  get size(): number {
    return this.#items.length;
  }

  /** The earliest deadline, or undefined when empty. */
  peek(): number | undefined {
    return this.#at[0];
  }

  /** Queues `item` for time `at`. */
  push(at: number, item: T): void {
    this.#at.push(at);
    this.#order.push(this.#next++);
    this.#items.push(item);
    this.#up(this.#items.length - 1);
  }

  /** Removes and returns the earliest entry if it is due at `now`. */
  popDue(now: number): T | undefined {
    if (this.#items.length === 0 || this.#at[0] > now) return undefined;
    const top = this.#items[0];
    const last = this.#items.length - 1;
    this.#swap(0, last);
    this.#at.pop();
    this.#order.pop();
    this.#items.pop();
    if (last > 0) this.#down(0);
    return top;
  }

  #less(i: number, j: number): boolean {
    return this.#at[i] < this.#at[j] ||
      (this.#at[i] === this.#at[j] && this.#order[i] < this.#order[j]);
  }

  #swap(i: number, j: number): void {
    [this.#at[i], this.#at[j]] = [this.#at[j], this.#at[i]];
    [this.#order[i], this.#order[j]] = [this.#order[j], this.#order[i]];
    [this.#items[i], this.#items[j]] = [this.#items[j], this.#items[i]];
  }

  #up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(i, p)) return;
      this.#swap(i, p);
      i = p;
    }
  }

  #down(i: number): void {
    const n = this.#items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#less(l, m)) m = l;
      if (r < n && this.#less(r, m)) m = r;
      if (m === i) return;
      this.#swap(i, m);
      i = m;
    }
  }
}
