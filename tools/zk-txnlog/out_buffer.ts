/**
 * Output for the persistence toolkits: text and bytes gathered in one reused buffer and written
 * in large chunks. A dump of a large snapshot is tens of MB; building it as one string (or a
 * write per line) cost more than formatting it.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Where an OutBuffer writes: `Deno.stdout`, a file, or a test's collector. */
export interface ByteSink {
  writeSync(p: Uint8Array): number;
}

/**
 * A write buffer over a synchronous sink. A closed pipe (`zk-snapshot … | head`) ends the output
 * quietly, as Java's System.out does: `broken` tells the caller it may stop early.
 *
 * @example
 * ```ts
 * const out = new OutBuffer(Deno.stdout);
 * out.text("ZNode Details (count=5):\n");
 * out.flush();
 * ```
 */
export class OutBuffer {
  private buf: Uint8Array;
  private pos = 0;
  /** The sink refused a write (a closed pipe): what follows is dropped. */
  broken = false;

  constructor(private readonly sink: ByteSink, size = 1 << 20) {
    this.buf = new Uint8Array(size);
  }

  /** Makes room for `n` more bytes, flushing (or growing, for one huge item) as needed. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  /** A string as UTF-8 (lone surrogates as U+FFFD, as TextEncoder does). */
  text(s: string): void {
    // A UTF-16 unit takes at most 3 bytes. encodeInto is several times faster than copying char
    // codes one by one, even for short ASCII strings.
    this.room(s.length * 3);
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** Bytes as they are. */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    this.room(end - start);
    this.buf.set(src.subarray(start, end), this.pos);
    this.pos += end - start;
  }

  /** Writes out what is buffered. */
  flush(): void {
    const b = this.buf.subarray(0, this.pos);
    this.pos = 0;
    if (this.broken) return;
    try {
      for (let off = 0; off < b.length;) off += this.sink.writeSync(b.subarray(off));
    } catch (e) {
      if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
      this.broken = true;
    }
  }
}
