import assert from "node:assert/strict";
import { KafkaWriter, utf8Length, uvarintSize } from "./writer.ts";
import { KafkaReader } from "./reader.ts";
import { KafkaProtocolError } from "./errors.ts";

Deno.test("fixed-width integers, floats and booleans round-trip at their edges", () => {
  const w = new KafkaWriter(16);
  const i8 = [-128, -1, 0, 127];
  const i16 = [-32768, -1, 0, 32767];
  const u16 = [0, 65535];
  const i32 = [-(2 ** 31), -1, 0, 2 ** 31 - 1];
  const u32 = [0, 2 ** 32 - 1];
  const i64 = [-(2 ** 53) + 1, -(2 ** 32) - 1, -1, 0, 2 ** 32, 2 ** 53 - 1];
  const f64 = [0, -1.5, Math.PI, Number.MAX_VALUE, -Infinity];
  for (const v of i8) w.int8(v);
  for (const v of i16) w.int16(v);
  for (const v of u16) w.uint16(v);
  for (const v of i32) w.int32(v);
  for (const v of u32) w.uint32(v);
  for (const v of i64) w.int64(v);
  for (const v of f64) w.float64(v);
  w.bool(true);
  w.bool(false);
  const r = new KafkaReader(w.written());
  assert.deepStrictEqual(i8.map(() => r.int8()), i8);
  assert.deepStrictEqual(i16.map(() => r.int16()), i16);
  assert.deepStrictEqual(u16.map(() => r.uint16()), u16);
  assert.deepStrictEqual(i32.map(() => r.int32()), i32);
  assert.deepStrictEqual(u32.map(() => r.uint32()), u32);
  assert.deepStrictEqual(i64.map(() => r.int64()), i64);
  assert.deepStrictEqual(f64.map(() => r.float64()), f64);
  assert.equal(r.bool(), true);
  assert.equal(r.bool(), false);
  assert.equal(r.remaining, 0);
});

Deno.test("int64 is exact to ±2^53 and refused beyond, both ways", () => {
  const w = new KafkaWriter();
  assert.throws(() => w.int64(2 ** 53), /not an integer within ±2\^53/);
  assert.throws(() => w.int64(1.5), KafkaProtocolError);
  // Java's Long.MAX_VALUE on the wire.
  const max = new Uint8Array([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  assert.throws(() => new KafkaReader(max).int64(), /9223372036854775807.*beyond ±2\^53/);
  w.int64(-1);
  assert.deepStrictEqual([...w.written()], [255, 255, 255, 255, 255, 255, 255, 255]);
});

Deno.test("varints match Kafka's encodings (unsigned, zigzag int and long)", () => {
  const w = new KafkaWriter(4);
  // Known encodings: 300 → ac 02; zigzag -1 → 01, 1 → 02, -64 → 7f, 64 → 80 01.
  w.uvarint(300);
  w.varint(-1);
  w.varint(1);
  w.varint(-64);
  w.varint(64);
  assert.deepStrictEqual([...w.written()], [0xac, 0x02, 0x01, 0x02, 0x7f, 0x80, 0x01]);
  const uv = [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 32 - 1];
  const sv = [0, -1, 1, -(2 ** 31), 2 ** 31 - 1];
  const lv = [0, -1, 1, -(2 ** 30), 2 ** 30, -(2 ** 53) + 1, 2 ** 53 - 1, 1_700_000_000_000];
  w.reset();
  for (const v of uv) w.uvarint(v);
  for (const v of sv) w.varint(v);
  for (const v of lv) w.varlong(v);
  const r = new KafkaReader(w.written());
  assert.deepStrictEqual(uv.map(() => r.uvarint()), uv);
  assert.deepStrictEqual(sv.map(() => r.varint()), sv);
  assert.deepStrictEqual(lv.map(() => r.varlong()), lv);
  for (const v of uv) {
    assert.equal(
      uvarintSize(v),
      (() => {
        const x = new KafkaWriter();
        x.uvarint(v);
        return x.pos;
      })(),
    );
  }
  // Every varlong's bytes equal a plain BigInt zigzag encoding (Kafka's ByteUtils.writeVarlong).
  const reference = (v: bigint): number[] => {
    let u = (v << 1n) ^ (v >> 63n);
    u &= (1n << 64n) - 1n;
    const out: number[] = [];
    while (u >= 0x80n) {
      out.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    return [...out, Number(u)];
  };
  for (let e = 0; e <= 53; e++) {
    for (const v of [2 ** e - 1, -(2 ** e) + 1, 2 ** e - 2 ** Math.max(0, e - 3)]) {
      const x = new KafkaWriter();
      x.varlong(v);
      assert.deepStrictEqual([...x.written()], reference(BigInt(v)), `varlong ${v}`);
      assert.equal(new KafkaReader(x.written()).varlong(), v);
    }
  }
  assert.throws(
    () => new KafkaReader(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).uvarint(),
    /longer than 5 bytes/,
  );
  assert.throws(() => new KafkaReader(new Uint8Array([0x80])).uvarint(), /truncated/);
});

Deno.test("strings: classic and compact, nullable, UTF-8, and Kafka's 32767-byte cap", () => {
  const cases = [
    "",
    "topic-1",
    "é",
    "节点",
    "😀",
    "\ud800",
    "x".repeat(70) + "é",
    "y".repeat(32767),
  ];
  const w = new KafkaWriter(8);
  for (const s of cases) {
    w.string(s);
    w.compactString(s);
  }
  w.nullableString(null);
  w.compactNullableString(null);
  const r = new KafkaReader(w.written());
  for (const s of cases) {
    const want = s === "\ud800" ? "\ufffd" : s; // a lone surrogate goes out as U+FFFD
    assert.equal(r.string(), want);
    assert.equal(r.compactString(), want);
  }
  assert.equal(r.nullableString(), null);
  assert.equal(r.compactNullableString(), null);
  for (const s of cases) assert.equal(utf8Length(s), new TextEncoder().encode(s).length);
  assert.throws(() => w.string("z".repeat(32768)), /too long for Kafka/);
  assert.throws(() => new KafkaReader(new Uint8Array([0xff, 0xff])).string(), /is null/);
  assert.throws(() => new KafkaReader(new Uint8Array([0, 1, 0xff])).string(), /not valid UTF-8/);
});

Deno.test("bytes come back as views of the frame; null and compact forms round-trip", () => {
  const w = new KafkaWriter();
  const data = new Uint8Array([1, 2, 3]);
  w.bytes(data);
  w.compactBytes(data);
  w.nullableBytes(null);
  w.compactNullableBytes(null);
  w.compactNullableBytes(new Uint8Array(0));
  const frame = w.written().slice();
  const r = new KafkaReader(frame);
  const a = r.bytes();
  assert.deepStrictEqual(a, data);
  assert.equal(a.buffer, frame.buffer, "bytes are a view, not a copy");
  assert.deepStrictEqual(r.compactBytes(), data);
  assert.equal(r.nullableBytes(), null);
  assert.equal(r.compactNullableBytes(), null);
  assert.deepStrictEqual(r.compactNullableBytes(), new Uint8Array(0));
});

Deno.test("array lengths: -1 and compact 0 are null; a count past the frame is refused", () => {
  const w = new KafkaWriter();
  w.arrayLength(-1, false);
  w.arrayLength(-1, true);
  w.arrayLength(2, true);
  const r = new KafkaReader(w.written());
  assert.equal(r.arrayLength(false), -1);
  assert.equal(r.arrayLength(true), -1);
  assert.throws(() => r.arrayLength(true), /array of 2 elements at offset \d+, but only 0 bytes/);
});

Deno.test("a tagged field's size is written after its value, however long the value", () => {
  for (const len of [0, 1, 127, 128, 20000]) {
    const w = new KafkaWriter(4);
    w.int8(9);
    const mark = w.beginTagged(300);
    for (let i = 0; i < len; i++) w.int8(i);
    w.endTagged(mark);
    w.int8(7);
    const r = new KafkaReader(w.written());
    assert.equal(r.int8(), 9);
    assert.equal(r.uvarint(), 300);
    assert.equal(r.uvarint(), len);
    const v = r.raw(len);
    assert.ok(v.every((b, i) => b === (((i << 24) >> 24) & 0xff)));
    assert.equal(r.int8(), 7);
    assert.equal(r.remaining, 0);
  }
});

Deno.test("a reader can be pointed at the next frame without a new reader", () => {
  const r = new KafkaReader();
  r.reset(new Uint8Array([0, 1]));
  assert.equal(r.int16(), 1);
  r.reset(new Uint8Array([9, 0, 2, 9]), 1, 3);
  assert.equal(r.int16(), 2);
  assert.throws(() => r.int8(), /truncated frame/);
});
