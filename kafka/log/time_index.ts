/**
 * A segment's time index (`.timeindex`), byte for byte as Kafka 2.8.2 writes it: 12-byte entries
 * of a timestamp (int64 ms) and the offset relative to the segment's base offset (int32),
 * big-endian. Timestamps only rise: an entry is added only when the segment's largest timestamp
 * so far has grown, and it names the offset of the batch that carried it, so a lookup by time
 * finds where to start reading for "the first record at or after T".
 *
 * @module
 */

import { IndexStore } from "./_index_store.ts";
import { CorruptIndexError, IndexOffsetOverflowError, InvalidOffsetError } from "./log_errors.ts";
import { DEFAULT_MAX_INDEX_SIZE } from "./offset_index.ts";

/** RecordBatch.NO_TIMESTAMP: what an empty time index answers with. */
export const NO_TIMESTAMP = -1;

const ENTRY_SIZE = 12;

/** A timestamp and the offset of the batch that holds it. */
export interface TimestampOffset {
  timestamp: number;
  offset: number;
}

/**
 * The time index of one segment.
 *
 * @example
 * ```ts
 * const index = TimeIndex.inMemory(0);
 * index.maybeAppend(1_700_000_000_100, 16);
 * index.maybeAppend(1_700_000_000_050, 17); // ignored: not above the last timestamp
 * index.lookup(1_700_000_000_200); // { timestamp: 1700000000100, offset: 16 }
 * ```
 */
export class TimeIndex {
  #last: TimestampOffset;

  private constructor(readonly baseOffset: number, readonly store: IndexStore) {
    this.#last = this.#lastFromStore();
  }

  /** Open or create `path` (see IndexStore.open for Kafka's preallocation rules). */
  static open(
    path: string,
    baseOffset: number,
    maxIndexSize = DEFAULT_MAX_INDEX_SIZE,
    writable = true,
    deferWrites = false,
  ): TimeIndex {
    return new TimeIndex(
      baseOffset,
      IndexStore.open(path, ENTRY_SIZE, maxIndexSize, writable, deferWrites),
    );
  }

  /** An empty index kept only in memory, with room for `maxIndexSize` bytes of entries. */
  static inMemory(baseOffset: number, maxIndexSize = DEFAULT_MAX_INDEX_SIZE): TimeIndex {
    return new TimeIndex(baseOffset, IndexStore.inMemory(ENTRY_SIZE, maxIndexSize));
  }

  /** A read-only index over a file's bytes (`label` names it in errors). */
  static fromBytes(baseOffset: number, bytes: Uint8Array, label?: string): TimeIndex {
    return new TimeIndex(baseOffset, IndexStore.fromBytes(ENTRY_SIZE, bytes, label));
  }

  /** The number of entries. */
  get entries(): number {
    return this.store.entries;
  }

  /** Room in the file, in entries. */
  get maxEntries(): number {
    return this.store.maxEntries;
  }

  /** Full one entry early: Kafka keeps the last slot for the entry written at roll. */
  get isFull(): boolean {
    return this.store.entries >= this.store.maxEntries - 1;
  }

  /** The last entry, or (NO_TIMESTAMP, base offset) when there is none. */
  get lastEntry(): TimestampOffset {
    return this.#last;
  }

  /** Entry `n` (0-based). */
  entry(n: number): TimestampOffset {
    if (n < 0 || n >= this.store.entries) {
      throw new RangeError(
        `Attempt to fetch the ${n}th entry from time index ${this.#name()} which has size ${this.store.entries}.`,
      );
    }
    return this.#parse(n);
  }

  /** Every entry, in order. */
  all(): TimestampOffset[] {
    const out: TimestampOffset[] = [];
    for (let n = 0; n < this.store.entries; n++) out.push(this.#parse(n));
    return out;
  }

  /**
   * The entry with the largest timestamp at or below `target`, or (NO_TIMESTAMP, base offset)
   * when there is none: where to start scanning for the first record at or after `target`.
   */
  lookup(target: number): TimestampOffset {
    const v = this.store.view;
    let hi = this.store.entries - 1;
    if (hi < 0 || Number(v.getBigInt64(0)) > target) {
      return { timestamp: NO_TIMESTAMP, offset: this.baseOffset };
    }
    let lo = 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (Number(v.getBigInt64(mid * ENTRY_SIZE)) > target) hi = mid - 1;
      else lo = mid;
    }
    return this.#parse(lo);
  }

  /**
   * Add (timestamp, offset) if the timestamp is above the last entry's, as Kafka's maybeAppend:
   * an equal or smaller timestamp is skipped (that is how the entry written at close or roll
   * repeats nothing), an offset below the last entry's or a timestamp going back is an error.
   * `skipFullCheck` lets the entry written at roll use the slot kept for it.
   */
  maybeAppend(timestamp: number, offset: number, skipFullCheck = false): void {
    if (!skipFullCheck && this.isFull) {
      throw new InvalidOffsetError(
        `Attempt to append to a full time index (size = ${this.entries}).`,
      );
    }
    if (this.entries !== 0 && offset < this.#last.offset) {
      throw new InvalidOffsetError(
        `Attempt to append an offset (${offset}) to slot ${this.entries} no larger than the last offset appended (${this.#last.offset}) to ${this.#name()}.`,
      );
    }
    if (this.entries !== 0 && timestamp < this.#last.timestamp) {
      throw new InvalidOffsetError(
        `Attempt to append a timestamp (${timestamp}) to slot ${this.entries} no larger than the last timestamp appended (${this.#last.timestamp}) to ${this.#name()}.`,
      );
    }
    if (timestamp <= this.#last.timestamp) return;
    if (this.entries >= this.maxEntries) {
      throw new InvalidOffsetError(`no room in time index ${this.#name()} for another entry`);
    }
    const rel = offset - this.baseOffset;
    if (rel < 0 || rel > 0x7fff_ffff) {
      throw new IndexOffsetOverflowError(
        `Integer overflow for offset: ${offset} (${this.#name()}, base offset ${this.baseOffset})`,
      );
    }
    const entry = new Uint8Array(ENTRY_SIZE);
    const v = new DataView(entry.buffer);
    v.setBigInt64(0, BigInt(timestamp));
    v.setInt32(8, rel);
    this.store.append(entry);
    this.#last = { timestamp, offset };
  }

  /** Remove every entry whose offset is at or above `offset`. */
  truncateTo(offset: number): void {
    // Offsets in a time index never fall, so the search by offset is a binary search too.
    const v = this.store.view;
    let lo = 0;
    let hi = this.store.entries;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.baseOffset + v.getInt32(mid * ENTRY_SIZE + 8) >= offset) hi = mid;
      else lo = mid + 1;
    }
    this.store.truncateToEntries(lo);
    this.#last = this.#lastFromStore();
  }

  /** Remove every entry and give the file its full size again (before a rebuild). */
  reset(maxIndexSize: number): void {
    this.store.truncateToEntries(0);
    this.store.resize(maxIndexSize);
    this.#last = this.#lastFromStore();
  }

  /**
   * Kafka's sanity check (what `kafka-dump-log.sh --index-sanity-check` runs): the last entry's
   * timestamp below the first's, its offset below the base offset, or a length that is not whole
   * entries, are corrupt.
   */
  sanityCheck(): void {
    const { timestamp, offset } = this.#last;
    if (this.entries !== 0) {
      const first = Number(this.store.view.getBigInt64(0));
      if (timestamp < first) {
        throw new CorruptIndexError(
          `Corrupt time index found, time index file (${this.#name()}) has non-zero size but the last timestamp is ${timestamp} which is less than the first timestamp ${first}`,
        );
      }
      if (offset < this.baseOffset) {
        throw new CorruptIndexError(
          `Corrupt time index found, time index file (${this.#name()}) has non-zero size but the last offset is ${offset} which is less than the first offset ${this.baseOffset}`,
        );
      }
    }
    if (this.store.length % ENTRY_SIZE !== 0) {
      throw new CorruptIndexError(
        `Time index file ${this.#name()} is corrupt, found ${this.store.length} bytes which is neither positive nor a multiple of ${ENTRY_SIZE}.`,
      );
    }
  }

  /** The bytes of the file once trimmed to its entries. */
  bytes(): Uint8Array {
    return this.store.validBytes();
  }

  /** Cut the file to its entries (at roll). */
  trimToValidSize(): void {
    this.store.trimToValidSize();
  }

  /** Set the file's room (Kafka grows the active segment's index back to segment.index.bytes). */
  resize(newSize: number): boolean {
    const changed = this.store.resize(newSize);
    if (changed) this.#last = this.#lastFromStore();
    return changed;
  }

  /** Make the entries durable. */
  flush(): void {
    this.store.flush();
  }

  /** Make the entries durable without blocking on the fsync. */
  flushAsync(): Promise<void> {
    return this.store.flushAsync();
  }

  /** Trim and close the file. */
  close(): void {
    this.store.close();
  }

  #name(): string {
    return this.store.path ?? "<memory>";
  }

  #parse(n: number): TimestampOffset {
    const v = this.store.view;
    const at = n * ENTRY_SIZE;
    return {
      timestamp: Number(v.getBigInt64(at)),
      offset: this.baseOffset + v.getInt32(at + 8),
    };
  }

  #lastFromStore(): TimestampOffset {
    const n = this.store.entries;
    return n === 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.#parse(n - 1);
  }
}
