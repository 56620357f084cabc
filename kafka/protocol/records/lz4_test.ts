import assert from "node:assert/strict";
import { lz4Compress, lz4Decompress, Lz4Error } from "./lz4.ts";
import { xxhash32 } from "./xxhash32.ts";

function sample(n: number, seed = 1): Uint8Array {
  // Half text-like (compressible), half pseudo-random (not).
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i % 1024 < 512 ? 97 + ((i / 7) % 26 | 0) : x >>> 24;
  }
  return out;
}

Deno.test("xxhash32: reference vectors (xxhash 0.8, python-xxhash agrees)", () => {
  const e = new TextEncoder();
  assert.equal(xxhash32(e.encode("")), 0x02cc5d05);
  assert.equal(xxhash32(e.encode("abc")), 0x32d153ff);
  assert.equal(xxhash32(e.encode("Nobody inspects the spammish repetition")), 0xe2293b2f);
  assert.equal(xxhash32(e.encode("abc"), 0, 3, 12345), 0x6e79e829);
});

Deno.test("lz4: round trips empty, tiny, multi-block and incompressible data", () => {
  for (const n of [0, 1, 12, 13, 100, 65536, 65537, 200_000]) {
    const data = sample(n, n);
    const frame = lz4Compress(data);
    assert.deepEqual(lz4Decompress(frame), data, `n=${n}`);
  }
  const random = Uint8Array.from({ length: 70_000 }, (_, i) => (Math.sin(i) * 10000) & 0xff);
  assert.deepEqual(lz4Decompress(lz4Compress(random)), random);
});

Deno.test("lz4: writes Apache's frame header (independent 64 KiB blocks)", () => {
  const frame = lz4Compress(sample(1000));
  assert.deepEqual([...frame.subarray(0, 6)], [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40]);
  assert.equal(frame[6], (xxhash32(frame, 4, 6) >>> 8) & 0xff);
  assert.deepEqual([...frame.subarray(frame.length - 4)], [0, 0, 0, 0]);
});

Deno.test("lz4: Kafka 0.8's header checksum is read only for magic 0", () => {
  const broken = lz4Compress(sample(500), true);
  assert.equal(broken[6], (xxhash32(broken, 0, 6) >>> 8) & 0xff);
  assert.deepEqual(lz4Decompress(broken, true), sample(500));
  assert.throws(() => lz4Decompress(broken), /descriptor corrupted/);
  // A correct checksum is fine for magic 0 as well.
  assert.deepEqual(lz4Decompress(lz4Compress(sample(500)), true), sample(500));
});

Deno.test("lz4: refuses what Apache refuses and never reads past its input", () => {
  const frame = lz4Compress(sample(5000));
  const dependent = frame.slice();
  dependent[4] = 0x40;
  dependent[6] = (xxhash32(dependent, 4, 6) >>> 8) & 0xff;
  assert.throws(() => lz4Decompress(dependent), /Dependent block/);
  assert.throws(() => lz4Decompress(frame.subarray(0, 3)), Lz4Error);
  for (let cut = 7; cut < frame.length; cut += 97) {
    assert.throws(() => lz4Decompress(frame.subarray(0, cut)), Lz4Error, `cut at ${cut}`);
  }
  // Garbage inside a block: an error, never a hang or an out-of-range read.
  for (let i = 11; i < frame.length - 4; i += 13) {
    const bad = frame.slice();
    bad[i] ^= 0xff;
    try {
      lz4Decompress(bad);
    } catch (e) {
      assert.ok(e instanceof Lz4Error, String(e));
    }
  }
});

Deno.test("lz4: checks block checksums when the frame has them", () => {
  // Build a frame with FLG block-checksum bit from a stored (uncompressed) block by hand.
  const data = new TextEncoder().encode("block checksum please");
  const frame = new Uint8Array(7 + 4 + data.length + 4 + 4);
  frame.set([0x04, 0x22, 0x4d, 0x18, 0x70, 0x40]);
  frame[6] = (xxhash32(frame, 4, 6) >>> 8) & 0xff;
  const v = new DataView(frame.buffer);
  v.setUint32(7, (data.length | 0x80000000) >>> 0, true);
  frame.set(data, 11);
  v.setUint32(11 + data.length, xxhash32(data), true);
  assert.deepEqual(lz4Decompress(frame), data);
  frame[12] ^= 1;
  assert.throws(() => lz4Decompress(frame), /Block checksum mismatch/);
});
