/**
 * LZ4 as Kafka frames it (KIP-57): the standard LZ4 frame with independent blocks, 64 KiB blocks
 * when herd writes, no content checksum; magic 0 message sets keep Kafka 0.8's wrong header
 * checksum (xxHash32 over the magic number too), which Apache still writes for magic 0.
 *
 * Own code rather than an npm package: `lz4js` (pure JS, last released 2017) writes frames
 * without the block-independence flag, which Apache's decoder rejects ("Dependent block stream
 * is unsupported"), and reads without bounds or checksum checks; `lz4`/`lz4-napi` are native
 * builds. The block codec is small and this one checks every length against its buffers.
 *
 * @module
 */

import { xxhash32 } from "./xxhash32.ts";

const MAGIC = 0x184d2204;
const BLOCK_SIZES: Record<number, number> = { 4: 65536, 5: 262144, 6: 1048576, 7: 4194304 };
const HASH_LOG = 14;
const MIN_MATCH = 4;

/** A frame, a block or a checksum that is not what LZ4 allows. */
export class Lz4Error extends Error {
  constructor(message: string) {
    super(`LZ4: ${message}`);
    this.name = "Lz4Error";
  }
}

function read32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

function write32(b: Uint8Array, i: number, v: number): void {
  b[i] = v;
  b[i + 1] = v >>> 8;
  b[i + 2] = v >>> 16;
  b[i + 3] = v >>> 24;
}

/**
 * Decodes one LZ4 block `src[sPos, sEnd)` into `dst` at `dPos` (never past `dEnd`); matches may
 * reach back to `dst[windowStart]`. Returns the position after the decoded bytes.
 */
export function decodeBlock(
  src: Uint8Array,
  sPos: number,
  sEnd: number,
  dst: Uint8Array,
  dPos: number,
  dEnd: number,
  windowStart: number,
): number {
  while (sPos < sEnd) {
    const token = src[sPos++];
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (sPos >= sEnd) throw new Lz4Error("literal length runs past the block");
        b = src[sPos++];
        lit += b;
      } while (b === 255);
    }
    if (sPos + lit > sEnd) throw new Lz4Error("literals run past the block");
    if (dPos + lit > dEnd) throw new Lz4Error("block decodes past its maximum size");
    if (lit > 32) dst.set(src.subarray(sPos, sPos + lit), dPos);
    else for (let i = 0; i < lit; i++) dst[dPos + i] = src[sPos + i];
    sPos += lit;
    dPos += lit;
    if (sPos === sEnd) return dPos; // the last sequence carries literals only
    if (sPos + 2 > sEnd) throw new Lz4Error("match offset runs past the block");
    const offset = src[sPos] | (src[sPos + 1] << 8);
    sPos += 2;
    if (offset === 0 || dPos - offset < windowStart) throw new Lz4Error("bad match offset");
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        if (sPos >= sEnd) throw new Lz4Error("match length runs past the block");
        b = src[sPos++];
        len += b;
      } while (b === 255);
    }
    len += MIN_MATCH;
    if (dPos + len > dEnd) throw new Lz4Error("block decodes past its maximum size");
    let from = dPos - offset;
    // Short matches (most of them) copy faster by hand than through a copyWithin call; an
    // overlapping match must go byte by byte anyway (it repeats what it just wrote).
    if (len > 32 && offset >= len) {
      dst.copyWithin(dPos, from, from + len);
      dPos += len;
    } else {
      const stop = dPos + len;
      while (dPos < stop) dst[dPos++] = dst[from++];
    }
  }
  throw new Lz4Error("block does not end with literals");
}

/** Worst-case size of one compressed block of `n` bytes. */
function blockBound(n: number): number {
  return n + ((n / 255) | 0) + 16;
}

function writeLength(dst: Uint8Array, d: number, n: number): number {
  while (n >= 255) {
    dst[d++] = 255;
    n -= 255;
  }
  dst[d++] = n;
  return d;
}

/**
 * Compresses `src[start, end)` as one independent LZ4 block into `dst` at `d`; returns the end
 * position. A greedy single-probe hash matcher: fast, and what the format guarantees any decoder
 * reads (last 5 bytes literal, last match starting 12 or more bytes before the end).
 */
export function encodeBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  d: number,
  table: Int32Array,
): number {
  table.fill(-1);
  let anchor = start;
  let ip = start;
  const mfLimit = end - 12;
  const matchLimit = end - 5;
  while (ip < mfLimit) {
    const seq = read32(src, ip);
    const h = Math.imul(seq, 2654435761) >>> (32 - HASH_LOG);
    const ref = table[h];
    table[h] = ip;
    if (ref < 0 || ip - ref > 65535 || read32(src, ref) !== seq) {
      ip += 1 + ((ip - anchor) >>> 6); // skip faster through incompressible input
      continue;
    }
    let len = MIN_MATCH;
    while (ip + len < matchLimit && src[ip + len] === src[ref + len]) len++;
    const lit = ip - anchor;
    const tokenPos = d++;
    let token = (lit >= 15 ? 15 : lit) << 4;
    if (lit >= 15) d = writeLength(dst, d, lit - 15);
    dst.set(src.subarray(anchor, ip), d);
    d += lit;
    dst[d++] = ip - ref;
    dst[d++] = (ip - ref) >>> 8;
    const ml = len - MIN_MATCH;
    token |= ml >= 15 ? 15 : ml;
    if (ml >= 15) d = writeLength(dst, d, ml - 15);
    dst[tokenPos] = token;
    ip += len;
    anchor = ip;
  }
  const lit = end - anchor;
  dst[d++] = (lit >= 15 ? 15 : lit) << 4;
  if (lit >= 15) d = writeLength(dst, d, lit - 15);
  dst.set(src.subarray(anchor, end), d);
  return d + lit;
}

function headerChecksum(frame: Uint8Array, descEnd: number, brokenKafka08: boolean): number {
  return (xxhash32(frame, brokenKafka08 ? 0 : 4, descEnd) >>> 8) & 0xff;
}

/**
 * Decompresses a Kafka LZ4 frame. `magic0` accepts Kafka 0.8's header checksum (Apache's
 * decoder skips that check for magic 0); otherwise the checksum must be right, as Apache checks.
 * Dependent blocks and dictionary ids are refused as Apache refuses them.
 *
 * @example
 * ```ts
 * import { lz4Compress, lz4Decompress } from "./lz4.ts";
 * const data = new TextEncoder().encode("abcabcabcabcabcabcabcabc");
 * console.log(lz4Decompress(lz4Compress(data)).length); // 24
 * ```
 */
export function lz4Decompress(frame: Uint8Array, magic0 = false): Uint8Array {
  if (frame.length < 7 || read32(frame, 0) !== MAGIC) throw new Lz4Error("not an LZ4 frame");
  const flg = frame[4];
  const bd = frame[5];
  if (flg >>> 6 !== 1) throw new Lz4Error(`unsupported frame version ${flg >>> 6}`);
  if ((flg & 0x20) === 0) throw new Lz4Error("Dependent block stream is unsupported");
  if (flg & 0x03) throw new Lz4Error("reserved flag bits or a dictionary id are set");
  const maxBlock = BLOCK_SIZES[(bd >>> 4) & 7];
  if (maxBlock === undefined || bd & 0x8f) throw new Lz4Error("bad block descriptor");
  const blockChecksum = (flg & 0x10) !== 0;
  const contentSize = (flg & 0x08) !== 0;
  let pos = contentSize ? 14 : 6;
  if (frame.length < pos + 1) throw new Lz4Error("truncated frame header");
  const hc = frame[pos];
  if (
    hc !== headerChecksum(frame, pos, false) && !(magic0 && hc === headerChecksum(frame, pos, true))
  ) {
    throw new Lz4Error("Stream frame descriptor corrupted");
  }
  pos++;
  let out = new Uint8Array(contentSize ? Math.min(readContentSize(frame), 1 << 26) : maxBlock);
  let outPos = 0;
  for (;;) {
    if (pos + 4 > frame.length) throw new Lz4Error("truncated frame");
    const word = read32(frame, pos) >>> 0;
    pos += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (pos + size + (blockChecksum ? 4 : 0) > frame.length) throw new Lz4Error("truncated block");
    if (blockChecksum && xxhash32(frame, pos, pos + size) !== read32(frame, pos + size) >>> 0) {
      throw new Lz4Error("Block checksum mismatch");
    }
    if (out.length - outPos < maxBlock) {
      const bigger = new Uint8Array(Math.max(out.length * 2, outPos + maxBlock));
      bigger.set(out.subarray(0, outPos));
      out = bigger;
    }
    if (word & 0x80000000) {
      if (size > maxBlock) throw new Lz4Error("stored block larger than the block size");
      out.set(frame.subarray(pos, pos + size), outPos);
      outPos += size;
    } else {
      outPos = decodeBlock(frame, pos, pos + size, out, outPos, outPos + maxBlock, outPos);
    }
    pos += size + (blockChecksum ? 4 : 0);
  }
  // A content checksum may follow; Apache ignores it and so does herd (the batch CRC covers it).
  return out.subarray(0, outPos);
}

function readContentSize(frame: Uint8Array): number {
  return (read32(frame, 6) >>> 0) + (read32(frame, 10) >>> 0) * 4294967296;
}

/**
 * Compresses `data` into a Kafka LZ4 frame as Apache's KafkaLZ4BlockOutputStream writes it:
 * FLG 0x60 (version 1, independent blocks), BD 0x40 (64 KiB), blocks, end mark. `magic0` writes
 * Kafka 0.8's header checksum, as Apache does for magic 0 message sets.
 */
export function lz4Compress(data: Uint8Array, magic0 = false): Uint8Array {
  const blockSize = 65536;
  const blocks = Math.ceil(data.length / blockSize);
  const out = new Uint8Array(7 + blocks * (4 + blockBound(blockSize)) + 4);
  write32(out, 0, MAGIC);
  out[4] = 0x60;
  out[5] = 0x40;
  out[6] = headerChecksum(out, 6, magic0);
  let d = 7;
  const table = new Int32Array(1 << HASH_LOG);
  for (let s = 0; s < data.length; s += blockSize) {
    const e = Math.min(s + blockSize, data.length);
    const end = encodeBlock(data, s, e, out, d + 4, table);
    const size = end - d - 4;
    if (size >= e - s) {
      write32(out, d, (e - s) | 0x80000000);
      out.set(data.subarray(s, e), d + 4);
      d += 4 + e - s;
    } else {
      write32(out, d, size);
      d = end;
    }
  }
  write32(out, d, 0);
  return out.subarray(0, d + 4);
}
