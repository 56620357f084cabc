/**
 * Kafka's binary primitives, written into one growable buffer that is reused across frames:
 * after the first few frames a hot path allocates only when a frame is larger than any before.
 *
 * @module
 */
import { KafkaProtocolError } from "./errors.ts";
import { uuidToBytes } from "./uuid.ts";

const encoder = new TextEncoder();

/** UTF-8 byte length of a string, as TextEncoder would encode it (lone surrogates as U+FFFD). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 2 UTF-16 units, 4 bytes
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}

/** Bytes an unsigned varint of v takes. */
export function uvarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** A growable output buffer; {@link reset} keeps the memory for the next frame. */
export class KafkaWriter {
  /** The buffer; replaced (twice as large) when a write does not fit. */
  buf: Uint8Array;
  /** A view over {@link buf} for the multi-byte numbers. */
  view: DataView;
  /** Bytes written so far. */
  pos = 0;

  /**
   * @example
   * ```ts
   * const w = new KafkaWriter();
   * w.int16(42);
   * w.written(); // Uint8Array [0, 42]
   * ```
   */
  constructor(initial = 1024) {
    this.buf = new Uint8Array(Math.max(16, initial));
    this.view = new DataView(this.buf.buffer);
  }

  /** Forgets what was written, keeping the buffer. */
  reset(): void {
    this.pos = 0;
  }

  /** What was written, as a view of the buffer: valid until the next write or reset. */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** A signed 8-bit integer. */
  int8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  /** A boolean as 0 or 1. */
  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  /** A big-endian signed 16-bit integer. */
  int16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }

  /** A big-endian unsigned 16-bit integer. */
  uint16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }

  /** A big-endian signed 32-bit integer. */
  int32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }

  /** A big-endian unsigned 32-bit integer. */
  uint32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }

  /** Overwrites 4 bytes already written (a frame's size prefix, once the frame is done). */
  patchInt32(at: number, v: number): void {
    this.view.setInt32(at, v);
  }

  /** A big-endian signed 64-bit integer given as a number; it must be a safe integer. */
  int64(v: number): void {
    if (!Number.isSafeInteger(v)) {
      throw new KafkaProtocolError(`int64 value ${v} is not an integer within ±2^53`);
    }
    this.ensure(8);
    const hi = Math.floor(v / 4294967296);
    this.view.setInt32(this.pos, hi);
    this.view.setUint32(this.pos + 4, v - hi * 4294967296);
    this.pos += 8;
  }

  /** A big-endian IEEE 754 double. */
  float64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  /** An unsigned varint of a value in [0, 2^32). */
  uvarint(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    while (v >= 0x80) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    buf[this.pos++] = v;
  }

  /** A zigzag varint (signed 32-bit). */
  varint(v: number): void {
    this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** A zigzag varlong (signed 64-bit) of a safe integer. */
  varlong(v: number): void {
    if (v >= -0x40000000 && v < 0x40000000 && Number.isInteger(v)) {
      return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
    }
    if (!Number.isSafeInteger(v)) {
      throw new KafkaProtocolError(`varlong value ${v} is not an integer within ±2^53`);
    }
    // Zigzag of values past 2^30 needs up to 54 bits, more than a double holds exactly.
    const b = BigInt(v);
    let u = b >= 0n ? b << 1n : (-b << 1n) - 1n;
    this.ensure(10);
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  /** A UUID given as Kafka's 22-character string. */
  uuid(s: string): void {
    this.ensure(16);
    uuidToBytes(s, this.buf, this.pos);
    this.pos += 16;
  }

  /** Raw bytes, copied into the buffer. */
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  private utf8(s: string, n: number): void {
    this.ensure(n);
    if (n === s.length) {
      const buf = this.buf;
      const start = this.pos;
      for (let i = 0; i < n; i++) buf[start + i] = s.charCodeAt(i);
    } else {
      encoder.encodeInto(s, this.buf.subarray(this.pos, this.pos + n));
    }
    this.pos += n;
  }

  private checkedLength(s: string): number {
    const n = utf8Length(s);
    if (n > 0x7fff) {
      throw new KafkaProtocolError(`string of ${n} bytes is too long for Kafka (max 32767)`);
    }
    return n;
  }

  /** An int16-prefixed string; null is refused. */
  string(s: string): void {
    if (typeof s !== "string") throw new KafkaProtocolError("non-nullable string is null");
    const n = this.checkedLength(s);
    this.int16(n);
    this.utf8(s, n);
  }

  /** An int16-prefixed string, -1 for null. */
  nullableString(s: string | null): void {
    if (s === null) return this.int16(-1);
    this.string(s);
  }

  /** A compact string; null is refused. */
  compactString(s: string): void {
    if (typeof s !== "string") throw new KafkaProtocolError("non-nullable string is null");
    const n = this.checkedLength(s);
    this.uvarint(n + 1);
    this.utf8(s, n);
  }

  /** A compact string, 0 for null. */
  compactNullableString(s: string | null): void {
    if (s === null) return this.uvarint(0);
    this.compactString(s);
  }

  /** Int32-prefixed bytes; null is refused. */
  bytes(b: Uint8Array): void {
    if (!(b instanceof Uint8Array)) throw new KafkaProtocolError("non-nullable bytes are null");
    this.int32(b.length);
    this.raw(b);
  }

  /** Int32-prefixed bytes, -1 for null. */
  nullableBytes(b: Uint8Array | null): void {
    if (b === null) return this.int32(-1);
    this.bytes(b);
  }

  /** Compact bytes; null is refused. */
  compactBytes(b: Uint8Array): void {
    if (!(b instanceof Uint8Array)) throw new KafkaProtocolError("non-nullable bytes are null");
    this.uvarint(b.length + 1);
    this.raw(b);
  }

  /** Compact bytes, 0 for null. */
  compactNullableBytes(b: Uint8Array | null): void {
    if (b === null) return this.uvarint(0);
    this.compactBytes(b);
  }

  /** An array's element count (-1 for null): int32, or unsigned varint of count + 1 if compact. */
  arrayLength(n: number, compact: boolean): void {
    if (compact) this.uvarint(n + 1);
    else this.int32(n);
  }

  /**
   * Starts a tagged field: writes its tag and reserves one byte for its size. Returns the mark to
   * give {@link endTagged} once the field's value is written.
   */
  beginTagged(tag: number): number {
    this.uvarint(tag);
    this.ensure(1);
    return this.pos++;
  }

  /** Ends a tagged field: writes its size, moving the value if the size needs more than a byte. */
  endTagged(mark: number): void {
    const size = this.pos - mark - 1;
    if (size < 0x80) {
      this.buf[mark] = size;
      return;
    }
    const extra = uvarintSize(size) - 1;
    this.ensure(extra);
    this.buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    const end = this.pos + extra;
    this.pos = mark;
    this.uvarint(size);
    this.pos = end;
  }
}
