/**
 * Test helpers: a builder of minimal v2 record batches (a header and opaque "records" bytes,
 * CRC right) and magic v1 messages, so recovery and index tests can lay out segments byte by
 * byte; the CRC-32C and the integrity check are the records codec's.
 *
 * @module
 */

import { crc32c } from "../protocol/records/crc32c.ts";
import { codecBatchValidator } from "./log_loader.ts";
import type { BatchValidator } from "./segment_recovery.ts";

function ieeeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

const IEEE = ieeeTable();

function crc(t: Uint32Array, bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The records codec's check: a v2 batch's CRC-32C, a v0/v1 message's CRC-32. */
export const crcValidator: BatchValidator = codecBatchValidator;

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
