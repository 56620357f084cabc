/**
 * Snappy as Kafka clients send it: the Java client (snappy-java's SnappyOutputStream) writes the
 * xerial stream — an 8-byte magic `\x82SNAPPY\0`, two int32 versions, then blocks of 32 KiB input
 * each prefixed by its big-endian compressed length — while other clients may send one raw Snappy
 * block. Apache's reader (SnappyInputStream) takes either, so herd does too, and writes xerial.
 *
 * Raw blocks go through `snappyjs` (pure JS, no native build, checks its bitstream): Deno and
 * node:zlib have no Snappy.
 *
 * @module
 */

// @ts-types="./_snappyjs.d.ts"
import * as snappyjs from "snappyjs";

const XERIAL_MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00];
const XERIAL_HEADER = 16;
const XERIAL_BLOCK = 32 * 1024;

/** A Snappy stream or block that cannot be decoded. */
export class SnappyError extends Error {
  constructor(message: string) {
    super(`Snappy: ${message}`);
    this.name = "SnappyError";
  }
}

function isXerial(b: Uint8Array): boolean {
  if (b.length < XERIAL_HEADER) return false;
  for (let i = 0; i < 8; i++) if (b[i] !== XERIAL_MAGIC[i]) return false;
  return true;
}

function rawUncompress(b: Uint8Array): Uint8Array {
  try {
    return snappyjs.uncompress(b);
  } catch (e) {
    throw new SnappyError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Decompresses a xerial stream or a raw Snappy block.
 *
 * @example
 * ```ts
 * import { snappyCompress, snappyDecompress } from "./snappy.ts";
 * const data = new TextEncoder().encode("hello hello hello hello");
 * console.log(snappyDecompress(snappyCompress(data)).length); // 23
 * ```
 */
export function snappyDecompress(b: Uint8Array): Uint8Array {
  if (!isXerial(b)) return rawUncompress(b);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = XERIAL_HEADER;
  while (pos < b.length) {
    if (pos + 4 > b.length) throw new SnappyError("truncated xerial block length");
    const n = view.getInt32(pos);
    pos += 4;
    if (n < 0 || pos + n > b.length) throw new SnappyError("xerial block runs past the stream");
    const part = rawUncompress(b.subarray(pos, pos + n));
    parts.push(part);
    total += part.length;
    pos += n;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Compresses as the Java client does: a xerial stream of 32 KiB blocks. */
export function snappyCompress(data: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [];
  let total = XERIAL_HEADER;
  for (let s = 0; s < data.length; s += XERIAL_BLOCK) {
    const block = snappyjs.compress(data.subarray(s, Math.min(s + XERIAL_BLOCK, data.length)));
    blocks.push(block);
    total += 4 + block.length;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(XERIAL_MAGIC, 0);
  view.setInt32(8, 1);
  view.setInt32(12, 1);
  let pos = XERIAL_HEADER;
  for (const block of blocks) {
    view.setInt32(pos, block.length);
    out.set(block, pos + 4);
    pos += 4 + block.length;
  }
  return out;
}
