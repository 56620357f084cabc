import assert from "node:assert/strict";
import { giveReadBuffer, takeReadBuffer } from "./read_pool.ts";

Deno.test("read pool: buffers come back by size class, views included; small and huge are fresh", () => {
  const a = takeReadBuffer(1_000_000);
  assert.equal(a.length, 1 << 20, "rounded up to its size class");
  // A view into it (what a segment read returns) gives the whole buffer back.
  giveReadBuffer(a.subarray(100, 5000));
  const b = takeReadBuffer(900_000);
  assert.equal(b.buffer, a.buffer, "the same memory is handed out again");
  const small = takeReadBuffer(100);
  assert.equal(small.length, 100);
  giveReadBuffer(small); // not pooled: too small to be worth it
  assert.notEqual(takeReadBuffer(100).buffer, small.buffer);
  const huge = takeReadBuffer(40 << 20);
  assert.equal(huge.length, 40 << 20);
});
