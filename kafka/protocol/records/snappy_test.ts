import assert from "node:assert/strict";
import * as snappyjs from "snappyjs";
import { snappyCompress, snappyDecompress, SnappyError } from "./snappy.ts";

const text = new TextEncoder().encode("snappy! ".repeat(10_000)); // 80 000 bytes: three blocks

Deno.test("snappy: writes the xerial stream the Java client writes, 32 KiB blocks", () => {
  const s = snappyCompress(text);
  assert.deepEqual([...s.subarray(0, 16)], [
    0x82,
    83,
    78,
    65,
    80,
    80,
    89,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    1,
  ]);
  const view = new DataView(s.buffer, s.byteOffset);
  let pos = 16;
  let blocks = 0;
  while (pos < s.length) {
    pos += 4 + view.getInt32(pos);
    blocks++;
  }
  assert.equal(pos, s.length);
  assert.equal(blocks, 3);
  assert.deepEqual(snappyDecompress(s), text);
});

Deno.test("snappy: reads a raw block as librdkafka sends it", () => {
  const raw = snappyjs.compress(text) as Uint8Array;
  assert.deepEqual(snappyDecompress(raw), text);
  assert.deepEqual(snappyDecompress(snappyCompress(new Uint8Array(0))), new Uint8Array(0));
});

Deno.test("snappy: a damaged stream is a SnappyError", () => {
  const s = snappyCompress(text);
  assert.throws(() => snappyDecompress(s.subarray(0, s.length - 3)), SnappyError);
  const bad = s.slice();
  new DataView(bad.buffer).setInt32(16, 1 << 30);
  assert.throws(() => snappyDecompress(bad), SnappyError);
  assert.throws(
    () => snappyDecompress(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1])),
    SnappyError,
  );
});
