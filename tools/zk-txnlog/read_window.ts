/**
 * Input for the persistence toolkits: a file read front to back through one reused buffer, so a
 * log preallocated to 64 MiB is read only up to its last entry and a large snapshot never sits in
 * memory whole.
 *
 * @module
 */

/** Reads into `into` and returns how many bytes came, or null at the end of the input. */
export type ReadInto = (into: Uint8Array) => number | null;

/**
 * A forward-only window: `ensure(n)` makes `buf[pos, pos + n)` hold the next n bytes of the
 * input; the caller reads them through `buf`/`view` and advances `pos`. Bytes before `pos` may be
 * dropped on the next `ensure`, after `beforeDrop` has seen them (a running checksum).
 *
 * @example
 * ```ts
 * using f = Deno.openSync("log.1");
 * const w = ReadWindow.ofFile(f);
 * if (w.ensure(16)) console.log(w.view.getInt32(w.pos)); // the magic number
 * ```
 */
export class ReadWindow {
  buf: Uint8Array;
  view: DataView;
  /** Where the next unread byte is in `buf`. */
  pos = 0;
  /** How many bytes of `buf` hold input. */
  end = 0;
  /** The input offset of `buf[0]`. */
  private base = 0;
  private done = false;
  /** Called with the buffer and `pos` before `buf[0, pos)` is dropped. */
  beforeDrop: ((buf: Uint8Array, pos: number) => void) | null = null;

  constructor(private readonly read: ReadInto, size = 1 << 20) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  /** A window on an open file, from its current position. */
  static ofFile(file: Deno.FsFile, size?: number): ReadWindow {
    return new ReadWindow((into) => file.readSync(into), size);
  }

  /** A window on bytes already in memory (a gunzipped snapshot): no copy. */
  static ofBytes(bytes: Uint8Array): ReadWindow {
    const w = new ReadWindow(() => null, 0);
    w.buf = bytes;
    w.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    w.end = bytes.length;
    w.done = true;
    return w;
  }

  /** The input offset of `pos`. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Whether the next `n` bytes are (now) in `buf` from `pos`; false if the input ends first. */
  ensure(n: number): boolean {
    if (this.end - this.pos >= n) return true;
    if (this.done) return false;
    this.beforeDrop?.(this.buf, this.pos);
    const keep = this.end - this.pos;
    if (n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(n, this.buf.length * 2));
      bigger.set(this.buf.subarray(this.pos, this.end));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    } else {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = keep;
    while (this.end < this.buf.length) {
      const got = this.read(this.buf.subarray(this.end));
      if (got === null) {
        this.done = true;
        break;
      }
      this.end += got;
    }
    return this.end - this.pos >= n;
  }
}
