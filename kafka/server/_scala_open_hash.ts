/**
 * The key order of Scala 2.12.13's open-addressing maps, replayed: `mutable.AnyRefMap` (Kafka
 * 2.8.2's metadata cache keys topics by name in one) and `mutable.LongMap` (each topic's
 * partitions), so that herd lists topics and partitions in Metadata as Apache does
 * (metadata_cache_order.ts).
 *
 * Both keep one array of slots, iterated from slot 0 up. A key's home slot is a MurmurHash3
 * finalizer of its hash masked by the table size; a taken slot probes on (+1, +9, +26 … the
 * quadratic step `2(x+1)x - 3`); a removed key leaves a vacancy that a later insert may reuse.
 * The table starts at max(8, next power of two of the requested size) slots and is rebuilt
 * ("repacked", walking the old slots in order) once live plus vacant slots pass half of it.
 * LongMap keeps key 0 outside the table and iterates it first.
 *
 * @module
 */

const INDEX_MASK = 0x3fffffff;
/** A vacated slot (AnyRefMap marks it Int.MinValue; any non-zero marker works here). */
const VACANT = Symbol("vacant");

/** The mask of a table asked to hold `n` entries (`defaultInitialize`). */
function initialMask(n: number): number {
  if (n < 0) return 7;
  return (((1 << (32 - Math.clz32(n - 1))) - 1) & INDEX_MASK) | 7;
}

/** The finalizer both maps apply to a 32-bit hash. */
function murmurMix(h: number): number {
  const i = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return i ^ (i >>> 13);
}

/** The next slot of a probe after `x` steps. */
function probe(e: number, x: number, mask: number): number {
  return (e + 2 * (x + 1) * x - 3) & mask;
}

/** One open-addressing table of keys with a home-slot function; the shared part of both maps. */
class OpenTable<K> {
  #slots: (K | typeof VACANT | undefined)[];
  #mask: number;
  #size = 0;
  #vacant = 0;

  constructor(initialSize: number, private readonly home: (key: K, mask: number) => number) {
    this.#mask = initialMask(initialSize);
    this.#slots = new Array(this.#mask + 1);
  }

  get size(): number {
    return this.#size;
  }

  /** Puts `key`; one already present keeps its slot. */
  add(key: K): void {
    let e = this.home(key, this.#mask);
    let x = 0;
    let open = -1;
    for (let s = this.#slots[e]; s !== undefined; s = this.#slots[e]) {
      if (s === key) return;
      if (open < 0 && s === VACANT) open = e;
      x++;
      e = probe(e, x, this.#mask);
    }
    this.#size++;
    if (open >= 0) {
      this.#slots[open] = key;
      this.#vacant--;
      return;
    }
    this.#slots[e] = key;
    const imbalanced = this.#size + this.#vacant > 0.5 * this.#mask || this.#vacant > this.#size;
    if (imbalanced) this.#repack();
  }

  /** Removes `key`, leaving a vacancy. */
  delete(key: K): void {
    let e = this.home(key, this.#mask);
    let x = 0;
    for (let s = this.#slots[e]; s !== undefined; s = this.#slots[e]) {
      if (s === key) {
        this.#slots[e] = VACANT;
        this.#size--;
        this.#vacant++;
        return;
      }
      x++;
      e = probe(e, x, this.#mask);
    }
  }

  /** The keys in slot order. */
  keys(): K[] {
    const out: K[] = [];
    for (const s of this.#slots) if (s !== undefined && s !== VACANT) out.push(s);
    return out;
  }

  #repack(): void {
    let m = this.#mask;
    if (this.#size + this.#vacant >= 0.5 * this.#mask && !(this.#vacant > 0.2 * this.#mask)) {
      m = ((m << 1) + 1) & INDEX_MASK;
    }
    while (m > 8 && 8 * this.#size < m) m = m >>> 1;
    const old = this.keys();
    this.#mask = m;
    this.#slots = new Array(m + 1);
    this.#vacant = 0;
    for (const k of old) {
      let e = this.home(k, m);
      for (let x = 1; this.#slots[e] !== undefined; x++) e = probe(e, x, m);
      this.#slots[e] = k;
    }
  }
}

/** A Scala 2.12.13 `mutable.AnyRefMap[String, _]`'s keys. */
export class AnyRefMapOrder {
  readonly #table: OpenTable<string>;

  /** `new AnyRefMap(initialBufferSize)`; 16 is `AnyRefMap.empty`'s. */
  constructor(initialSize = 16, hashOf: (key: string) => number) {
    this.#table = new OpenTable(initialSize, (key, mask) => {
      const j = murmurMix(hashOf(key)) & 0x7fffffff;
      return (j === 0 ? 0x41081989 : j) & mask;
    });
  }

  /** How many keys it holds. */
  get size(): number {
    return this.#table.size;
  }

  /** `map(key) = …` */
  add(key: string): void {
    this.#table.add(key);
  }

  /** `map.remove(key)` */
  delete(key: string): void {
    this.#table.delete(key);
  }

  /** The keys in iteration order. */
  keys(): string[] {
    return this.#table.keys();
  }
}

/** A Scala 2.12.13 `mutable.LongMap[_]`'s keys, for keys from 0 to 2^31 - 1. */
export class LongMapOrder {
  readonly #table: OpenTable<number>;
  #zero = false;

  /** `new LongMap(initialBufferSize)`; 16 is `LongMap.empty`'s. */
  constructor(initialSize = 16) {
    this.#table = new OpenTable(initialSize, (key, mask) => murmurMix(key) & mask);
  }

  /** How many keys it holds. */
  get size(): number {
    return this.#table.size + (this.#zero ? 1 : 0);
  }

  /** `map(key) = …` */
  add(key: number): void {
    if (key === 0) this.#zero = true;
    else this.#table.add(key);
  }

  /** The keys in iteration order: 0 first, then slot order. */
  keys(): number[] {
    const rest = this.#table.keys();
    return this.#zero ? [0, ...rest] : rest;
  }
}
