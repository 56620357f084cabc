import assert from "node:assert/strict";
import { murmur3x86_128 } from "./_murmur3.ts";
import { BYTES_PER_ENTRY, OffsetMap } from "./offset_map.ts";

const enc = new TextEncoder();

Deno.test("murmur3 x86_128: the published vectors (mmh3.hash128, little-endian words)", () => {
  const out = new Uint32Array(4);
  const hex = (s: string) => {
    const b = enc.encode(s);
    murmur3x86_128(b, 0, b.length, out);
    return [...out].map((w) => w.toString(16).padStart(8, "0")).join("");
  };
  // Python's mmh3 5.3.1: hash128(s, 0, False).to_bytes(16, "little"), read back as 4 LE words.
  assert.equal(hex(""), "0".repeat(32));
  assert.equal(hex("hello"), "2b2444a0db91def79adb31b69adb31b6");
  assert.equal(hex("hello, world"), "8b21605cb9b98a1e93273a83eb5957c7");
  assert.equal(
    hex("The quick brown fox jumps over the lazy dog"),
    "2f1583c3ecee2c675d7bf66ce5e91d2c",
  );
  // A range inside a larger buffer hashes as the bytes alone.
  const big = enc.encode("xxhelloyy");
  murmur3x86_128(big, 2, 5, out);
  assert.equal([...out].map((w) => w.toString(16).padStart(8, "0")).join(""), hex("hello"));
});

Deno.test("offset map: last put wins, latest offset, misses are -1", () => {
  const m = new OffsetMap(1024 * 1024);
  assert.equal(m.slots, Math.floor(1024 * 1024 / BYTES_PER_ENTRY));
  const k = (s: string) => enc.encode(s);
  m.put(k("a"), 0, 1, 3);
  m.put(k("b"), 0, 1, 4);
  m.put(k("a"), 0, 1, 9);
  assert.equal(m.get(k("a"), 0, 1), 9);
  assert.equal(m.get(k("b"), 0, 1), 4);
  assert.equal(m.get(k("c"), 0, 1), -1);
  assert.equal(m.size, 2);
  assert.equal(m.latestOffset, 9);
  m.updateLatestOffset(20);
  assert.equal(m.latestOffset, 20);
  m.clear();
  assert.equal(m.size, 0);
  assert.equal(m.latestOffset, -1);
  assert.equal(m.get(k("a"), 0, 1), -1);
});

Deno.test("offset map: grows past its first table and keeps every key, up to Kafka's slots", () => {
  const m = new OffsetMap(100_000 * BYTES_PER_ENTRY);
  for (let i = 0; i < 90_000; i++) {
    const key = enc.encode(`key-${i}`);
    m.put(key, 0, key.length, i);
  }
  assert.equal(m.size, 90_000);
  for (let i = 0; i < 90_000; i += 997) {
    const key = enc.encode(`key-${i}`);
    assert.equal(m.get(key, 0, key.length), i);
  }
  // Filled to 90 % of the slots (Kafka's load factor) the table is still exactly the budget.
  assert.equal(m.utilization, 0.9);
  const tiny = new OffsetMap(3 * BYTES_PER_ENTRY);
  for (const s of ["a", "b", "c"]) tiny.put(enc.encode(s), 0, 1, 1);
  assert.throws(() => tiny.put(enc.encode("d"), 0, 1, 1), /full/);
});
