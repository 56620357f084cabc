/** Adler-32 (java.util.zip.Adler32), the checksum of Apache's txn log entries and snapshots. */
const MOD = 65521;
// Largest n such that 255n(n+1)/2 + (n+1)(MOD-1) <= 2^32-1: sums can be deferred this long.
const NMAX = 5552;

export class Adler32 {
  private a = 1;
  private b = 0;

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

  get value(): number {
    return (this.b * 65536 + this.a) >>> 0;
  }

  static of(buf: Uint8Array, start = 0, end = buf.length): number {
    return new Adler32().update(buf, start, end).value;
  }
}
