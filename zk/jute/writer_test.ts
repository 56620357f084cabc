import assert from "node:assert/strict";
import { JuteWriter } from "./writer.ts";
import { JuteReader } from "./reader.ts";

Deno.test("strings round-trip as UTF-8 ustrings: ASCII fast path, non-ASCII, long, null", () => {
  const cases = [
    "",
    "/",
    "/a/b",
    "/节点/数据",
    "/é",
    "x".repeat(128),
    "/".repeat(129),
    "y".repeat(5000) + "é",
  ];
  const w = new JuteWriter(8);
  for (const s of cases) w.string(s);
  w.string(null);
  const r = new JuteReader(w.bytes());
  for (const s of cases) assert.equal(r.string(), s);
  assert.equal(r.string(), null);
  assert.equal(r.remaining, 0);
  // Byte lengths are UTF-8 lengths.
  const w2 = new JuteWriter();
  w2.string("/节");
  assert.deepEqual([...w2.bytes().subarray(0, 4)], [0, 0, 0, 4]);
});

Deno.test("longs keep 53-bit zxids and times exact; binary buffers copy bytes", () => {
  const w = new JuteWriter();
  w.long(0x1_0000_0001);
  w.long(1795568712875);
  w.long(-1);
  w.binaryBuffer("\u0000\u00ff\u0041");
  const r = new JuteReader(w.bytes());
  assert.equal(r.long(), 0x1_0000_0001);
  assert.equal(r.long(), 1795568712875);
  assert.equal(r.long(), -1);
  assert.deepEqual([...r.buffer()!], [0, 255, 65]);
});
