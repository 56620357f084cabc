/**
 * Jute binary writer: big-endian ints, length-prefixed strings and buffers.
 * One growable buffer reused across records so hot paths allocate only when it grows.
 */
const encoder = new TextEncoder();

export class JuteWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  /** Drops what was written, keeping the buffer. */
  reset(): void {
    this.pos = 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  int(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }

  /** A 64-bit value given as a number (exact up to 2^53: zxids, times). */
  long(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / 4294967296);
    this.view.setInt32(this.pos, hi);
    this.view.setUint32(this.pos + 4, v - hi * 4294967296);
    this.pos += 8;
  }

  /** A 64-bit value given as a bigint (session ids use all 64 bits). */
  bigLong(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  /** ustring: int32 byte length (-1 for null) then UTF-8. */
  string(s: string | null): void {
    if (s === null) return this.int(-1);
    // Worst case UTF-8 is 3 bytes per UTF-16 unit.
    this.ensure(4 + s.length * 3);
    const n = s.length;
    if (n <= 128) {
      // Paths are short and almost always ASCII: copying chars beats a call into the encoder
      // (and a subarray) per string, which shows in snapshots and getChildren replies.
      const buf = this.buf;
      const start = this.pos + 4;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        this.view.setInt32(this.pos, n);
        this.pos = start + n;
        return;
      }
    }
    const { written } = encoder.encodeInto(s, this.buf.subarray(this.pos + 4));
    this.view.setInt32(this.pos, written);
    this.pos += 4 + written;
  }

  /** buffer: int32 length (-1 for null) then bytes. */
  buffer(b: Uint8Array | null): void {
    if (b === null) return this.int(-1);
    this.ensure(4 + b.length);
    this.view.setInt32(this.pos, b.length);
    this.buf.set(b, this.pos + 4);
    this.pos += 4 + b.length;
  }

  /** A buffer given as a one-byte string (one char per byte): int32 length then the bytes. */
  binaryBuffer(s: string): void {
    const n = s.length;
    this.ensure(4 + n);
    this.view.setInt32(this.pos, n);
    const buf = this.buf;
    let p = this.pos + 4;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  stringVector(v: readonly string[] | null): void {
    if (v === null) return this.int(-1);
    this.int(v.length);
    for (const s of v) this.string(s);
  }

  /** Reserves an int32 length prefix; returns where to patch it with endFrame. */
  beginFrame(): number {
    this.ensure(4);
    const at = this.pos;
    this.pos += 4;
    return at;
  }

  endFrame(at: number): void {
    this.view.setInt32(at, this.pos - at - 4);
  }

  /** A copy of what was written. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
