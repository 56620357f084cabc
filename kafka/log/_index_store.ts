/**
 * The storage under both index kinds: fixed-size entries in a buffer, mirrored into a file the
 * way Kafka's mmapped AbstractIndex keeps it. A new file is preallocated to the largest multiple
 * of the entry size not above segment.index.bytes (sparse zeros until written); an existing file
 * counts every whole entry in it, zeros included, exactly as Kafka assumes a pre-existing index
 * is valid; trimming cuts the file to its entries (Kafka does that when a segment is closed or
 * rolled). Each append is written through to the file at once, as a write into Kafka's mapping
 * would be visible in the page cache; `flush` makes it durable. A store opened with `deferWrites`
 * (the active segment of a PartitionLog) keeps new entries in memory until it is flushed, trimmed
 * or closed: one write instead of one per entry, and a crash loses nothing that matters, since
 * recovery rebuilds the indexes of every segment after the recovery point, and the recovery point
 * only moves past a segment once its indexes are flushed.
 *
 * Kafka looks entries up with a "warm section" binary search to keep the mmap's recently used
 * pages hot; on an in-memory buffer a plain binary search finds the same entry.
 *
 * @module
 */

/** Where an index lives: a file, or only memory (rebuilding, tests, tools). */
export class IndexStore {
  #buf: Uint8Array;
  #view: DataView;
  #entries: number;
  #length: number;
  #file: Deno.FsFile | undefined;
  /** With deferred writes: the first byte not yet written to the file. */
  #writtenUpTo: number;
  #deferWrites = false;

  private constructor(
    readonly entrySize: number,
    readonly path: string | undefined,
    bytes: Uint8Array,
    entries: number,
    length: number,
    file: Deno.FsFile | undefined,
    readonly writable: boolean,
  ) {
    this.#buf = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#entries = entries;
    this.#length = length;
    this.#file = file;
    this.#writtenUpTo = entries * entrySize;
  }

  /** An index only in memory, sized like a new file of `maxIndexSize` bytes. */
  static inMemory(entrySize: number, maxIndexSize: number): IndexStore {
    checkMaxSize(maxIndexSize, entrySize, "<memory>");
    const length = roundDown(maxIndexSize, entrySize);
    return new IndexStore(entrySize, undefined, new Uint8Array(0), 0, length, undefined, true);
  }

  /** An index over bytes read from somewhere: every whole entry counts, as for a file. */
  static fromBytes(entrySize: number, bytes: Uint8Array, label?: string): IndexStore {
    const entries = Math.floor(bytes.length / entrySize);
    return new IndexStore(entrySize, label, bytes, entries, bytes.length, undefined, false);
  }

  /**
   * Open `path` as Kafka does: a missing file is created and preallocated to `maxIndexSize`
   * rounded down to whole entries, with no entries; an existing one is read whole and all its
   * whole entries count (its length is kept until `resize`).
   */
  static open(
    path: string,
    entrySize: number,
    maxIndexSize: number,
    writable = true,
    deferWrites = false,
  ): IndexStore {
    const store = IndexStore.#open(path, entrySize, maxIndexSize, writable);
    store.#deferWrites = deferWrites;
    return store;
  }

  static #open(
    path: string,
    entrySize: number,
    maxIndexSize: number,
    writable: boolean,
  ): IndexStore {
    let existing: Uint8Array | undefined;
    try {
      existing = Deno.readFileSync(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (existing) {
      const file = writable ? Deno.openSync(path, { read: true, write: true }) : undefined;
      const entries = Math.floor(existing.length / entrySize);
      return new IndexStore(entrySize, path, existing, entries, existing.length, file, writable);
    }
    if (!writable) throw new Deno.errors.NotFound(`index file ${path} does not exist`);
    checkMaxSize(maxIndexSize, entrySize, path);
    const length = roundDown(maxIndexSize, entrySize);
    const file = Deno.openSync(path, { read: true, write: true, createNew: true });
    try {
      file.truncateSync(length);
    } catch (e) {
      file.close();
      throw e;
    }
    return new IndexStore(entrySize, path, new Uint8Array(0), 0, length, file, true);
  }

  /** The number of entries. */
  get entries(): number {
    return this.#entries;
  }

  /** How many entries the file (or its memory stand-in) has room for. */
  get maxEntries(): number {
    return Math.floor(this.#length / this.entrySize);
  }

  /** The file's length in bytes. */
  get length(): number {
    return this.#length;
  }

  /** A view over the entries; entry n starts at byte n × entrySize. Valid until the next append. */
  get view(): DataView {
    return this.#view;
  }

  /** The bytes of the entries, as the file holds them once trimmed. */
  validBytes(): Uint8Array {
    return this.#buf.subarray(0, this.#entries * this.entrySize);
  }

  /** Add one entry (already encoded) after the last, and write it to the file. */
  append(entry: Uint8Array): void {
    if (!this.writable) throw new Error(`index ${this.path ?? "<memory>"} is read-only`);
    const at = this.#entries * this.entrySize;
    this.#reserve(at + this.entrySize);
    this.#buf.set(entry, at);
    this.#entries++;
    if (this.#file && !this.#deferWrites) {
      writeAt(this.#file, at, entry);
      this.#writtenUpTo = at + this.entrySize;
    }
  }

  /** Forget every entry from `entries` on (the bytes stay in the file until trimmed or overwritten). */
  truncateToEntries(entries: number): void {
    if (entries < 0 || entries > this.#entries) {
      throw new RangeError(`cannot truncate ${this.#entries} entries to ${entries}`);
    }
    this.#entries = entries;
    this.#writtenUpTo = Math.min(this.#writtenUpTo, entries * this.entrySize);
  }

  /** Write entries kept back by deferWrites to the file (no fsync). */
  writePending(): void {
    const end = this.#entries * this.entrySize;
    if (!this.#file || this.#writtenUpTo >= end) return;
    writeAt(this.#file, this.#writtenUpTo, this.#buf.subarray(this.#writtenUpTo, end));
    this.#writtenUpTo = end;
  }

  /**
   * Set the file's length to `newSize` rounded down to whole entries (Kafka's resize): the
   * entries stay; room for more grows or shrinks. False when the length was already that.
   */
  resize(newSize: number): boolean {
    const rounded = roundDown(newSize, this.entrySize);
    if (rounded === this.#length) return false;
    this.writePending();
    this.#file?.truncateSync(rounded);
    this.#length = rounded;
    return true;
  }

  /** Cut the file to its entries (at close or roll). */
  trimToValidSize(): void {
    this.resize(this.#entries * this.entrySize);
  }

  /** Make what was written durable. */
  flush(): void {
    this.writePending();
    this.#file?.syncDataSync();
  }

  /** As flush, without blocking the event loop on the fsync. */
  async flushAsync(): Promise<void> {
    this.writePending();
    await this.#file?.syncData();
  }

  /** Trim to the entries, then close the file. */
  close(): void {
    if (!this.#file) return;
    try {
      this.writePending();
      this.trimToValidSize();
    } finally {
      this.#file.close();
      this.#file = undefined;
    }
  }

  #reserve(bytes: number): void {
    if (bytes <= this.#buf.length) return;
    let cap = Math.max(this.#buf.length * 2, 64 * this.entrySize);
    while (cap < bytes) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#entries * this.entrySize));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
}

function roundDown(n: number, factor: number): number {
  return factor * Math.floor(n / factor);
}

function checkMaxSize(maxIndexSize: number, entrySize: number, where: string): void {
  if (!Number.isInteger(maxIndexSize) || maxIndexSize < entrySize) {
    throw new RangeError(`Invalid max index size: ${maxIndexSize} (${where})`);
  }
}

function writeAt(file: Deno.FsFile, at: number, bytes: Uint8Array): void {
  file.seekSync(at, Deno.SeekMode.Start);
  let done = 0;
  while (done < bytes.length) done += file.writeSync(bytes.subarray(done));
}
