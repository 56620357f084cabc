/**
 * A segment's offset index (`.index`), byte for byte as Kafka 2.8.2 writes it: 8-byte entries of
 * the offset relative to the segment's base offset (int32) and the byte position of a batch in
 * the `.log` (int32), big-endian, in increasing offset order. It is sparse: an entry is added
 * only every log.index.interval.bytes of log (see segment_indexer.ts), and each entry's offset is
 * the last offset of the batch starting at its position.
 *
 * @module
 */

import { IndexStore } from "./_index_store.ts";
import { CorruptIndexError, IndexOffsetOverflowError, InvalidOffsetError } from "./log_errors.ts";

/** segment.index.bytes' default: 10 MiB. */
export const DEFAULT_MAX_INDEX_SIZE = 10 * 1024 * 1024;

const ENTRY_SIZE = 8;

/** An offset and the byte position in the segment where its batch starts. */
export interface OffsetPosition {
  offset: number;
  position: number;
}

/**
 * The offset index of one segment.
 *
 * @example
 * ```ts
 * const index = OffsetIndex.inMemory(100);
 * index.append(120, 4136);
 * index.lookup(130); // { offset: 120, position: 4136 }
 * index.lookup(110); // { offset: 100, position: 0 }: before the first entry, the segment start
 * ```
 */
export class OffsetIndex {
  #lastOffset: number;

  private constructor(readonly baseOffset: number, readonly store: IndexStore) {
    this.#lastOffset = this.#lastEntry().offset;
  }

  /** Open or create `path` (see IndexStore.open for Kafka's preallocation rules). */
  static open(
    path: string,
    baseOffset: number,
    maxIndexSize = DEFAULT_MAX_INDEX_SIZE,
    writable = true,
    deferWrites = false,
  ): OffsetIndex {
    return new OffsetIndex(
      baseOffset,
      IndexStore.open(path, ENTRY_SIZE, maxIndexSize, writable, deferWrites),
    );
  }

  /** An empty index kept only in memory, with room for `maxIndexSize` bytes of entries. */
  static inMemory(baseOffset: number, maxIndexSize = DEFAULT_MAX_INDEX_SIZE): OffsetIndex {
    return new OffsetIndex(baseOffset, IndexStore.inMemory(ENTRY_SIZE, maxIndexSize));
  }

  /** A read-only index over a file's bytes (`label` names it in errors). */
  static fromBytes(baseOffset: number, bytes: Uint8Array, label?: string): OffsetIndex {
    return new OffsetIndex(baseOffset, IndexStore.fromBytes(ENTRY_SIZE, bytes, label));
  }

  /** The number of entries. */
  get entries(): number {
    return this.store.entries;
  }

  /** Room in the file, in entries. */
  get maxEntries(): number {
    return this.store.maxEntries;
  }

  /** No room for another entry: the segment must roll. */
  get isFull(): boolean {
    return this.store.entries >= this.store.maxEntries;
  }

  /** The last entry's offset, or the base offset when there is none. */
  get lastOffset(): number {
    return this.#lastOffset;
  }

  /** Entry `n` (0-based). */
  entry(n: number): OffsetPosition {
    if (n < 0 || n >= this.store.entries) {
      throw new RangeError(
        `Attempt to fetch the ${n}th entry from index ${this.#name()}, which has size ${this.store.entries}.`,
      );
    }
    return this.#parse(n);
  }

  /** Every entry, in order. */
  all(): OffsetPosition[] {
    const out: OffsetPosition[] = [];
    for (let n = 0; n < this.store.entries; n++) out.push(this.#parse(n));
    return out;
  }

  /**
   * The entry with the largest offset at or below `target`; the segment's start
   * (base offset, position 0) when every entry is above it or there are none.
   */
  lookup(target: number): OffsetPosition {
    const slot = this.#largestLowerBound(target);
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.#parse(slot);
  }

  /** Whether `offset` fits this segment's 4-byte relative offsets. */
  canAppendOffset(offset: number): boolean {
    const rel = offset - this.baseOffset;
    return rel >= 0 && rel <= 0x7fff_ffff;
  }

  /** Add an entry: `offset` must be above the last one, and there must be room. */
  append(offset: number, position: number): void {
    if (this.isFull) {
      throw new InvalidOffsetError(`Attempt to append to a full index (size = ${this.entries}).`);
    }
    if (this.entries !== 0 && offset <= this.#lastOffset) {
      throw new InvalidOffsetError(
        `Attempt to append an offset (${offset}) to position ${this.entries} no larger than the last offset appended (${this.#lastOffset}) to ${this.#name()}.`,
      );
    }
    if (!Number.isInteger(position) || position < 0 || position > 0x7fff_ffff) {
      throw new RangeError(`index position ${position} is not an int32 file position`);
    }
    const entry = new Uint8Array(ENTRY_SIZE);
    const v = new DataView(entry.buffer);
    v.setInt32(0, this.#relative(offset));
    v.setInt32(4, position);
    this.store.append(entry);
    this.#lastOffset = offset;
  }

  /** Remove every entry whose offset is at or above `offset`. */
  truncateTo(offset: number): void {
    const slot = this.#largestLowerBound(offset);
    const keep = slot < 0 ? 0 : this.#parse(slot).offset === offset ? slot : slot + 1;
    this.store.truncateToEntries(keep);
    this.#lastOffset = this.#lastEntry().offset;
  }

  /** Remove every entry and give the file its full size again (Kafka's reset, before a rebuild). */
  reset(maxIndexSize: number): void {
    this.store.truncateToEntries(0);
    this.#lastOffset = this.baseOffset;
    this.store.resize(maxIndexSize);
  }

  /**
   * Kafka's sanity check (what `kafka-dump-log.sh --index-sanity-check` runs): entries whose
   * last offset is below the base offset, or a length that is not whole entries, are corrupt.
   */
  sanityCheck(): void {
    if (this.entries !== 0 && this.#lastOffset < this.baseOffset) {
      throw new CorruptIndexError(
        `Corrupt index found, index file (${this.#name()}) has non-zero size but the last offset is ${this.#lastOffset} which is less than the base offset ${this.baseOffset}.`,
      );
    }
    if (this.store.length % ENTRY_SIZE !== 0) {
      throw new CorruptIndexError(
        `Index file ${this.#name()} is corrupt, found ${this.store.length} bytes which is neither positive nor a multiple of ${ENTRY_SIZE}.`,
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
    return this.store.resize(newSize);
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

  #relative(offset: number): number {
    if (!this.canAppendOffset(offset)) {
      throw new IndexOffsetOverflowError(
        `Integer overflow for offset: ${offset} (${this.#name()}, base offset ${this.baseOffset})`,
      );
    }
    return offset - this.baseOffset;
  }

  #parse(n: number): OffsetPosition {
    const v = this.store.view;
    const at = n * ENTRY_SIZE;
    return { offset: this.baseOffset + v.getInt32(at), position: v.getInt32(at + 4) };
  }

  #lastEntry(): OffsetPosition {
    const n = this.store.entries;
    return n === 0 ? { offset: this.baseOffset, position: 0 } : this.#parse(n - 1);
  }

  /** The slot of the largest offset ≤ target, or -1. */
  #largestLowerBound(target: number): number {
    const v = this.store.view;
    let lo = 0;
    let hi = this.store.entries - 1;
    if (hi < 0 || this.baseOffset + v.getInt32(0) > target) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.baseOffset + v.getInt32(mid * ENTRY_SIZE) > target) hi = mid - 1;
      else lo = mid;
    }
    return lo;
  }
}
