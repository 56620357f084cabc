import assert from "node:assert/strict";
import { Compression } from "../protocol/records/attributes.ts";
import { buildEndTxnMarkerBatch } from "../protocol/records/control.ts";
import { buildLegacyMessageSet } from "../protocol/records/legacy.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { ManualClock } from "../../internal/clock.ts";
import {
  allRecords,
  compactedLog,
  keyed,
  type Rec,
  recordsIn,
  touchSegment,
} from "./_cleaner_test_util.ts";
import { ls } from "./_log_test_util.ts";
import type { SwapStep } from "./cleaner_swap.ts";
import { LogManager } from "./log_manager.ts";
import { readOffsetCheckpoint } from "./offset_checkpoint.ts";
import { PartitionLog } from "./partition_log.ts";
import { OffsetIndex } from "./offset_index.ts";
import { TimeIndex } from "./time_index.ts";
import { decodeTransactionIndex, encodeAbortedTxn } from "./transaction_index.ts";
import { parseSegmentFileName, segmentFileName } from "./segment_files.ts";
import { config } from "./_log_test_util.ts";

const T0 = 1_700_000_000_000;
const enc = new TextEncoder();

/** The last record per key below `activeBase`, and every record from it on. */
function expectedAfterClean(input: Rec[], activeBase: number, keepTombstones = true): Rec[] {
  const latest = new Map<string, number>();
  for (const r of input) if (r.offset < activeBase && r.key !== null) latest.set(r.key, r.offset);
  return input.filter((r) =>
    r.offset >= activeBase ||
    (r.key !== null && latest.get(r.key) === r.offset && (keepTombstones || r.value !== null))
  );
}

/** Every batch of a partition dir's live `.log` files: [base offset, last offset, count]. */
function batchesOnDisk(
  dir: string,
): { base: number; last: number; count: number; bytes: Uint8Array }[] {
  const out = [];
  for (const name of ls(dir).filter((n) => n.endsWith(".log"))) {
    const bytes = Deno.readFileSync(`${dir}/${name}`);
    for (const e of scanEntries(bytes).entries) {
      const b = bytes.subarray(e.position, e.position + e.sizeInBytes);
      const h = new RecordBatch(b).header;
      out.push({
        base: h.baseOffset,
        last: h.baseOffset + h.lastOffsetDelta,
        count: h.recordsCount,
        bytes: b,
      });
    }
  }
  return out;
}

/** Every index of the dir but the active segment's (preallocated) passes Kafka's sanity check. */
function checkIndexes(dir: string): void {
  const bases = ls(dir).map(parseSegmentFileName).filter((f) =>
    f?.kind === "log" && f.suffix === ""
  );
  const active = Math.max(...bases.map((f) => f!.offset));
  for (const name of ls(dir)) {
    const f = parseSegmentFileName(name);
    if (!f || f.suffix !== "" || f.offset === active) continue;
    const bytes = Deno.readFileSync(`${dir}/${name}`);
    if (f.kind === "index") OffsetIndex.fromBytes(f.offset, bytes, name).sanityCheck();
    if (f.kind === "timeindex") TimeIndex.fromBytes(f.offset, bytes, name).sanityCheck();
  }
}

Deno.test("cleaner: last record per key kept with its offset, timestamp and batch", async () => {
  const { dir, logDir, log, cleaner } = await compactedLog({
    "segment.bytes": 1200,
    "min.cleanable.dirty.ratio": 0.01,
    "index.interval.bytes": 100,
  });
  try {
    const input: Rec[] = [];
    let offset = 0;
    const codecs = [Compression.NONE, Compression.GZIP, Compression.LZ4, Compression.ZSTD];
    for (let b = 0; b < 60; b++) {
      const pairs: [string, string | null][] = [];
      for (let i = 0; i < 1 + (b % 3); i++) pairs.push([`k${(b * 3 + i) % 17}`, `v${b}-${i}`]);
      const ts = T0 + b * 100;
      await log.appendAsLeader(keyed(pairs, ts, { compression: codecs[b % 4] }), 0);
      pairs.forEach(([k, v], i) =>
        input.push({ offset: offset++, key: k, value: v, timestamp: ts + i })
      );
    }
    const before = batchesOnDisk(logDir);
    const active = log.segmentBaseOffsets.at(-1)!;
    assert.ok(log.segmentBaseOffsets.length >= 4, `${log.segmentBaseOffsets.length} segments`);
    const round = await cleaner.cleanOnce();
    assert.ok(round);
    assert.equal(round.firstDirtyOffset, 0);
    assert.equal(round.endOffset, active);
    const want = expectedAfterClean(input, active);
    assert.deepEqual(allRecords(log), want);
    // Batches wholly kept are byte-identical; others keep base offset and last offset.
    const after = batchesOnDisk(logDir);
    const byBase = new Map(before.map((b) => [b.base, b]));
    let identical = 0;
    for (const b of after) {
      const orig = byBase.get(b.base)!;
      assert.ok(orig, `batch at ${b.base} existed`);
      assert.equal(b.last, orig.last, `last offset of the batch at ${b.base}`);
      if (b.count === orig.count) {
        assert.deepEqual(b.bytes, orig.bytes);
        identical++;
      } else assert.ok(b.count < orig.count);
    }
    assert.ok(identical > 0);
    checkIndexes(logDir);
    assert.deepEqual(await readOffsetCheckpoint(`${dir}/cleaner-offset-checkpoint`), [
      { topic: "t", partition: 0, offset: active },
    ]);
    // Reopened (indexes as written) the log serves the same, and a lookup by time still works.
    await log.close();
    const again = await PartitionLog.open(logDir, {
      topicPartition: { topic: "t", partition: 0 },
      config: log.config,
      clock: new ManualClock(T0),
      hadCleanShutdown: true,
    });
    assert.deepEqual(allRecords(again), want);
    // Each cleaned segment's time index finds its records by time.
    for (const seg of again.segments.slice(0, -1)) {
      const recs = recordsIn(seg.readAt(0, seg.size));
      if (recs.length === 0) continue;
      const first = recs.reduce((a, b) => b.timestamp < a.timestamp ? b : a);
      assert.equal(seg.findOffsetByTimestamp(first.timestamp)?.offset, first.offset);
    }
    // Nothing more to do: the next round finds nothing cleanable.
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cleaner: tombstones survive the first pass and go once older than delete.retention.ms", async () => {
  const { dir, logDir, log, cleaner, clock } = await compactedLog({
    "segment.bytes": 600,
    "min.cleanable.dirty.ratio": 0.01,
    "delete.retention.ms": 60_000,
  });
  try {
    const input: Rec[] = [];
    const append = async (k: string, v: string | null) => {
      const ts = clock.now();
      const r = await log.appendAsLeader(keyed([[k, v]], ts), 0);
      input.push({ offset: r.baseOffset, key: k, value: v, timestamp: ts });
    };
    for (let i = 0; i < 20; i++) await append(`k${i % 5}`, `v${i}`);
    await append("k1", null);
    await append("k2", null);
    for (let i = 0; i < 12; i++) await append(`x${i}`, "y".repeat(30));
    const active1 = log.segmentBaseOffsets.at(-1)!;
    assert.ok(await cleaner.cleanOnce());
    // First pass: nothing is clean yet, so the horizon is 0 and tombstones stay.
    const first = allRecords(log);
    assert.deepEqual(first, expectedAfterClean(input, active1));
    assert.ok(first.some((r) => r.key === "k1" && r.value === null));

    // Later records roll more segments; the cleaned ones are an hour old, the newest clean
    // segment recent: tombstones below it are past the horizon.
    for (let i = 0; i < 30; i++) await append(`z${i}`, "w".repeat(30));
    const clean = log.segmentBaseOffsets.filter((b) => b < active1);
    for (const b of clean) touchSegment(logDir, b, Date.now() - 3_600_000);
    const lastClean = log.segments.findLast((s) => s.baseOffset < active1 && s.size > 0)!;
    touchSegment(logDir, lastClean.baseOffset, Date.now());
    const tombstoneSegs = log.segments.filter((s) =>
      s.baseOffset < active1 && recordsIn(s.readAt(0, s.size)).some((r) => r.value === null)
    );
    assert.ok(
      tombstoneSegs.every((s) => s !== lastClean),
      "tombstones sit below the last clean segment",
    );
    const round = await cleaner.cleanOnce();
    assert.ok(round);
    assert.equal(round.firstDirtyOffset, active1);
    const second = allRecords(log);
    assert.equal(second.filter((r) => r.value === null).length, 0, "tombstones removed");
    assert.deepEqual(second, expectedAfterClean(input, log.segmentBaseOffsets.at(-1)!, false));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cleaner: a crash at each step of the swap leaves a log the loader recovers", async () => {
  const snapshots = new Map<SwapStep, string>();
  const root = await Deno.makeTempDir({ prefix: "herd-clean-crash-" });
  let logDirRef = "";
  const { dir, logDir, log, cleaner, clock } = await compactedLog({
    "segment.ms": 1000,
    "min.cleanable.dirty.ratio": 0.01,
  }, {
    onSwapStep(step) {
      if (snapshots.has(step)) return;
      const copy = `${root}/${step}/t-0`;
      Deno.mkdirSync(copy, { recursive: true });
      for (const e of Deno.readDirSync(logDirRef)) {
        Deno.copyFileSync(`${logDirRef}/${e.name}`, `${copy}/${e.name}`);
      }
      snapshots.set(step, copy);
    },
  });
  logDirRef = logDir;
  try {
    const input: Rec[] = [];
    // Batches 2 s apart: each rolls a segment by segment.ms, so all of them form one group.
    for (let i = 0; i < 12; i++) {
      const ts = clock.now() + i * 2000;
      const r = await log.appendAsLeader(
        keyed([[`k${i % 3}`, `v${i}`], [`j${i % 2}`, `w${i}`]], ts),
        0,
      );
      input.push({ offset: r.baseOffset, key: `k${i % 3}`, value: `v${i}`, timestamp: ts });
      input.push({ offset: r.baseOffset + 1, key: `j${i % 2}`, value: `w${i}`, timestamp: ts + 1 });
    }
    assert.equal(log.segmentBaseOffsets.length, 12);
    const active = log.segmentBaseOffsets.at(-1)!;
    assert.ok(await cleaner.cleanOnce());
    const after = expectedAfterClean(input, active);
    assert.deepEqual(allRecords(log), after);
    assert.deepEqual([...snapshots.keys()], ["cleaned", "swap", "deleted", "installed"]);
    for (const [step, copy] of snapshots) {
      const reopened = await PartitionLog.open(copy, {
        topicPartition: { topic: "t", partition: 0 },
        config: log.config,
        clock,
        hadCleanShutdown: false,
        recoveryPoint: 0,
      });
      try {
        assert.deepEqual(
          allRecords(reopened),
          step === "cleaned" ? input : after,
          `crash after ${step}`,
        );
        assert.deepEqual(
          ls(copy).filter((n) => /\.(cleaned|swap)$/.test(n)),
          [],
          `no leftovers after ${step}`,
        );
        checkIndexes(copy);
      } finally {
        await reopened.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("cleaner: producers' last batches, aborted transactions, markers and open transactions", async () => {
  const { dir, logDir, log, cleaner, clock } = await compactedLog({
    "segment.bytes": 100_000,
    "min.cleanable.dirty.ratio": 0.01,
  });
  try {
    const ts = clock.now();
    const txn = (pid: number, pairs: [string, string][], seq = 0) =>
      keyed(pairs, ts, {
        producerId: pid,
        producerEpoch: 0,
        baseSequence: seq,
        isTransactional: true,
      });
    const marker = (pid: number, type: "ABORT" | "COMMIT") =>
      buildEndTxnMarkerBatch({
        type,
        coordinatorEpoch: 0,
        producerId: pid,
        producerEpoch: 0,
        timestamp: ts,
      });
    // 0-1: idempotent producer 7 (its only batch, superseded later: kept as an empty header).
    await log.appendAsLeader(
      keyed([["a", "p7"], ["b", "p7"]], ts, { producerId: 7, producerEpoch: 2, baseSequence: 0 }),
      0,
    );
    // 2-3 + 4: producer 9's aborted transaction; 5-6 + 7: producer 10's committed one.
    await log.appendAsLeader(txn(9, [["c", "aborted"], ["d", "aborted"]]), 0);
    const abort = await log.appendAsLeader(marker(9, "ABORT"), 0, "coordinator");
    await log.appendAsLeader(txn(10, [["e", "committed"], ["f", "committed"]]), 0);
    await log.appendAsLeader(marker(10, "COMMIT"), 0, "coordinator");
    // 8-9: plain records superseding a and b.
    await log.appendAsLeader(keyed([["a", "new"], ["b", "new"]], ts), 0);
    Deno.writeFileSync(
      `${logDir}/${segmentFileName(0, "txnindex")}`,
      encodeAbortedTxn({
        producerId: 9,
        firstOffset: 2,
        lastOffset: abort.baseOffset,
        lastStableOffset: 5,
      }),
    );
    // 10: producer 11 opens a transaction that stays open; 11: later plain record.
    await log.appendAsLeader(txn(11, [["g", "open"]]), 0);
    await log.appendAsLeader(keyed([["g", "plain"]], ts), 0);
    log.updateConfig(
      config({
        "cleanup.policy": "compact",
        "segment.bytes": 100,
        "min.cleanable.dirty.ratio": 0.01,
      }),
    );
    await log.appendAsLeader(keyed([["h", "rolls"]], ts), 0);
    assert.equal(log.segmentBaseOffsets.length, 2);

    // The open transaction at 10 bounds the cleanable section at the segment holding it: here the
    // first, so there is nothing to clean.
    assert.equal(await cleaner.cleanOnce(), undefined);
    // Close producer 11's transaction; now the first segment is cleanable.
    await log.appendAsLeader(marker(11, "COMMIT"), 0, "coordinator");
    const round2 = await cleaner.cleanOnce();
    assert.ok(round2);
    const batches = batchesOnDisk(logDir);
    const describe = batches.map((b) => {
      const h = new RecordBatch(b.bytes).header;
      return [
        h.baseOffset,
        h.baseOffset + h.lastOffsetDelta,
        h.recordsCount,
        h.producerId,
        h.attributes & 0x30,
      ];
    });
    assert.deepEqual(describe.slice(0, 6), [
      [0, 1, 0, 7, 0], // producer 7's last batch, emptied
      [2, 3, 0, 9, 0x10], // producer 9's last data batch: aborted, emptied but kept
      [4, 4, 1, 9, 0x30], // the abort marker stays while its batch is there
      [5, 6, 2, 10, 0x10], // committed records kept
      [7, 7, 1, 10, 0x30], // its commit marker
      [8, 9, 2, -1, 0], // the new a, b
    ]);
    const empty = new RecordBatch(batches[0].bytes).header;
    assert.equal(empty.producerEpoch, 2);
    assert.equal(empty.baseSequence, 0);
    // The kept abort is listed in the cleaned segment's .txnindex.
    assert.deepEqual(
      decodeTransactionIndex(Deno.readFileSync(`${logDir}/${segmentFileName(0, "txnindex")}`)),
      [
        { producerId: 9, firstOffset: 2, lastOffset: 4, lastStableOffset: 5 },
      ],
    );
    assert.deepEqual(
      allRecords(log).map((r) => `${r.offset}:${r.key}=${r.value}`).filter((s) =>
        !s.includes("null")
      ),
      [
        "4:\u0000\u0000\u0000\u0000=\u0000\u0000\u0000\u0000\u0000\u0000",
        "5:e=committed",
        "6:f=committed",
      ]
        .concat([
          "7:\u0000\u0000\u0000\u0001=\u0000\u0000\u0000\u0000\u0000\u0000",
          "8:a=new",
          "9:b=new",
        ])
        .concat(
          allRecords(log).filter((r) => r.offset >= 10).map((r) =>
            `${r.offset}:${r.key}=${r.value}`
          ),
        ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cleaner: legacy v1 messages and a compressed wrapper rebuilt around what stays", async () => {
  const { dir, log, cleaner, clock } = await compactedLog({
    "segment.bytes": 400,
    "min.cleanable.dirty.ratio": 0.01,
    "message.format.version": "0.10.2",
  });
  try {
    const ts = clock.now();
    const r = (k: string, v: string, i: number) => ({
      timestamp: ts + i,
      key: enc.encode(k),
      value: enc.encode(v),
    });
    const sets = [
      buildLegacyMessageSet({
        magic: 1,
        compression: Compression.GZIP,
        records: [r("a", "1", 0), r("b", "1", 1), r("c", "1", 2)],
      }),
      buildLegacyMessageSet({ magic: 1, records: [r("b", "2", 3)] }),
      buildLegacyMessageSet({ magic: 1, records: [r("d", "2", 4)] }),
    ];
    for (const s of sets) await log.appendAsLeader(s, 0);
    for (let i = 0; i < 10; i++) {
      await log.appendAsLeader(
        buildLegacyMessageSet({ magic: 1, records: [r(`z${i}`, "x".repeat(20), 5 + i)] }),
        0,
      );
    }
    const active = log.segmentBaseOffsets.at(-1)!;
    const before = allRecords(log);
    assert.ok(await cleaner.cleanOnce());
    assert.deepEqual(allRecords(log), expectedAfterClean(before, active));
    assert.deepEqual(allRecords(log).slice(0, 3).map((x) => `${x.offset}:${x.key}`), [
      "0:a",
      "2:c",
      "3:b",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cleaner: LogManager runs it in the background; deleting the partition drops its checkpoint", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-clean-mgr-" });
  try {
    const m = await LogManager.open({
      logDirs: [dir],
      brokerId: 0,
      clock: new ManualClock(T0),
      defaults: new Map(),
      cleaner: { backoffMs: 20 },
    });
    const compact = new Map([["cleanup.policy", "compact"], ["segment.bytes", "500"], [
      "min.cleanable.dirty.ratio",
      "0.01",
    ]]);
    const log = await m.getOrCreate(
      { topic: "__consumer_offsets", partition: 0 },
      m.configFor(compact),
    );
    const plain = await m.getOrCreate(
      { topic: "plain", partition: 0 },
      m.configFor(new Map([["segment.bytes", "500"]])),
    );
    for (let i = 0; i < 40; i++) {
      await log.appendAsLeader(keyed([[`g${i % 4}`, `offset ${i}`]], T0 + i), 0);
      await plain.appendAsLeader(keyed([[`g${i % 4}`, `offset ${i}`]], T0 + i), 0);
    }
    const plainBefore = allRecords(plain);
    m.startBackground();
    const cp = `${dir}/cleaner-offset-checkpoint`;
    const active = log.segmentBaseOffsets.at(-1)!;
    for (let i = 0; i < 500; i++) {
      const e = await readOffsetCheckpoint(cp);
      if (e.some((x) => x.topic === "__consumer_offsets" && x.offset === active)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(await readOffsetCheckpoint(cp), [{
      topic: "__consumer_offsets",
      partition: 0,
      offset: active,
    }]);
    assert.ok(allRecords(log).length < 40 - active + 8);
    assert.deepEqual(allRecords(plain), plainBefore, "a delete-policy topic is never compacted");
    await m.delete({ topic: "__consumer_offsets", partition: 0 });
    assert.deepEqual(await readOffsetCheckpoint(cp), []);
    await m.shutdown();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
