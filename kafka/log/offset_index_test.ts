import assert from "node:assert/strict";
import { DEFAULT_MAX_INDEX_SIZE, OffsetIndex, type OffsetPosition } from "./offset_index.ts";
import { CorruptIndexError, IndexOffsetOverflowError, InvalidOffsetError } from "./log_errors.ts";

function entries(...pairs: [number, number][]): Uint8Array {
  const out = new Uint8Array(pairs.length * 8);
  const v = new DataView(out.buffer);
  pairs.forEach(([rel, pos], i) => {
    v.setInt32(i * 8, rel);
    v.setInt32(i * 8 + 4, pos);
  });
  return out;
}

Deno.test("offset index: entries are big-endian relative offset and position", () => {
  const ix = OffsetIndex.inMemory(1000);
  ix.append(1016, 4136);
  ix.append(1032, 8272);
  assert.deepEqual(ix.bytes(), entries([16, 4136], [32, 8272]));
  assert.equal(ix.lastOffset, 1032);
  assert.deepEqual(ix.entry(1), { offset: 1032, position: 8272 });
  assert.throws(() => ix.entry(2), RangeError);
});

Deno.test("offset index: lookup finds the largest entry at or below the target", () => {
  const ix = OffsetIndex.inMemory(100);
  assert.deepEqual(ix.lookup(150), { offset: 100, position: 0 }, "empty: the segment start");
  const at: OffsetPosition[] = [];
  for (let i = 1; i <= 2000; i++) {
    ix.append(100 + 10 * i, 4000 * i);
    at.push({ offset: 100 + 10 * i, position: 4000 * i });
  }
  assert.deepEqual(ix.lookup(105), { offset: 100, position: 0 }, "below the first entry");
  assert.deepEqual(ix.lookup(110), at[0]);
  assert.deepEqual(ix.lookup(119), at[0]);
  assert.deepEqual(ix.lookup(12_345), at[1223]);
  assert.deepEqual(ix.lookup(20_100), at[1999]);
  assert.deepEqual(ix.lookup(1e12), at[1999]);
  // Every target against a linear scan.
  for (let t = 95; t < 20_200; t += 7) {
    const want = at.filter((e) => e.offset <= t).at(-1) ?? { offset: 100, position: 0 };
    assert.deepEqual(ix.lookup(t), want, `target ${t}`);
  }
});

Deno.test("offset index: appends must rise, fit in int32 and find room", () => {
  const ix = OffsetIndex.inMemory(0, 24);
  ix.append(5, 0);
  assert.throws(() => ix.append(5, 10), InvalidOffsetError);
  assert.throws(() => ix.append(4, 10), /no larger than the last offset appended \(5\)/);
  assert.throws(() => ix.append(0x8000_0000, 10), IndexOffsetOverflowError);
  assert.ok(ix.canAppendOffset(0x7fff_ffff));
  assert.ok(!ix.canAppendOffset(-1));
  ix.append(6, 10);
  ix.append(7, 20);
  assert.ok(ix.isFull);
  assert.throws(() => ix.append(8, 30), /full index/);
});

Deno.test("offset index: truncateTo drops entries at or above an offset", () => {
  const ix = OffsetIndex.inMemory(0);
  for (const o of [10, 20, 30, 40]) ix.append(o, o * 100);
  ix.truncateTo(30);
  assert.deepEqual(ix.all().map((e) => e.offset), [10, 20]);
  ix.truncateTo(25);
  assert.deepEqual(ix.all().map((e) => e.offset), [10, 20]);
  ix.truncateTo(15);
  assert.equal(ix.lastOffset, 10);
  ix.truncateTo(0);
  assert.equal(ix.entries, 0);
  assert.equal(ix.lastOffset, 0);
  ix.append(5, 0);
});

Deno.test("offset index: Kafka's sanity check", () => {
  OffsetIndex.fromBytes(100, entries([0, 0], [16, 4136])).sanityCheck();
  OffsetIndex.fromBytes(100, new Uint8Array(0)).sanityCheck();
  // A negative relative offset puts the last entry below the base offset.
  assert.throws(
    () => OffsetIndex.fromBytes(100, entries([16, 4136], [-5, 8000]), "x.index").sanityCheck(),
    (e) =>
      e instanceof CorruptIndexError &&
      /index file \(x.index\) has non-zero size but the last offset is 95 which is less than the base offset 100/
        .test(e.message),
  );
  const ragged = new Uint8Array(20);
  assert.throws(
    () => OffsetIndex.fromBytes(0, ragged, "y.index").sanityCheck(),
    /Index file y.index is corrupt, found 20 bytes which is neither positive nor a multiple of 8/,
  );
});

Deno.test("offset index file: preallocated, written through, trimmed at close", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-klog-ix-" });
  try {
    const path = `${dir}/00000000000000000100.index`;
    const ix = OffsetIndex.open(path, 100);
    assert.equal(Deno.statSync(path).size, DEFAULT_MAX_INDEX_SIZE);
    assert.equal(ix.maxEntries, DEFAULT_MAX_INDEX_SIZE / 8);
    ix.append(116, 4136);
    ix.append(132, 8272);
    // Written at once, as a write into Kafka's mapping is: a crash now keeps both entries.
    assert.deepEqual(Deno.readFileSync(path).subarray(0, 16), entries([16, 4136], [32, 8272]));
    ix.flush();
    ix.close();
    assert.deepEqual(Deno.readFileSync(path), entries([16, 4136], [32, 8272]));

    // Reopened: its entries are the whole file; the active segment gets its room back.
    const again = OffsetIndex.open(path, 100);
    assert.equal(again.entries, 2);
    assert.ok(again.isFull, "a trimmed index is full until resized");
    assert.ok(again.resize(DEFAULT_MAX_INDEX_SIZE));
    again.append(148, 12408);
    again.close();
    assert.deepEqual(
      Deno.readFileSync(path),
      entries([16, 4136], [32, 8272], [48, 12408]),
    );

    // After a crash the zeros of preallocation count as entries, as in Kafka: base offset
    // entries that pass the sanity check and that recovery rebuilds.
    const crashed = `${dir}/00000000000000000200.index`;
    const c = OffsetIndex.open(crashed, 200, 80);
    c.append(210, 4000);
    const reopened = OffsetIndex.open(crashed, 200, 80, false);
    assert.equal(reopened.entries, 10);
    assert.equal(reopened.lastOffset, 200);
    reopened.sanityCheck();
    c.close();
    assert.throws(
      () => OffsetIndex.open(`${dir}/missing.index`, 0, 80, false),
      Deno.errors.NotFound,
    );
    assert.throws(() => OffsetIndex.open(`${dir}/tiny.index`, 0, 4), /Invalid max index size: 4/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("offset index: the max size rounds down to whole entries", () => {
  const ix = OffsetIndex.inMemory(0, 8 * 3 + 5);
  assert.equal(ix.maxEntries, 3);
});
