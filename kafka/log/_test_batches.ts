/**
 * Test helpers: a CRC-32C and a builder of minimal v2 record batches (a header and opaque
 * "records" bytes, CRC right), so recovery and index tests can make segments without the record
 * codec. Stopgap until kafka/protocol's record batch codec and CRC-32C land; tests should then use
 * those.
 *
 * @module
 */

import type { BatchHeader } from "./_batch_headers.ts";

function table(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

const CASTAGNOLI = table(0x82f63b78);
const IEEE = table(0xedb88320);

function crc(t: Uint32Array, bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-32C (Castagnoli), as a v2 batch's crc field holds it. */
export function crc32c(bytes: Uint8Array): number {
  return crc(CASTAGNOLI, bytes);
}

/**
 * The check the record codec will make: a v2 batch's CRC-32C over attributes…end, or a v0/v1
 * message's CRC-32 over magic…end, matches the one in its header.
 */
export function crcValidator(batch: Uint8Array, h: BatchHeader): string | undefined {
  const v = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  const [stored, actual] = h.magic === 2
    ? [v.getUint32(17), crc32c(batch.subarray(21))]
    : [v.getUint32(12), crc(IEEE, batch.subarray(16))];
  return stored === actual ? undefined : `CRC mismatch (stored ${stored}, computed ${actual})`;
}

/** What a test batch carries. */
export interface TestBatch {
  baseOffset: number;
  /** Records in it (offsets baseOffset … baseOffset + count - 1). */
  count: number;
  maxTimestamp: number;
  /** Bytes of opaque payload after the header. */
  payload?: number;
  leaderEpoch?: number;
}

/** One v2 batch with a correct CRC. */
export function v2Batch(b: TestBatch): Uint8Array {
  const payload = b.payload ?? 20;
  const out = new Uint8Array(61 + payload);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, BigInt(b.baseOffset));
  v.setInt32(8, out.length - 12);
  v.setInt32(12, b.leaderEpoch ?? 0);
  v.setInt8(16, 2);
  v.setInt16(21, 0);
  v.setInt32(23, b.count - 1);
  v.setBigInt64(27, BigInt(b.maxTimestamp));
  v.setBigInt64(35, BigInt(b.maxTimestamp));
  v.setBigInt64(43, -1n);
  v.setInt16(51, -1);
  v.setInt32(53, -1);
  v.setInt32(57, b.count);
  for (let i = 61; i < out.length; i++) out[i] = (i * 7 + b.baseOffset) & 0xff || 1;
  v.setUint32(17, crc32c(out.subarray(21)));
  return out;
}

/** Batches laid end to end, as a segment. */
export function segmentOf(batches: TestBatch[]): Uint8Array {
  const parts = batches.map(v2Batch);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A magic v1 message (uncompressed, no key) with a right CRC-32: what pre-0.11 clients write. */
export function v1Message(offset: number, timestamp: number, valueBytes = 10): Uint8Array {
  const out = new Uint8Array(34 + valueBytes);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, BigInt(offset));
  v.setInt32(8, out.length - 12);
  v.setInt8(16, 1);
  v.setBigInt64(18, BigInt(timestamp));
  v.setInt32(26, -1);
  v.setInt32(30, valueBytes);
  out.fill(0x61, 34);
  v.setUint32(12, crc(IEEE, out.subarray(16)));
  return out;
}
