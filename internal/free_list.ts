/**
 * A bounded free list. Connections take their read buffer and reply writers from one, so session
 * churn reuses buffers instead of allocating three per connection: every ArrayBuffer is external
 * memory to V8, and thousands of short-lived ones a second drive it into full collections.
 */
export class FreeList<T> {
  private readonly items: T[] = [];

  constructor(private readonly make: () => T, private readonly max: number) {}

  /** A pooled item, or a new one when the list is empty. */
  take(): T {
    return this.items.pop() ?? this.make();
  }

  /** Returns `item` for reuse; the caller must hold no reference to it after this. */
  give(item: T): void {
    if (this.items.length < this.max) this.items.push(item);
  }

  get size(): number {
    return this.items.length;
  }
}
