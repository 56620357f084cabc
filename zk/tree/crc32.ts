/**
 * CRC-32 (IEEE 802.3, java.util.zip.CRC32): the checksum behind Apache's data-tree digest.
 *
 * The functions here work on the *running register* — the bitwise complement of a finished CRC —
 * so a digest made of many small pieces (a path, data, fifteen stat words) is complemented once,
 * not per piece: start from `CRC32_START`, feed pieces, finish with `crc32Finish`.
 *
 * Short inputs go through a table in JS (slicing by four): a call into node:zlib costs ~80 ns
 * whatever the length, which is more than a whole small znode takes here. Long byte runs go to
 * node:zlib's native crc32 (tens of GB/s).
 *
 * @module
 */
import { crc32 as nativeCrc32 } from "node:zlib";

/** The register before any byte (a CRC of nothing is 0, complemented). */
export const CRC32_START = -1;

/** Eight 256-entry tables: T0 is the byte-at-a-time table, Tk shifts it by k more bytes. */
const T = new Int32Array(2048);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  for (let k = 1; k < 8; k++) {
    const prev = T[(k - 1) * 256 + n];
    T[k * 256 + n] = (prev >>> 8) ^ T[prev & 0xff];
  }
}

/** Byte runs at least this long go to the native crc32. */
const NATIVE_FROM = 128;

/** The finished CRC-32 (0..2^32-1) of a register. */
export function crc32Finish(c: number): number {
  return ~c >>> 0;
}

/** Feeds one byte. */
export function crc32Byte(c: number, b: number): number {
  return T[(c ^ b) & 0xff] ^ (c >>> 8);
}

/** Feeds a 32-bit integer as Java's ByteBuffer.putInt writes it: four bytes, big-endian. */
export function crc32Int(c: number, v: number): number {
  // The first byte on the wire is the most significant: byte-swap into the register's order.
  const a = c ^ (((v >>> 24) & 0xff) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24));
  return T[768 + (a & 0xff)] ^ T[512 + ((a >>> 8) & 0xff)] ^ T[256 + ((a >>> 16) & 0xff)] ^
    T[a >>> 24];
}

/** Feeds two 32-bit words, big-endian each: eight bytes in one step (slicing by eight). */
function crc32Words(c: number, hi: number, lo: number): number {
  const a = c ^ (((hi >>> 24) & 0xff) | ((hi >>> 8) & 0xff00) | ((hi & 0xff00) << 8) | (hi << 24));
  return T[1792 + (a & 0xff)] ^ T[1536 + ((a >>> 8) & 0xff)] ^ T[1280 + ((a >>> 16) & 0xff)] ^
    T[1024 + (a >>> 24)] ^ T[768 + ((lo >>> 24) & 0xff)] ^ T[512 + ((lo >>> 16) & 0xff)] ^
    T[256 + ((lo >>> 8) & 0xff)] ^ T[lo & 0xff];
}

/** Feeds a 64-bit integer held in a safe JS number, big-endian as ByteBuffer.putLong. */
export function crc32Long(c: number, v: number): number {
  // Math.floor gives the two's-complement high word of a negative value too.
  const hi = v >= 0 && v < 4294967296 ? 0 : Math.floor(v / 4294967296);
  return crc32Words(c, hi, v >>> 0);
}

/** Feeds a 64-bit integer held in a bigint (an ephemeralOwner), big-endian. */
export function crc32BigLong(c: number, v: bigint): number {
  if (v === 0n) return crc32Words(c, 0, 0);
  return crc32Words(c, Number(BigInt.asIntN(32, v >> 32n)), Number(BigInt.asIntN(32, v)));
}

/** Feeds `b[from, to)`. */
export function crc32Bytes(c: number, b: Uint8Array, from = 0, to = b.length): number {
  if (to - from >= NATIVE_FROM) {
    return ~nativeCrc32(b.subarray(from, to), ~c >>> 0);
  }
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const a = c ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    c = T[768 + (a & 0xff)] ^ T[512 + ((a >>> 8) & 0xff)] ^ T[256 + ((a >>> 16) & 0xff)] ^
      T[a >>> 24];
  }
  for (; i < to; i++) c = T[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return c;
}

/** Feeds a one-byte string (one char per byte, 0..255), as znodes hold small data. */
export function crc32Binary(c: number, s: string): number {
  const n = s.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = c ^
      (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) |
        (s.charCodeAt(i + 3) << 24));
    c = T[768 + (a & 0xff)] ^ T[512 + ((a >>> 8) & 0xff)] ^ T[256 + ((a >>> 16) & 0xff)] ^
      T[a >>> 24];
  }
  for (; i < n; i++) c = T[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return c;
}

const encoder = new TextEncoder();

/** Feeds a string's UTF-8 bytes (Java's String.getBytes under a UTF-8 default charset). */
export function crc32Utf8(c: number, s: string): number {
  // Paths are almost always ASCII, where a char is its byte: encode only when one is not.
  const start = c;
  const n = s.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const b0 = s.charCodeAt(i);
    const b1 = s.charCodeAt(i + 1);
    const b2 = s.charCodeAt(i + 2);
    const b3 = s.charCodeAt(i + 3);
    if ((b0 | b1 | b2 | b3) >= 0x80) return crc32Bytes(start, encoder.encode(s));
    const a = c ^ (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24));
    c = T[768 + (a & 0xff)] ^ T[512 + ((a >>> 8) & 0xff)] ^ T[256 + ((a >>> 16) & 0xff)] ^
      T[a >>> 24];
  }
  for (; i < n; i++) {
    const b = s.charCodeAt(i);
    if (b >= 0x80) return crc32Bytes(start, encoder.encode(s));
    c = T[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  return c;
}

/** The CRC-32 of `b`, as java.util.zip.CRC32 gives it. */
export function crc32(b: Uint8Array): number {
  return crc32Finish(crc32Bytes(CRC32_START, b));
}
