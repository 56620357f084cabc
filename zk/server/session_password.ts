/**
 * Session passwords as Apache derives them: java.util.Random seeded with sessionId ^ superSecret,
 * 16 bytes of nextBytes. Deterministic, so a client can reconnect after a server restart.
 *
 * Random's 48-bit LCG runs on two 24-bit halves in doubles (every product stays below 2^53):
 * BigInt arithmetic allocated a few hundred bytes per session.
 */
const SUPER_SECRET = 0xb3415c00n;
const MULT = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;
const TWO24 = 0x1000000;
const MULT_HI = 0x5de;
const MULT_LO = 0xece66d;

export function sessionPassword(sessionId: bigint): Uint8Array {
  const seed = Number((BigInt.asUintN(64, sessionId ^ SUPER_SECRET) ^ MULT) & MASK);
  let hi = Math.floor(seed / TWO24);
  let lo = seed % TWO24;
  const out = new Uint8Array(16);
  for (let i = 0; i < out.length;) {
    // seed = (seed * MULT + 0xB) mod 2^48; nextInt() = (int) (seed >>> 16)
    const low = lo * MULT_LO + 0xb;
    const carry = Math.floor(low / TWO24);
    hi = (hi * MULT_LO + lo * MULT_HI + carry) % TWO24;
    lo = low % TWO24;
    let rnd = (hi << 8) | (lo >>> 16);
    for (let n = Math.min(out.length - i, 4); n-- > 0; rnd >>= 8) out[i++] = rnd & 0xff;
  }
  return out;
}

/** Does the password a client sent match its session's? */
export function samePassword(a: Uint8Array, b: Uint8Array | null): boolean {
  if (b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
