import assert from "node:assert/strict";
import { OffsetIndex } from "./offset_index.ts";
import { TimeIndex } from "./time_index.ts";
import { rebuildIndexes, SegmentIndexer, shouldIndex } from "./segment_indexer.ts";

Deno.test("index policy: strictly more than the interval since the last entry", () => {
  assert.ok(!shouldIndex(4096, 4096));
  assert.ok(shouldIndex(4097, 4096));
  assert.ok(!shouldIndex(0, 0), "the first append of a segment never makes an entry");
  assert.ok(shouldIndex(1, 0));
});

Deno.test("index policy: an entry names the append that crossed the interval", () => {
  const ix = new SegmentIndexer(OffsetIndex.inMemory(0), TimeIndex.inMemory(0), 1000);
  // Appends of 400 bytes, one batch of 2 records each.
  const append = (i: number, ts: number) =>
    ix.onAppend({
      position: 400 * i,
      size: 400,
      lastOffset: 2 * i + 1,
      maxTimestamp: ts,
      offsetOfMaxTimestamp: 2 * i + 1,
    });
  append(0, 100);
  append(1, 300);
  append(2, 200); // 800 bytes before it: no entry yet
  assert.equal(ix.offsetIndex.entries, 0);
  append(3, 250); // 1200 bytes before it: an entry at its start, with the max timestamp so far
  assert.deepEqual(ix.offsetIndex.all(), [{ offset: 7, position: 1200 }]);
  assert.deepEqual(ix.timeIndex.all(), [{ timestamp: 300, offset: 3 }]);
  assert.equal(ix.bytesSinceLastIndexEntry, 400);
  for (let i = 4; i < 7; i++) append(i, 250);
  // No new maximum: the offset index gets an entry, the time index does not.
  assert.deepEqual(ix.offsetIndex.all().map((e) => e.position), [1200, 2400]);
  assert.equal(ix.timeIndex.entries, 1);
  append(7, 900);
  ix.onBecomeInactive();
  // The roll files the segment's largest timestamp in the slot kept for it.
  assert.deepEqual(ix.timeIndex.all().at(-1), { timestamp: 900, offset: 15 });
  assert.equal(ix.offsetIndex.store.length, 16, "trimmed to its entries");
});

Deno.test("index policy: a reopened segment continues from its time index", () => {
  const times = TimeIndex.inMemory(0);
  times.maybeAppend(500, 9);
  const ix = new SegmentIndexer(OffsetIndex.inMemory(0), times, 4096);
  assert.equal(ix.maxTimestampSoFar, 500);
  ix.onAppend({
    position: 0,
    size: 10,
    lastOffset: 10,
    maxTimestamp: 400,
    offsetOfMaxTimestamp: 10,
  });
  ix.onBecomeInactive();
  assert.deepEqual(times.all(), [{ timestamp: 500, offset: 9 }], "400 is not a new maximum");
});

Deno.test("rebuildIndexes: the same entries whether appended live or recovered", () => {
  const batches = Array.from({ length: 300 }, (_, i) => ({
    position: 333 * i,
    size: 333,
    lastOffset: 5 * i + 4,
    maxTimestamp: 1000 + (i % 9 === 8 ? i - 30 : i),
  }));
  const live = new SegmentIndexer(OffsetIndex.inMemory(0), TimeIndex.inMemory(0));
  for (const b of batches) live.onAppend({ ...b, offsetOfMaxTimestamp: b.lastOffset });
  live.onBecomeInactive();
  // Recovery starts from indexes holding anything at all.
  const offsets = OffsetIndex.inMemory(0);
  const times = TimeIndex.inMemory(0);
  offsets.append(1, 1);
  times.maybeAppend(5, 1);
  rebuildIndexes(batches, offsets, times);
  assert.deepEqual(offsets.bytes(), live.offsetIndex.bytes());
  assert.deepEqual(times.bytes(), live.timeIndex.bytes());
  assert.equal(offsets.entries, 23, "an entry every 13 batches: 13 × 333 is the first past 4096");
  assert.deepEqual(offsets.entry(0), { offset: 69, position: 13 * 333 });
});
