import assert from "node:assert/strict";
import {
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from "./_varint.ts";
import { RecordsError } from "./errors.ts";

/** Zig-zag LEB128 by BigInt, the definition (protobuf sint64 / Kafka's ByteUtils). */
function reference(v: bigint): number[] {
  let z = v >= 0n ? v * 2n : -v * 2n - 1n;
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return out;
}

const ints = [
  0,
  1,
  -1,
  63,
  -64,
  64,
  -65,
  300,
  8191,
  -8192,
  2 ** 20,
  2 ** 30,
  -(2 ** 31),
  2 ** 31 - 1,
];
const longs = [
  ...ints,
  2 ** 31,
  -(2 ** 31) - 1,
  1_700_000_000_000,
  -1_700_000_000_001,
  2 ** 52 - 1,
  -(2 ** 52),
];

Deno.test("varint: int32 values encode as Kafka's ByteUtils and read back", () => {
  for (const v of ints) {
    const b = new Uint8Array(10);
    const end = writeVarint(b, 0, v);
    assert.deepEqual([...b.subarray(0, end)], reference(BigInt(v)), `${v}`);
    assert.equal(sizeOfVarint(v), end);
    const c = { bytes: b, pos: 0, end };
    assert.equal(readVarint(c), v);
    assert.equal(c.pos, end);
  }
});

Deno.test("varlong: timestamps and int64 values up to 2^52 round trip", () => {
  for (const v of longs) {
    const b = new Uint8Array(12);
    const end = writeVarlong(b, 0, v);
    assert.deepEqual([...b.subarray(0, end)], reference(BigInt(v)), `${v}`);
    assert.equal(sizeOfVarlong(v), end);
    const c = { bytes: b, pos: 0, end };
    assert.equal(readVarlong(c), v);
    assert.equal(c.pos, end);
  }
});

Deno.test("varint: too long or truncated is INVALID_RECORD", () => {
  const six = new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  assert.throws(
    () => readVarint({ bytes: six, pos: 0, end: 6 }),
    (e) => e instanceof RecordsError && e.code === 87,
  );
  const eleven = new Uint8Array(11).fill(0x80);
  assert.throws(() => readVarlong({ bytes: eleven, pos: 0, end: 11 }), RecordsError);
  assert.throws(() => readVarint({ bytes: six, pos: 0, end: 3 }), RecordsError);
});
