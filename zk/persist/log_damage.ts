/**
 * Telling a torn tail from damage in the middle of a txn log. A crash while a batch was being
 * written leaves a partial entry followed by nothing but the zeros of preallocation: cutting it
 * loses only txns that were never acknowledged (their fsync had not returned). Bad bytes followed
 * by intact entries are something else (a flipped bit, a zeroed page, a bad disk): the entries
 * after them may have been acknowledged, so recovery must refuse rather than cut them away, as
 * Apache 3.8.0 does ("CRC check failed", exit 1, files untouched).
 */
import { Adler32 } from "./checksum.ts";
import { unmarshalTxnEntry } from "./txn_codec.ts";

const EOR = 0x42; // 'B'

/** An intact entry found after damage: where it starts and the zxid it carries. */
export interface IntactEntry {
  offset: number;
  zxid: number;
}

/** The offset just past the last non-zero byte: preallocation's zeros are not data. */
export function dataEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  if (bytes.byteOffset % 4 === 0) {
    // Four bytes at a time over the whole words: a 64 MiB preallocated tail in a few ms.
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, end >>> 2);
    for (; end > words.length * 4; end--) if (bytes[end - 1] !== 0) return end;
    let w = words.length;
    while (w > 0 && words[w - 1] === 0) w--;
    end = w * 4;
  }
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end;
}

/**
 * The first intact entry (its checksum, length, end-of-record marker and txn all good) starting
 * anywhere in `bytes` at or after `from`, or null when what follows is only garbage or zeros.
 * Every offset is tried: damage may have shifted nothing, or hidden where the next entry starts.
 */
export function findIntactEntry(bytes: Uint8Array, from: number): IntactEntry | null {
  const end = dataEnd(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = from; p + 13 <= end; p++) {
    // A txn's Adler-32 is written as a long: its high four bytes are zero.
    if (bytes[p] !== 0 || bytes[p + 1] !== 0 || bytes[p + 2] !== 0 || bytes[p + 3] !== 0) continue;
    const len = view.getInt32(p + 8);
    if (len <= 0 || p + 13 + len > end || bytes[p + 12 + len] !== EOR) continue;
    const body = bytes.subarray(p + 12, p + 12 + len);
    if (Adler32.of(body) !== view.getUint32(p + 4)) continue;
    try {
      return { offset: p, zxid: unmarshalTxnEntry(body).hdr.zxid };
    } catch {
      continue;
    }
  }
  return null;
}

/**
 * Whether the file at `path` holds any non-zero byte at or after `from`, read in 1 MiB chunks
 * into one buffer: a clean log's 64 MiB of preallocated zeros cost ~10 ms this way, against
 * ~75 ms to read the file whole.
 */
export function hasDataAfter(path: string, from: number): boolean {
  const f = Deno.openSync(path, { read: true });
  try {
    f.seekSync(from, Deno.SeekMode.Start);
    const buf = new Uint8Array(1 << 20);
    const words = new Uint32Array(buf.buffer);
    for (;;) {
      const n = f.readSync(buf);
      if (n === null) return false;
      const whole = n >>> 2;
      for (let i = 0; i < whole; i++) if (words[i] !== 0) return true;
      for (let i = whole << 2; i < n; i++) if (buf[i] !== 0) return true;
    }
  } finally {
    f.close();
  }
}
