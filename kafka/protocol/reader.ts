/**
 * Kafka's binary primitives, read from a frame in place. Every read checks bounds and throws
 * {@link KafkaProtocolError} on truncated or malformed input. Bytes, records and raw tagged fields
 * come back as subarray views of the frame, never copies: they stay valid only as long as the
 * frame's buffer is not reused.
 *
 * @module
 */
import { KafkaProtocolError } from "./errors.ts";
import { uuidToString } from "./uuid.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Kafka caps strings at a signed int16 of bytes, compact ones included (Java's readString). */
const MAX_STRING_BYTES = 0x7fff;

/** A cursor over one frame (or part of one), reusable across frames with {@link reset}. */
export class KafkaReader {
  /** The bytes being read. */
  buf: Uint8Array;
  /** A view over {@link buf} for the multi-byte numbers. */
  view: DataView;
  /** The next byte to read. */
  pos: number;
  /** One past the last byte this reader may read. */
  end: number;

  /**
   * @example
   * ```ts
   * const r = new KafkaReader(new Uint8Array([0, 42]));
   * r.int16(); // 42
   * ```
   */
  constructor(buf: Uint8Array = new Uint8Array(0), start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  /** Points this reader at another frame without allocating a new reader. */
  reset(buf: Uint8Array, start = 0, end = buf.length): void {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.pos = start;
    this.end = end;
  }

  /** Bytes left before {@link end}. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) {
      throw new KafkaProtocolError(
        `truncated frame: need ${n} bytes at offset ${this.pos}, have ${this.end - this.pos}`,
      );
    }
  }

  /** A signed 8-bit integer. */
  int8(): number {
    this.need(1);
    return (this.buf[this.pos++] << 24) >> 24;
  }

  /** A boolean: Kafka writes 0 or 1 and reads any non-zero byte as true. */
  bool(): boolean {
    this.need(1);
    return this.buf[this.pos++] !== 0;
  }

  /** A big-endian signed 16-bit integer. */
  int16(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  /** A big-endian unsigned 16-bit integer. */
  uint16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  /** A big-endian signed 32-bit integer. */
  int32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  /** A big-endian unsigned 32-bit integer. */
  uint32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  /**
   * A big-endian signed 64-bit integer as a number. herd keeps int64 fields (offsets, timestamps,
   * producer ids, epochs) as numbers so handlers do plain arithmetic without a BigInt per field;
   * a value outside ±2^53 cannot be carried exactly and is refused rather than rounded.
   */
  int64(): number {
    this.need(8);
    const hi = this.view.getInt32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    // |hi| < 2^21 keeps the value within ±2^53; -2^53 itself is not a safe integer.
    if (hi > 0x1fffff || hi < -0x200000 || (hi === -0x200000 && lo === 0)) {
      throw new KafkaProtocolError(
        `int64 at offset ${this.pos} (${this.view.getBigInt64(this.pos)}) is beyond ±2^53`,
      );
    }
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** A big-endian IEEE 754 double. */
  float64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** An unsigned varint (up to 5 bytes, 32 bits), as Kafka's ByteUtils.readUnsignedVarint. */
  uvarint(): number {
    const buf = this.buf;
    let pos = this.pos;
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= this.end) this.need(pos - this.pos + 1);
      const b = buf[pos++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
    }
    throw new KafkaProtocolError(`varint at offset ${this.pos} is longer than 5 bytes`);
  }

  /** A zigzag varint (signed 32-bit), as the record format uses. */
  varint(): number {
    const u = this.uvarint();
    if (u > 0xffffffff) throw new KafkaProtocolError(`varint at offset ${this.pos} overflows`);
    return (u >>> 1) ^ -(u & 1);
  }

  /** A zigzag varlong (signed 64-bit) as a number; refused beyond ±2^53 as {@link int64}. */
  varlong(): number {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let u = 0;
    // Up to 7 bytes (49 bits) a double holds exactly; longer ones take the BigInt path.
    for (let shift = 0; shift < 49; shift += 7) {
      if (pos >= this.end) this.need(pos - start + 1);
      const b = buf[pos++];
      u += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        this.pos = pos;
        return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      }
    }
    let big = BigInt(u);
    for (let shift = 49n; shift < 70n; shift += 7n) {
      if (pos >= this.end) this.need(pos - start + 1);
      const b = buf[pos++];
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        const v = (big >> 1n) ^ -(big & 1n);
        if (v > 9007199254740991n || v < -9007199254740991n) {
          throw new KafkaProtocolError(`varlong at offset ${start} (${v}) is beyond ±2^53`);
        }
        this.pos = pos;
        return Number(v);
      }
    }
    throw new KafkaProtocolError(`varlong at offset ${start} is longer than 10 bytes`);
  }

  /** A 16-byte UUID, as Kafka prints it (URL-safe base64 without padding, 22 characters). */
  uuid(): string {
    this.need(16);
    const s = uuidToString(this.buf, this.pos);
    this.pos += 16;
    return s;
  }

  /** The next n bytes as a view (no copy). */
  raw(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Skips n bytes. */
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  private utf8(n: number): string {
    this.need(n);
    const buf = this.buf;
    const start = this.pos;
    this.pos += n;
    if (n <= 64) {
      // Topic names, client ids and group ids are short ASCII: building the string directly beats
      // a call into TextDecoder plus a subarray per string.
      let s = "";
      for (let i = start; i < start + n; i++) {
        const c = buf[i];
        if (c >= 0x80) return this.decodeUtf8(start, n);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.decodeUtf8(start, n);
  }

  private decodeUtf8(start: number, n: number): string {
    try {
      return decoder.decode(this.buf.subarray(start, start + n));
    } catch {
      throw new KafkaProtocolError(`string at offset ${start} is not valid UTF-8`);
    }
  }

  private stringLength(n: number, what: string): number {
    if (n > MAX_STRING_BYTES) {
      throw new KafkaProtocolError(`${what} at offset ${this.pos} has invalid length ${n}`);
    }
    return n;
  }

  /** An int16-prefixed string that must not be null. */
  string(): string {
    const n = this.int16();
    if (n < 0) throw new KafkaProtocolError(`non-nullable string at offset ${this.pos} is null`);
    return this.utf8(n);
  }

  /** An int16-prefixed string, -1 for null. */
  nullableString(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.utf8(n);
  }

  /** A compact string (unsigned varint length + 1) that must not be null. */
  compactString(): string {
    const n = this.uvarint() - 1;
    if (n < 0) throw new KafkaProtocolError(`non-nullable string at offset ${this.pos} is null`);
    return this.utf8(this.stringLength(n, "compact string"));
  }

  /** A compact string, 0 for null. */
  compactNullableString(): string | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.utf8(this.stringLength(n, "compact string"));
  }

  /** Int32-prefixed bytes that must not be null, as a view. */
  bytes(): Uint8Array {
    const n = this.int32();
    if (n < 0) throw new KafkaProtocolError(`non-nullable bytes at offset ${this.pos} are null`);
    return this.raw(n);
  }

  /** Int32-prefixed bytes, -1 for null, as a view. */
  nullableBytes(): Uint8Array | null {
    const n = this.int32();
    return n < 0 ? null : this.raw(n);
  }

  /** Compact bytes that must not be null, as a view. */
  compactBytes(): Uint8Array {
    const n = this.uvarint() - 1;
    if (n < 0) throw new KafkaProtocolError(`non-nullable bytes at offset ${this.pos} are null`);
    return this.raw(n);
  }

  /** Compact bytes, 0 for null, as a view. */
  compactNullableBytes(): Uint8Array | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.raw(n);
  }

  /**
   * An array's element count: int32, or unsigned varint + 1 when compact; -1 for null. A count
   * larger than the bytes left is refused before anything is allocated, as Kafka's generated
   * readers do ("Tried to allocate a collection of size …").
   */
  arrayLength(compact: boolean): number {
    const n = compact ? this.uvarint() - 1 : this.int32();
    if (n > this.end - this.pos) {
      throw new KafkaProtocolError(
        `array of ${n} elements at offset ${this.pos}, but only ${
          this.end - this.pos
        } bytes remain`,
      );
    }
    return n < 0 ? -1 : n;
  }
}
