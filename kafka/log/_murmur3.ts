/**
 * MurmurHash3, x86 128-bit variant (Austin Appleby's public-domain algorithm, written here from
 * its published description): the log cleaner's key hash. Kafka's SkimpyOffsetMap keys its map by
 * a 16-byte MD5 of each record key and treats equal hashes as equal keys; herd keeps the same
 * 16-byte width (so a collision is as unlikely as Kafka's) with a hash that is cheap in
 * JavaScript. Results go into `out[0..3]` so hashing allocates nothing.
 *
 * @module
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function le32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/**
 * Hash `bytes[start, start + length)` into `out` (four uint32 words).
 *
 * @example
 * ```ts
 * const out = new Uint32Array(4);
 * murmur3x86_128(new Uint8Array(0), 0, 0, out); // out is [0, 0, 0, 0] for seed 0
 * ```
 */
export function murmur3x86_128(
  bytes: Uint8Array,
  start: number,
  length: number,
  out: Uint32Array,
  seed = 0,
): void {
  let h1 = seed, h2 = seed, h3 = seed, h4 = seed;
  const blocks = start + (length & ~15);
  for (let i = start; i < blocks; i += 16) {
    let k1 = le32(bytes, i), k2 = le32(bytes, i + 4), k3 = le32(bytes, i + 8);
    let k4 = le32(bytes, i + 12);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  const t = blocks;
  const rest = length & 15;
  let k1 = 0, k2 = 0, k3 = 0, k4 = 0;
  if (rest > 12) {
    for (let j = rest - 1; j >= 12; j--) k4 ^= bytes[t + j] << ((j - 12) * 8);
    h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
  }
  if (rest > 8) {
    for (let j = Math.min(rest, 12) - 1; j >= 8; j--) k3 ^= bytes[t + j] << ((j - 8) * 8);
    h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
  }
  if (rest > 4) {
    for (let j = Math.min(rest, 8) - 1; j >= 4; j--) k2 ^= bytes[t + j] << ((j - 4) * 8);
    h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
  }
  if (rest > 0) {
    for (let j = Math.min(rest, 4) - 1; j >= 0; j--) k1 ^= bytes[t + j] << (j * 8);
    h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  }
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
  out[2] = h3;
  out[3] = h4;
}
