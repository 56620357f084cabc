/**
 * The log cleaner's map from record key to the last offset it has in the dirty section (Kafka
 * 2.8.2's SkimpyOffsetMap): keys are kept only as 16-byte hashes, equal hashes count as equal
 * keys, and the map's bound comes from log.cleaner.dedupe.buffer.size exactly as Kafka computes
 * it: `slots = memory / 24` (16 hash bytes and an 8-byte offset per entry), filled to at most
 * `slots × log.cleaner.io.buffer.load.factor` distinct keys before the cleaner stops mapping.
 *
 * Kafka allocates the whole buffer up front and zeroes it before each clean; herd's table grows
 * with the keys actually seen (capacity doubling at 70 % load, never beyond `slots`), so a broker
 * whose compacted topics are small never holds 128 MB for them. Which keys fit, and where the
 * cleaner stops, depend only on the count of distinct keys, so the behaviour is Kafka's.
 *
 * @module
 */

import { murmur3x86_128 } from "./_murmur3.ts";

/** Bytes per entry Kafka counts: an MD5 (16) and an offset (8). */
export const BYTES_PER_ENTRY = 24;
const INITIAL_CAPACITY = 1024;

/**
 * Key hash → offset.
 *
 * @example
 * ```ts
 * import { OffsetMap } from "./offset_map.ts";
 * const map = new OffsetMap(1024 * 1024);
 * const key = new TextEncoder().encode("k1");
 * map.put(key, 0, key.length, 7);
 * map.get(key, 0, key.length); // 7
 * ```
 */
export class OffsetMap {
  /** Kafka's slot count for this much memory. */
  readonly slots: number;
  #capacity = 0;
  #hashes = new Uint32Array(0);
  #offsets = new Float64Array(0);
  #size = 0;
  #latestOffset = -1;
  readonly #h = new Uint32Array(4);

  constructor(readonly memory: number) {
    this.slots = Math.floor(memory / BYTES_PER_ENTRY);
    if (this.slots < 1) throw new RangeError(`an offset map of ${memory} bytes has no slot`);
    this.#alloc(Math.min(INITIAL_CAPACITY, this.slots));
  }

  /** Distinct keys in the map. */
  get size(): number {
    return this.#size;
  }

  /** The offset of the last put or {@linkcode updateLatestOffset} (-1 after clear). */
  get latestOffset(): number {
    return this.#latestOffset;
  }

  /** Share of Kafka's slots in use (the cleaner's "buffer utilization"). */
  get utilization(): number {
    return this.#size / this.slots;
  }

  /** Empty the map (and shrink it back). */
  clear(): void {
    this.#size = 0;
    this.#latestOffset = -1;
    this.#alloc(Math.min(INITIAL_CAPACITY, this.slots));
  }

  /** Map the key `bytes[start, start + length)` to `offset`. */
  put(bytes: Uint8Array, start: number, length: number, offset: number): void {
    murmur3x86_128(bytes, start, length, this.#h);
    let i = this.#find();
    if (i < 0 || this.#offsets[i] < 0) {
      if (this.#size + 1 > this.#capacity * 0.7 && this.#capacity < this.slots) {
        this.#grow();
        i = this.#find();
      }
      if (i < 0) throw new RangeError(`the offset map is full (${this.#size} keys)`);
      const h = this.#h;
      this.#hashes.set(h, i * 4);
      this.#size++;
    }
    this.#offsets[i] = offset;
    this.#latestOffset = offset;
  }

  /** The offset mapped for the key, or -1. */
  get(bytes: Uint8Array, start: number, length: number): number {
    murmur3x86_128(bytes, start, length, this.#h);
    const i = this.#find();
    return i < 0 ? -1 : this.#offsets[i];
  }

  /** Kafka's updateLatestOffset: the mapped range ends here even without a keyed record. */
  updateLatestOffset(offset: number): void {
    this.#latestOffset = offset;
  }

  /** The slot holding the current hash, or the empty slot where it would go (-1: none left). */
  #find(): number {
    const h = this.#h;
    const hashes = this.#hashes;
    const offsets = this.#offsets;
    const cap = this.#capacity;
    let i = h[0] % cap;
    for (let probes = 0; probes < cap; probes++) {
      if (offsets[i] < 0) return i;
      const at = i * 4;
      if (
        hashes[at] === h[0] && hashes[at + 1] === h[1] && hashes[at + 2] === h[2] &&
        hashes[at + 3] === h[3]
      ) return i;
      if (++i === cap) i = 0;
    }
    return -1;
  }

  #alloc(capacity: number): void {
    this.#capacity = capacity;
    this.#hashes = new Uint32Array(capacity * 4);
    this.#offsets = new Float64Array(capacity).fill(-1);
  }

  #grow(): void {
    const oldHashes = this.#hashes;
    const oldOffsets = this.#offsets;
    const h = this.#h;
    const saved = Uint32Array.from(h);
    this.#alloc(Math.min(this.#capacity * 2, this.slots));
    for (let j = 0; j < oldOffsets.length; j++) {
      if (oldOffsets[j] < 0) continue;
      h.set(oldHashes.subarray(j * 4, j * 4 + 4));
      const i = this.#find();
      this.#hashes.set(h, i * 4);
      this.#offsets[i] = oldOffsets[j];
    }
    h.set(saved);
  }
}
