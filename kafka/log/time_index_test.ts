import assert from "node:assert/strict";
import { NO_TIMESTAMP, TimeIndex } from "./time_index.ts";
import { CorruptIndexError, InvalidOffsetError } from "./log_errors.ts";

function entries(...pairs: [number, number][]): Uint8Array {
  const out = new Uint8Array(pairs.length * 12);
  const v = new DataView(out.buffer);
  pairs.forEach(([ts, rel], i) => {
    v.setBigInt64(i * 12, BigInt(ts));
    v.setInt32(i * 12 + 8, rel);
  });
  return out;
}

Deno.test("time index: entries are big-endian int64 timestamp and relative offset", () => {
  const ix = TimeIndex.inMemory(60);
  ix.maybeAppend(1_700_000_000_600, 76);
  assert.deepEqual(ix.bytes(), entries([1_700_000_000_600, 16]));
  assert.deepEqual(ix.lastEntry, { timestamp: 1_700_000_000_600, offset: 76 });
});

Deno.test("time index: only a rising timestamp is appended", () => {
  const ix = TimeIndex.inMemory(0);
  assert.deepEqual(ix.lastEntry, { timestamp: NO_TIMESTAMP, offset: 0 });
  ix.maybeAppend(NO_TIMESTAMP, 3); // magic v0 data: no timestamps, no entries
  assert.equal(ix.entries, 0);
  ix.maybeAppend(100, 5);
  ix.maybeAppend(100, 7); // the same maximum again (a roll after an entry): skipped
  assert.equal(ix.entries, 1);
  ix.maybeAppend(150, 7);
  assert.throws(() => ix.maybeAppend(120, 9), /timestamp \(120\) to slot 2 no larger/);
  assert.throws(() => ix.maybeAppend(200, 6), InvalidOffsetError);
  assert.deepEqual(ix.all(), [{ timestamp: 100, offset: 5 }, { timestamp: 150, offset: 7 }]);
});

Deno.test("time index: the last slot is kept for the entry written at roll", () => {
  const ix = TimeIndex.inMemory(0, 36);
  ix.maybeAppend(1, 1);
  ix.maybeAppend(2, 2);
  assert.ok(ix.isFull);
  assert.throws(() => ix.maybeAppend(3, 3), /full time index/);
  ix.maybeAppend(3, 3, true);
  assert.equal(ix.entries, 3);
  assert.throws(() => ix.maybeAppend(4, 4, true), /no room/);
});

Deno.test("time index: lookup by time and truncation by offset", () => {
  const ix = TimeIndex.inMemory(1000);
  for (let i = 1; i <= 500; i++) ix.maybeAppend(10_000 + 100 * i, 1000 + 3 * i);
  assert.deepEqual(ix.lookup(10_050), { timestamp: NO_TIMESTAMP, offset: 1000 });
  assert.deepEqual(ix.lookup(10_100), { timestamp: 10_100, offset: 1003 });
  assert.deepEqual(ix.lookup(10_199), { timestamp: 10_100, offset: 1003 });
  assert.deepEqual(ix.lookup(30_000), { timestamp: 30_000, offset: 1600 });
  assert.deepEqual(ix.lookup(1e15), { timestamp: 60_000, offset: 2500 });
  ix.truncateTo(1600);
  assert.deepEqual(ix.lastEntry, { timestamp: 29_900, offset: 1597 });
  ix.truncateTo(1598);
  assert.equal(ix.entries, 199);
  ix.truncateTo(0);
  assert.deepEqual(ix.lastEntry, { timestamp: NO_TIMESTAMP, offset: 1000 });
});

Deno.test("time index: Kafka's sanity check", () => {
  TimeIndex.fromBytes(0, entries([5, 1], [9, 4])).sanityCheck();
  TimeIndex.fromBytes(0, new Uint8Array(0)).sanityCheck();
  // The zeros a crash leaves after preallocation: last timestamp 0 below the first.
  const crashed = new Uint8Array(36);
  crashed.set(entries([1_700_000_000_000, 3]));
  assert.throws(
    () => TimeIndex.fromBytes(0, crashed, "a.timeindex").sanityCheck(),
    (e) =>
      e instanceof CorruptIndexError &&
      e.message.includes(
        "time index file (a.timeindex) has non-zero size but the last timestamp is 0 which is less than the first timestamp 1700000000000",
      ),
  );
  assert.throws(
    () => TimeIndex.fromBytes(100, entries([5, 1], [9, -4]), "b.timeindex").sanityCheck(),
    /the last offset is 96 which is less than the first offset 100/,
  );
  assert.throws(
    () => TimeIndex.fromBytes(0, new Uint8Array(30), "c.timeindex").sanityCheck(),
    /Time index file c.timeindex is corrupt, found 30 bytes/,
  );
});

Deno.test("time index file: preallocated to whole entries, trimmed at close", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-klog-tix-" });
  try {
    const path = `${dir}/00000000000000000000.timeindex`;
    const ix = TimeIndex.open(path, 0);
    // 10 MiB is not a multiple of 12: Kafka rounds down.
    assert.equal(Deno.statSync(path).size, 10_485_756);
    ix.maybeAppend(7, 3);
    ix.close();
    assert.deepEqual(Deno.readFileSync(path), entries([7, 3]));
    const again = TimeIndex.open(path, 0);
    assert.deepEqual(again.lastEntry, { timestamp: 7, offset: 3 });
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
