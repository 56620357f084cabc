/** Jute binary reader. Every read checks bounds and throws JuteError on truncated input. */
const decoder = new TextDecoder("utf-8", { fatal: false });

export class JuteError extends Error {
  override name = "JuteError";
}

export class JuteReader {
  readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) {
      throw new JuteError(
        `truncated record: need ${n} bytes at ${this.pos}, have ${this.end - this.pos}`,
      );
    }
  }

  int(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  /** 64-bit as a number; exact for zxids and times (< 2^53). */
  long(): number {
    this.need(8);
    const hi = this.view.getInt32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  bigLong(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  bool(): boolean {
    this.need(1);
    return this.buf[this.pos++] !== 0;
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  private length(what: string): number {
    const n = this.int();
    if (n < -1) throw new JuteError(`negative ${what} length ${n}`);
    if (n > this.end - this.pos) throw new JuteError(`${what} length ${n} exceeds record`);
    return n;
  }

  string(): string | null {
    const n = this.length("string");
    if (n === -1) return null;
    const s = decoder.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  /** A string that must be present (a null is read as ""). */
  str(): string {
    return this.string() ?? "";
  }

  buffer(): Uint8Array | null {
    const n = this.length("buffer");
    if (n === -1) return null;
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** Count of a vector; -1 is null. Bounded by the bytes left so a bad count cannot allocate. */
  count(minElemSize = 1): number {
    const n = this.int();
    if (n < -1 || n * minElemSize > this.end - this.pos) {
      throw new JuteError(`bad vector length ${n}`);
    }
    return n;
  }

  stringVector(): string[] | null {
    const n = this.count(4);
    if (n === -1) return null;
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = this.str();
    return out;
  }
}
