/**
 * Kafka's zig-zag varints (protobuf style) as record v2 uses them, read from and written to
 * plain byte arrays at a position. Private to the record layer: values are JS numbers, which
 * hold every int32 and every varlong a record can sensibly carry (|v| <= 2^52: zig-zag doubles
 * the magnitude, which must stay below 2^53 to be exact; timestamps are near 2^41).
 *
 * @module
 */

import { invalidRecord } from "./errors.ts";

/** A read position in a byte array; readers advance `pos` and never read at or past `end`. */
export interface Cursor {
  bytes: Uint8Array;
  pos: number;
  end: number;
}

/**
 * Reads a zig-zag varint (at most 5 bytes, as Java's ByteUtils.readVarint). Too long a varint or
 * one running past `end` is an INVALID_RECORD, as Apache reports "Found invalid record structure".
 */
export function readVarint(c: Cursor): number {
  const b = c.bytes;
  let pos = c.pos;
  let value = 0;
  for (let shift = 0; shift <= 28; shift += 7) {
    if (pos >= c.end) throw invalidRecord("Found invalid record structure");
    const byte = b[pos++];
    value |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      c.pos = pos;
      return (value >>> 1) ^ -(value & 1);
    }
  }
  throw invalidRecord("Found invalid record structure");
}

/** Reads a zig-zag varlong (at most 10 bytes) as a number. */
export function readVarlong(c: Cursor): number {
  const b = c.bytes;
  let pos = c.pos;
  // Four bytes fit an int32 without loss; most deltas end there.
  let low = 0;
  for (let shift = 0; shift <= 21; shift += 7) {
    if (pos >= c.end) throw invalidRecord("Found invalid record structure");
    const byte = b[pos++];
    low |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      c.pos = pos;
      return (low >>> 1) ^ -(low & 1);
    }
  }
  let value = low >>> 0;
  let scale = 268435456; // 2^28
  for (let i = 4; i < 10; i++) {
    if (pos >= c.end) throw invalidRecord("Found invalid record structure");
    const byte = b[pos++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      c.pos = pos;
      return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    }
    scale *= 128;
  }
  throw invalidRecord("Found invalid record structure");
}

/** Bytes a zig-zag varint of `v` (an int32) takes. */
export function sizeOfVarint(v: number): number {
  let z = ((v << 1) ^ (v >> 31)) >>> 0;
  let n = 1;
  while (z >= 0x80) {
    z >>>= 7;
    n++;
  }
  return n;
}

/** Bytes a zig-zag varlong of `v` takes. */
export function sizeOfVarlong(v: number): number {
  if (v >= -0x40000000 && v < 0x40000000) return sizeOfVarint(v);
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  let n = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    n++;
  }
  return n;
}

/** Writes a zig-zag varint at `pos`; returns the position after it. */
export function writeVarint(b: Uint8Array, pos: number, v: number): number {
  let z = ((v << 1) ^ (v >> 31)) >>> 0;
  while (z >= 0x80) {
    b[pos++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  b[pos++] = z;
  return pos;
}

/** Writes a zig-zag varlong at `pos`; returns the position after it. */
export function writeVarlong(b: Uint8Array, pos: number, v: number): number {
  if (v >= -0x40000000 && v < 0x40000000) return writeVarint(b, pos, v);
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  while (z >= 128) {
    b[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  b[pos++] = z;
  return pos;
}
