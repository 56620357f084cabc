/**
 * Session passwords as Apache derives them: java.util.Random seeded with sessionId ^ superSecret,
 * 16 bytes of nextBytes. Deterministic, so a client can reconnect after a server restart.
 */
const SUPER_SECRET = 0xb3415c00n;
const MULT = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;

export function sessionPassword(sessionId: bigint): Uint8Array {
  let seed = (BigInt.asUintN(64, sessionId ^ SUPER_SECRET) ^ MULT) & MASK;
  const nextInt = () => {
    seed = (seed * MULT + 0xbn) & MASK;
    return Number(BigInt.asIntN(32, seed >> 16n));
  };
  const out = new Uint8Array(16);
  for (let i = 0; i < out.length;) {
    let rnd = nextInt();
    for (let n = Math.min(out.length - i, 4); n-- > 0; rnd >>= 8) out[i++] = rnd & 0xff;
  }
  return out;
}
