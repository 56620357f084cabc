import assert from "node:assert/strict";
import { RecordsError } from "../protocol/records/errors.ts";
import { OffsetIndex } from "./offset_index.ts";
import { TimeIndex } from "./time_index.ts";
import { scanSegment } from "./segment_recovery.ts";
import { codecBatchValidator } from "./log_loader.ts";
import { rebuildIndexes } from "./segment_indexer.ts";
import { segmentFileName } from "./segment_files.ts";
import { OffsetOutOfRangeError } from "./log_errors.ts";
import { readLeaderEpochCheckpoint } from "./leader_epoch_checkpoint.ts";
import { PartitionLog } from "./partition_log.ts";
import { config, ls, openTemp, producerBatch, recordsOf } from "./_log_test_util.ts";

const T0 = 1_700_000_000_000;

Deno.test("partition log: appends get offsets, reads return whole batches from the fetch offset", async () => {
  const { dir, log } = await openTemp();
  try {
    const results = [];
    for (let i = 0; i < 5; i++) {
      results.push(await log.appendAsLeader(producerBatch(i * 3, 3, T0), 0));
    }
    assert.deepEqual(results.map((r) => [r.baseOffset, r.lastOffset]), [
      [0, 2],
      [3, 5],
      [6, 8],
      [9, 11],
      [12, 14],
    ]);
    assert.equal(results[0].logAppendTime, -1);
    assert.equal(log.logEndOffset, 15);
    assert.equal(log.highWatermark, 15);
    const all = await log.read(0, 1 << 20, { minOneMessage: true });
    assert.deepEqual(recordsOf(all.records).map((r) => r[0]), [...Array(15).keys()]);
    // From the middle of a batch: the batch holding it comes whole.
    const mid = await log.read(7, 1 << 20, { minOneMessage: true });
    assert.equal(recordsOf(mid.records)[0][0], 6);
    // maxBytes cuts at batch boundaries; minOneMessage returns one batch even if too large.
    const one = await log.read(0, 10, { minOneMessage: true });
    assert.deepEqual(recordsOf(one.records).map((r) => r[0]), [0, 1, 2]);
    assert.equal((await log.read(0, 10, { minOneMessage: false })).records.length, 0);
    // maxOffset (the high watermark for a consumer) excludes batches at or past it.
    const bounded = await log.read(0, 1 << 20, { minOneMessage: true, maxOffset: 9 });
    assert.deepEqual(recordsOf(bounded.records).at(-1)?.[0], 8);
    assert.equal((await log.read(15, 100, { minOneMessage: true })).records.length, 0);
    await assert.rejects(log.read(16, 100, { minOneMessage: true }), OffsetOutOfRangeError);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: appends made together are written together, in order", async () => {
  const { dir, log } = await openTemp();
  try {
    const all = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.appendAsLeader(producerBatch(i, 1, T0 + i), 0)),
    );
    assert.deepEqual(all.map((r) => r.baseOffset), [...Array(50).keys()]);
    const read = await log.read(0, 1 << 20, { minOneMessage: true });
    assert.deepEqual(recordsOf(read.records).map((r) => r[1]), all.map((_, i) => `k${i}`));
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: invalid input rejects with the codec's error and changes nothing", async () => {
  const { dir, logDir, log } = await openTemp({ "max.message.bytes": 200 });
  try {
    await log.appendAsLeader(producerBatch(0, 1, T0), 0);
    const before = Deno.readFileSync(`${logDir}/${segmentFileName(0, "log")}`);
    const big = producerBatch(1, 10, T0, 100);
    await assert.rejects(
      log.appendAsLeader(big, 0),
      (e) => e instanceof RecordsError && e.code === 10,
    );
    const bad = producerBatch(1, 1, T0);
    bad[bad.length - 1] ^= 1;
    await assert.rejects(
      log.appendAsLeader(bad, 0),
      (e) => e instanceof RecordsError && e.code === 2,
    );
    assert.deepEqual(Deno.readFileSync(`${logDir}/${segmentFileName(0, "log")}`), before);
    assert.equal(log.logEndOffset, 1);
    assert.equal((await log.appendAsLeader(producerBatch(1, 1, T0), 0)).baseOffset, 1);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: rolls at segment.bytes, indexes match a rebuild, reads span segments", async () => {
  const { dir, logDir, log } = await openTemp({
    "segment.bytes": 4096,
    "index.interval.bytes": 500,
  });
  try {
    for (let i = 0; i < 60; i++) {
      await log.appendAsLeader(producerBatch(i * 2, 2, T0 + i * 10, 100), 0);
    }
    const bases = log.segmentBaseOffsets;
    assert.ok(bases.length >= 4, `only ${bases.length} segments`);
    for (const b of bases) {
      assert.ok(ls(logDir).includes(segmentFileName(b, "timeindex")));
    }
    await log.close();
    // Every closed segment's indexes are what a rebuild from its .log gives (Kafka's rule).
    for (const b of bases) {
      const bytes = Deno.readFileSync(`${logDir}/${segmentFileName(b, "log")}`);
      assert.ok(bytes.length <= 4096);
      const scan = scanSegment(bytes, b, codecBatchValidator);
      assert.equal(scan.verdict, "clean");
      const offsets = OffsetIndex.inMemory(b);
      const times = TimeIndex.inMemory(b);
      rebuildIndexes(scan.batches, offsets, times, 500);
      assert.deepEqual(
        Deno.readFileSync(`${logDir}/${segmentFileName(b, "index")}`),
        offsets.bytes(),
      );
      assert.ok(offsets.entries > 0);
      // Per-append index entries: timestamps of record i are T0+10i, max at the batch's last.
      const t = Deno.readFileSync(`${logDir}/${segmentFileName(b, "timeindex")}`);
      assert.deepEqual(t, times.bytes());
    }
    const again = await PartitionLog.open(logDir, {
      topicPartition: { topic: "t", partition: 0 },
      config: config({ "segment.bytes": 4096, "index.interval.bytes": 500 }),
      clock: { now: () => T0 },
      hadCleanShutdown: true,
    });
    assert.equal(again.logEndOffset, 120);
    let next = 0;
    const seen: number[] = [];
    while (next < 120) {
      const r = await again.read(next, 700, { minOneMessage: true });
      const recs = recordsOf(r.records);
      assert.ok(recs.length > 0);
      seen.push(...recs.map((x) => x[0]).filter((o) => o >= next));
      next = recs.at(-1)![0] + 1;
    }
    assert.deepEqual(seen, [...Array(120).keys()]);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: rolls at segment.ms counted from the first batch's timestamp", async () => {
  const { dir, log, clock } = await openTemp({ "segment.ms": 1000 });
  try {
    await log.appendAsLeader(producerBatch(0, 1, T0), 0);
    await log.appendAsLeader(producerBatch(1, 1, T0 + 1000), 0);
    assert.deepEqual(log.segmentBaseOffsets, [0]);
    clock.advance(5000);
    await log.appendAsLeader(producerBatch(2, 1, T0 + 1001), 0);
    assert.deepEqual(log.segmentBaseOffsets, [0, 2]);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: LogAppendTime topics stamp the broker's time", async () => {
  const { dir, log, clock } = await openTemp({ "message.timestamp.type": "LogAppendTime" });
  try {
    const r = await log.appendAsLeader(producerBatch(0, 3, 5), 0);
    assert.equal(r.logAppendTime, clock.now());
    const found = await log.offsetForTimestamp(clock.now());
    assert.deepEqual(found, { timestamp: clock.now(), offset: 0, leaderEpoch: 0 });
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: offsetForTimestamp as Kafka's fetchOffsetByTimestamp", async () => {
  const { dir, log } = await openTemp({ "segment.bytes": 2000, "index.interval.bytes": 100 });
  try {
    for (let i = 0; i < 40; i++) {
      // Record i's timestamp: T0 + 10i, every 7th goes back 25 ms.
      const ts = T0 + 10 * i - (i % 7 === 6 ? 25 : 0);
      await log.appendAsLeader(producerBatch(i, 1, ts, 60), i < 20 ? 1 : 4);
    }
    assert.ok(log.segmentBaseOffsets.length > 2);
    const at = (ts: number) => log.offsetForTimestamp(ts);
    assert.deepEqual(await at(T0 - 1000), { timestamp: T0, offset: 0, leaderEpoch: 1 });
    // Record 6 went back to T0+35: the first at or after T0+55 is record 7.
    assert.deepEqual(await at(T0 + 55), { timestamp: T0 + 70, offset: 7, leaderEpoch: 1 });
    assert.deepEqual(await at(T0 + 50), { timestamp: T0 + 50, offset: 5, leaderEpoch: 1 });
    assert.deepEqual(await at(T0 + 300), { timestamp: T0 + 300, offset: 30, leaderEpoch: 4 });
    // Record 34 went back to T0+315, but 32 (T0+320) comes first in offset order.
    assert.deepEqual(await at(T0 + 311), { timestamp: T0 + 320, offset: 32, leaderEpoch: 4 });
    assert.equal(await at(T0 + 10_000), undefined);
    assert.deepEqual(await at(-1), { timestamp: -1, offset: 40, leaderEpoch: 4 });
    assert.deepEqual(await at(-2), { timestamp: -1, offset: 0, leaderEpoch: 1 });
    assert.deepEqual(log.endOffsetForEpoch(1), { epoch: 1, endOffset: 20 });
    assert.deepEqual(log.endOffsetForEpoch(2), { epoch: 1, endOffset: 20 });
    assert.deepEqual(log.endOffsetForEpoch(4), { epoch: 4, endOffset: 40 });
    assert.deepEqual(log.endOffsetForEpoch(0), { epoch: 0, endOffset: 0 });
    assert.deepEqual(log.endOffsetForEpoch(5), { epoch: -1, endOffset: -1 });
    assert.deepEqual(await readLeaderEpochCheckpoint(`${log.dir}/leader-epoch-checkpoint`), [
      { epoch: 1, startOffset: 0 },
      { epoch: 4, startOffset: 20 },
    ]);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: DeleteRecords raises the start offset and deletes whole segments", async () => {
  const { dir, logDir, log, clock } = await openTemp({
    "segment.bytes": 1000,
    "file.delete.delay.ms": 1000,
  });
  try {
    for (let i = 0; i < 30; i++) await log.appendAsLeader(producerBatch(i, 1, T0, 100), 0);
    const bases = log.segmentBaseOffsets;
    assert.ok(bases.length >= 4);
    const target = bases[2] + 1;
    assert.equal(await log.deleteRecordsBefore(target), target);
    assert.equal(log.logStartOffset, target);
    assert.deepEqual(log.segmentBaseOffsets, bases.slice(2));
    assert.ok(ls(logDir).includes(`${segmentFileName(bases[0], "log")}.deleted`));
    await assert.rejects(log.read(target - 1, 100, { minOneMessage: true }), OffsetOutOfRangeError);
    assert.equal(
      recordsOf((await log.read(target, 10_000, { minOneMessage: true })).records)[0][0],
      target,
    );
    await assert.rejects(log.deleteRecordsBefore(31), OffsetOutOfRangeError);
    assert.deepEqual(await log.offsetForTimestamp(-2), {
      timestamp: -1,
      offset: target,
      leaderEpoch: 0,
    });
    clock.advance(1001);
    await log.enforceRetention();
    assert.ok(!ls(logDir).some((n) => n.endsWith(".deleted")), ls(logDir).join(" "));
    // -1 means the high watermark; the active segment stays (Kafka never deletes it for this).
    const last = log.segmentBaseOffsets.at(-1)!;
    assert.equal(await log.deleteRecordsBefore(-1), 30);
    assert.deepEqual(log.segmentBaseOffsets, [last]);
    assert.equal((await log.read(30, 100, { minOneMessage: true })).records.length, 0);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: retention by time deletes segments by their largest timestamp", async () => {
  const { dir, log, clock } = await openTemp({ "segment.bytes": 1000, "retention.ms": 60_000 });
  try {
    const now = clock.now();
    for (let i = 0; i < 20; i++) {
      await log.appendAsLeader(
        producerBatch(i, 1, now - 120_000 + (i >= 10 ? 100_000 : 0), 100),
        0,
      );
    }
    const bases = log.segmentBaseOffsets;
    const n = await log.enforceRetention(now);
    // Records 0-9 are two minutes old; the segment holding 10 has a young record: it stays.
    const kept = log.segmentBaseOffsets;
    assert.equal(n, bases.length - kept.length);
    assert.ok(kept[0] <= 10 && kept[0] > 0, `kept ${kept}`);
    assert.equal(log.logStartOffset, kept[0]);
    clock.advance(120_000);
    assert.equal(await log.enforceRetention(), kept.length);
    // Every segment went: Kafka rolls a new empty one first, at the log end offset.
    assert.deepEqual(log.segmentBaseOffsets, [20]);
    assert.equal(log.logStartOffset, 20);
    assert.equal(log.logEndOffset, 20);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: retention by size keeps the log under retention.bytes", async () => {
  const { dir, log } = await openTemp({ "segment.bytes": 1000, "retention.bytes": 2500 });
  try {
    for (let i = 0; i < 40; i++) await log.appendAsLeader(producerBatch(i, 1, T0, 100), 0);
    const before = log.size;
    assert.ok(before > 4000);
    await log.enforceRetention();
    assert.ok(log.size <= 2500 + 1000, `size ${log.size}`);
    assert.ok(log.size >= 2500 - 1000 || log.segmentBaseOffsets.length === 1);
    assert.equal(log.logStartOffset, log.segmentBaseOffsets[0]);
    assert.equal(await log.enforceRetention(), 0);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("partition log: flush.messages=1 acknowledges only fsynced appends; flush moves the recovery point", async () => {
  const { dir, log } = await openTemp({ "flush.messages": 1 });
  try {
    const r = await Promise.all(
      Array.from({ length: 20 }, (_, i) => log.appendAsLeader(producerBatch(i, 1, T0), 0)),
    );
    assert.equal(r.at(-1)!.lastOffset, 19);
    assert.equal(log.highWatermark, 20);
    assert.equal(log.recoveryPoint, 0);
    await log.flush();
    assert.equal(log.recoveryPoint, 20);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
