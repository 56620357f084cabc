import assert from "node:assert/strict";
import { ManualClock } from "../../internal/clock.ts";
import { LogManager, type LogManagerOptions } from "./log_manager.ts";
import { LogDirMetadataError } from "./log_errors.ts";
import { readMetaProperties, writeMetaProperties } from "./meta_properties.ts";
import { readPartitionMetadata } from "./partition_metadata.ts";
import { readOffsetCheckpoint } from "./offset_checkpoint.ts";
import { SegmentDamageError } from "./segment_recovery.ts";
import { segmentFileName } from "./segment_files.ts";
import { ls, producerBatch, recordsOf } from "./_log_test_util.ts";

const T0 = 1_700_000_000_000;
const DEFAULTS = new Map([["segment.bytes", "2000"], ["file.delete.delay.ms", "1000"]]);

async function withDirs(n: number, fn: (dirs: string[]) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "herd-logmgr-" });
  try {
    await fn(Array.from({ length: n }, (_, i) => `${root}/data${i}`));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function options(dirs: string[], clock: ManualClock, o: Partial<LogManagerOptions> = {}) {
  return {
    logDirs: dirs,
    brokerId: 1,
    clusterId: "c1uster-id-0123456789",
    clock,
    defaults: DEFAULTS,
    ...o,
  };
}

Deno.test("log manager: new partitions go to the dir with fewest, everything survives a clean restart", async () => {
  await withDirs(2, async (dirs) => {
    const clock = new ManualClock(T0);
    const m = await LogManager.open(options(dirs, clock));
    for (const d of dirs) {
      const meta = await readMetaProperties(d);
      assert.deepEqual([meta?.brokerId, meta?.clusterId, meta?.version], [
        1,
        "c1uster-id-0123456789",
        0,
      ]);
    }
    const cfg = m.configFor();
    const p0 = await m.getOrCreate({ topic: "a", partition: 0 }, cfg, "bBa64-dSRLi-4C70oV_ILw");
    const p1 = await m.getOrCreate({ topic: "a", partition: 1 }, cfg, "bBa64-dSRLi-4C70oV_ILw");
    const p2 = await m.getOrCreate({ topic: "b", partition: 0 }, cfg);
    assert.equal(await m.getOrCreate({ topic: "a", partition: 0 }, cfg), p0);
    assert.deepEqual([p0.dir, p1.dir, p2.dir], [
      `${dirs[0]}/a-0`,
      `${dirs[1]}/a-1`,
      `${dirs[0]}/b-0`,
    ]);
    assert.equal((await readPartitionMetadata(p0.dir))?.topicId, "bBa64-dSRLi-4C70oV_ILw");
    for (let i = 0; i < 30; i++) await p0.appendAsLeader(producerBatch(i, 1, T0 + i, 100), 2);
    await p1.appendAsLeader(producerBatch(0, 5, T0), 2);
    await p0.deleteRecordsBefore(25);
    await m.shutdown();
    assert.ok(ls(dirs[0]).includes(".kafka_cleanshutdown"));
    assert.deepEqual(await readOffsetCheckpoint(`${dirs[0]}/recovery-point-offset-checkpoint`), [
      { topic: "a", partition: 0, offset: 30 },
      { topic: "b", partition: 0, offset: 0 },
    ]);
    assert.deepEqual(await readOffsetCheckpoint(`${dirs[0]}/log-start-offset-checkpoint`), [
      { topic: "a", partition: 0, offset: 25 },
    ]);
    assert.deepEqual(await readOffsetCheckpoint(`${dirs[1]}/replication-offset-checkpoint`), [
      { topic: "a", partition: 1, offset: 5 },
    ]);

    const again = await LogManager.open(options(dirs, clock));
    assert.ok(!ls(dirs[0]).includes(".kafka_cleanshutdown"));
    assert.ok(ls(dirs[0]).includes("cleaner-offset-checkpoint"));
    const a0 = again.get("a", 0)!;
    assert.deepEqual([a0.logStartOffset, a0.logEndOffset, a0.highWatermark], [25, 30, 30]);
    const recs = recordsOf((await a0.read(25, 1 << 20, { minOneMessage: true })).records);
    assert.deepEqual(recs.map((r) => r[0]), [25, 26, 27, 28, 29]);
    assert.deepEqual(a0.endOffsetForEpoch(2), { epoch: 2, endOffset: 30 });
    assert.equal(again.get("a", 1)?.logEndOffset, 5);
    assert.equal(again.get("b", 0)?.logEndOffset, 0);
    await again.shutdown();
  });
});

Deno.test("log manager: a crash (no clean shutdown marker) recovers; damage refuses to start", async () => {
  await withDirs(1, async (dirs) => {
    const clock = new ManualClock(T0);
    const m = await LogManager.open(options(dirs, clock));
    const log = await m.getOrCreate({ topic: "t", partition: 0 }, m.configFor());
    for (let i = 0; i < 40; i++) await log.appendAsLeader(producerBatch(i, 1, T0, 100), 0);
    await m.shutdown();
    Deno.removeSync(`${dirs[0]}/.kafka_cleanshutdown`);
    const bases = log.segmentBaseOffsets;
    const active = `${dirs[0]}/t-0/${segmentFileName(bases.at(-1)!, "log")}`;
    Deno.truncateSync(active, Deno.statSync(active).size - 7);
    const again = await LogManager.open(options(dirs, clock));
    assert.equal(again.get("t", 0)?.logEndOffset, 39);
    await again.shutdown();
    Deno.removeSync(`${dirs[0]}/.kafka_cleanshutdown`);
    const first = `${dirs[0]}/t-0/${segmentFileName(bases[0], "log")}`;
    const bytes = Deno.readFileSync(first);
    bytes[100] ^= 0xff;
    Deno.writeFileSync(first, bytes);
    // The recovery point is past the damage: a plain restart does not even look there.
    const third = await LogManager.open(options(dirs, clock));
    await third.shutdown();
    Deno.removeSync(`${dirs[0]}/.kafka_cleanshutdown`);
    await Deno.writeTextFile(`${dirs[0]}/recovery-point-offset-checkpoint`, "0\n1\nt 0 0\n");
    await assert.rejects(LogManager.open(options(dirs, clock)), SegmentDamageError);
  });
});

Deno.test("log manager: meta.properties of another broker or cluster is refused with Kafka's words", async () => {
  await withDirs(2, async (dirs) => {
    const clock = new ManualClock(T0);
    await (await LogManager.open(options(dirs, clock))).shutdown();
    await assert.rejects(LogManager.open(options(dirs, clock, { brokerId: 2 })), (e) => {
      assert.ok(e instanceof LogDirMetadataError);
      assert.equal(
        e.message,
        "Configured broker.id 2 doesn't match stored broker.id Some(1) in meta.properties. If you moved your data, make sure your configured broker.id matches. If you intend to create a new broker, you should remove all data in your data directories (log.dirs).",
      );
      return true;
    });
    await assert.rejects(LogManager.open(options(dirs, clock, { clusterId: "other" })), (e) => {
      assert.ok(e instanceof LogDirMetadataError);
      assert.equal(
        e.message,
        "The Cluster ID other doesn't match stored clusterId Some(c1uster-id-0123456789) in meta.properties. The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.",
      );
      return true;
    });
    await writeMetaProperties(dirs[1], {
      version: 0,
      brokerId: 7,
      clusterId: "c1uster-id-0123456789",
    });
    await assert.rejects(
      LogManager.open(options(dirs, clock)),
      /BrokerMetadata is not consistent across log.dirs/,
    );
  });
});

Deno.test("log manager: deleted partitions become -delete dirs, removed after file.delete.delay.ms", async () => {
  await withDirs(1, async (dirs) => {
    const clock = new ManualClock(T0);
    const timers = { setTimeout: () => 0, clearTimeout: () => {} };
    const m = await LogManager.open(options(dirs, clock, { timers }));
    m.startBackground();
    const log = await m.getOrCreate({ topic: "gone", partition: 3 }, m.configFor());
    await log.appendAsLeader(producerBatch(0, 1, T0), 0);
    await m.delete({ topic: "gone", partition: 3 });
    assert.equal(m.get("gone", 3), undefined);
    const name = ls(dirs[0]).find((n) => n.startsWith("gone-3."));
    assert.match(name ?? "", /^gone-3\.[0-9a-f]{32}-delete$/);
    await m.tick(clock.now());
    assert.ok(ls(dirs[0]).includes(name!));
    clock.advance(1000);
    await m.tick(clock.now());
    assert.ok(!ls(dirs[0]).includes(name!), ls(dirs[0]).join(" "));
    await m.shutdown();
  });
});

Deno.test("log manager: retention and flushes run from the background tasks on the clock", async () => {
  await withDirs(1, async (dirs) => {
    const clock = new ManualClock(T0);
    const timers = { setTimeout: () => 0, clearTimeout: () => {} };
    // One big segment: no roll, so no flush but the flusher's.
    const defaults = new Map([["retention.ms", "60000"], ["flush.ms", "10000"]]);
    const m = await LogManager.open(options(dirs, clock, {
      timers,
      defaults,
      retentionCheckIntervalMs: 5000,
      flushSchedulerIntervalMs: 1000,
    }));
    m.startBackground();
    const log = await m.getOrCreate({ topic: "t", partition: 0 }, m.configFor());
    for (let i = 0; i < 30; i++) await log.appendAsLeader(producerBatch(i, 1, T0, 100), 0);
    clock.advance(29_000);
    await m.tick(clock.now());
    assert.equal(log.recoveryPoint, 0, "no task before Kafka's 30 s initial delay");
    clock.advance(1000);
    await m.tick(clock.now());
    assert.equal(log.recoveryPoint, 30, "flush.ms passed: flushed");
    assert.equal(log.lastFlushTime, T0 + 30_000);
    assert.deepEqual(log.segmentBaseOffsets, [0], "nothing is older than retention.ms");
    clock.advance(60_000);
    await m.tick(clock.now());
    // All of it expired: Kafka rolls a new active segment, then deletes the old one.
    assert.deepEqual(log.segmentBaseOffsets, [30]);
    assert.equal(log.logStartOffset, 30);
    assert.deepEqual(await readOffsetCheckpoint(`${dirs[0]}/log-start-offset-checkpoint`), []);
    await m.shutdown();
  });
});
