/** Adler-32 (java.util.zip.Adler32), the checksum of Apache's txn log entries and snapshots. */
const MOD = 65521;
// Largest n such that 255n(n+1)/2 + (n+1)(MOD-1) <= 2^32-1: sums can be deferred this long.
const NMAX = 5552;

/**
 * A running Adler-32. Its two sums (`a`, `b`, each below 65521 between updates) are public so a
 * caller can note them at points of a long input and later get the checksum of the bytes between
 * two such points, or splice that checksum into another running one, without reading the bytes
 * again: a snapshot patch copies most of the old file and checksums it once, not twice.
 */
export class Adler32 {
  a = 1;
  b = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let a = this.a;
    let b = this.b;
    let i = start;
    while (i < end) {
      const stop = Math.min(end, i + NMAX);
      for (; i < stop; i++) {
        a += buf[i];
        b += a;
      }
      a %= MOD;
      b %= MOD;
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /**
   * Continues as if the `len` bytes whose own Adler-32 is `value` had been passed to update.
   * For bytes after a prefix with sums (a, b): a' = a + a2 - 1 and b' = b + b2 + len * (a - 1).
   */
  append(value: number, len: number): this {
    const a2 = value & 0xffff;
    const b2 = value >>> 16;
    const carry = ((len % MOD) * (this.a + MOD - 1)) % MOD;
    this.a = (this.a + a2 + MOD - 1) % MOD;
    this.b = (this.b + b2 + carry) % MOD;
    return this;
  }

  get value(): number {
    return (this.b * 65536 + this.a) >>> 0;
  }

  static of(buf: Uint8Array, start = 0, end = buf.length): number {
    return new Adler32().update(buf, start, end).value;
  }

  /**
   * The Adler-32 of the `len` bytes between two points of one input, given the sums noted at
   * each: append solved for the appended part.
   */
  static between(a1: number, b1: number, a2: number, b2: number, len: number): number {
    const a = (a2 - a1 + 1 + MOD) % MOD;
    const carry = ((len % MOD) * (a1 + MOD - 1)) % MOD;
    const b = (((b2 - b1 - carry) % MOD) + 2 * MOD) % MOD;
    return (b * 65536 + a) >>> 0;
  }
}
