/**
 * Producer state wired into the partition log: Apache 2.8.2's own batches (idempotent and
 * transactional, testdata/apache-2.8.2-txn) appended through herd's PartitionLog give Apache's
 * segments, `.snapshot` files and `.txnindex` byte for byte; duplicates, sequence gaps and old
 * epochs are answered as Kafka does; read_committed bounds and aborted transactions; state kept
 * across a clean restart and rebuilt after a crash; and Apache's partition dir opened by herd.
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../internal/clock.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";
import { buildEndTxnMarkerBatch } from "../protocol/records/control.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { RecordsError } from "../protocol/records/errors.ts";
import { config } from "./_log_test_util.ts";
import { PartitionLog } from "./partition_log.ts";
import { ProducerStateError } from "./producer_state.ts";
import { segmentFileName } from "./segment_files.ts";
import { setInt64, viewOf } from "./_int64.ts";

const FIXTURE = new URL("./testdata/apache-2.8.2-txn/herd-pid-0/", import.meta.url).pathname;
const BASES = [0, 19, 31];
/** What Apache's broker ran with (README there): segments roll at 2048 bytes. */
const SETTINGS = { "segment.bytes": 2048, "index.interval.bytes": 4096 };
const NOW = 1_700_000_001_000;

function open(dir: string, hadCleanShutdown = true, clock = new ManualClock(NOW)) {
  return PartitionLog.open(dir, {
    topicPartition: { topic: "herd-pid", partition: 0 },
    config: config(SETTINGS),
    clock,
    hadCleanShutdown,
  });
}

/** Apache's batches in log order, as a producer (base offset 0) or the coordinator sent them. */
function apacheBatches(): { bytes: Uint8Array; control: boolean }[] {
  const out = [];
  for (const base of BASES) {
    const log = Deno.readFileSync(`${FIXTURE}${segmentFileName(base, "log")}`);
    for (const e of scanEntries(log).entries) {
      const bytes = log.slice(e.position, e.position + e.sizeInBytes);
      const control = (new DataView(bytes.buffer).getInt16(21) & 0x20) !== 0;
      // The client sends base offset 0 (outside the CRC); the broker assigns it.
      setInt64(viewOf(bytes), 0, 0);
      out.push({ bytes, control });
    }
  }
  return out;
}

function ls(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

const enc = new TextEncoder();

/** An idempotent (or transactional) producer's batch. */
function idempotent(
  producerId: number,
  epoch: number,
  seq: number,
  count: number,
  transactional = false,
): Uint8Array {
  return buildRecordBatch({
    producerId,
    producerEpoch: epoch,
    baseSequence: seq,
    isTransactional: transactional,
    records: Array.from({ length: count }, (_, i) => ({
      timestamp: NOW + seq + i,
      key: null,
      value: enc.encode(`p${producerId}-${seq + i}`),
    })),
  });
}

function marker(producerId: number, epoch: number, type: "COMMIT" | "ABORT", coordEpoch = 0) {
  return buildEndTxnMarkerBatch({
    type,
    coordinatorEpoch: coordEpoch,
    producerId,
    producerEpoch: epoch,
    timestamp: NOW,
  });
}

async function code(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RecordsError) return e.code;
    throw e;
  }
  return 0;
}

Deno.test("producer state: Apache's batches through herd's log give Apache's files byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-plog-txn-" });
  try {
    const log = await open(`${dir}/herd-pid-0`);
    for (const b of apacheBatches()) {
      await log.appendAsLeader(b.bytes, 0, b.control ? "coordinator" : "client");
    }
    assert.deepEqual(log.segmentBaseOffsets, BASES);
    assert.equal(log.logEndOffset, 38);
    assert.equal(log.lastStableOffset, 36, "the transaction open at 36 bounds read_committed");
    assert.deepEqual(log.abortedTransactions(0, 38), [{ producerId: 2, firstOffset: 32 }]);
    assert.deepEqual(log.abortedTransactions(36, 38), []);
    await log.close();
    const apache = ls(FIXTURE);
    assert.deepEqual(ls(`${dir}/herd-pid-0`), apache);
    for (const f of apache) {
      if (f === "leader-epoch-checkpoint" || f.endsWith("index")) continue;
      assert.deepEqual(
        Deno.readFileSync(`${dir}/herd-pid-0/${f}`),
        Deno.readFileSync(`${FIXTURE}${f}`),
        f,
      );
    }
    assert.deepEqual(
      Deno.readFileSync(`${dir}/herd-pid-0/${segmentFileName(31, "txnindex")}`),
      Deno.readFileSync(`${FIXTURE}${segmentFileName(31, "txnindex")}`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("producer state: herd opens Apache's partition dir with its producers and open transaction", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-plog-txn-" });
  try {
    await Deno.mkdir(`${dir}/herd-pid-0`);
    for (const f of ls(FIXTURE)) {
      await Deno.copyFile(`${FIXTURE}${f}`, `${dir}/herd-pid-0/${f}`);
    }
    const log = await open(`${dir}/herd-pid-0`);
    assert.equal(log.lastStableOffset, 36);
    assert.deepEqual(log.abortedTransactions(30, 38), [{ producerId: 2, firstOffset: 32 }]);
    // Producer 1 wrote sequences 0–14 in one-record batches: its last one again is a duplicate.
    const dup = await log.appendAsLeader(idempotent(1, 0, 14, 1), 0);
    assert.deepEqual([dup.baseOffset, dup.lastOffset, dup.logAppendTime], [26, 26, 1700000000260]);
    assert.equal(log.logEndOffset, 38);
    assert.equal(await code(log.appendAsLeader(idempotent(1, 0, 16, 1), 0)), 45);
    // Producer 2 still has its transaction open: a plain write is INVALID_TXN_STATE.
    assert.equal(await code(log.appendAsLeader(idempotent(2, 0, 9, 1), 0)), 48);
    await log.appendAsLeader(marker(2, 0, "COMMIT"), 0, "coordinator");
    assert.equal(log.lastStableOffset, 39);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("producer state: duplicates, gaps, epochs; kept across a clean restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-plog-txn-" });
  try {
    const clock = new ManualClock(NOW);
    let log = await open(`${dir}/t-0`, true, clock);
    assert.equal((await log.appendAsLeader(idempotent(7, 0, 0, 3), 0)).baseOffset, 0);
    assert.equal((await log.appendAsLeader(idempotent(7, 0, 3, 2), 0)).baseOffset, 3);
    const again = await log.appendAsLeader(idempotent(7, 0, 0, 3), 0);
    assert.deepEqual([again.baseOffset, again.lastOffset], [0, 2]);
    assert.equal(log.logEndOffset, 5, "a duplicate writes nothing");
    const gap = log.appendAsLeader(idempotent(7, 0, 9, 1), 0);
    await assert.rejects(gap, (e) => e instanceof ProducerStateError && e.code === 45);
    assert.equal(await code(log.appendAsLeader(idempotent(7, 1, 3, 1), 0)), 45, "new epoch at 3");
    assert.equal((await log.appendAsLeader(idempotent(7, 1, 0, 1), 0)).baseOffset, 5);
    assert.equal(await code(log.appendAsLeader(idempotent(7, 0, 5, 1), 0)), 47, "old epoch");
    // An unknown producer may start anywhere (2.8.2 never answers UNKNOWN_PRODUCER_ID).
    assert.equal((await log.appendAsLeader(idempotent(8, 0, 42, 1), 0)).baseOffset, 6);
    await log.close();
    assert.ok(ls(`${dir}/t-0`).includes(segmentFileName(7, "snapshot")));

    log = await open(`${dir}/t-0`, true, clock);
    const dup = await log.appendAsLeader(idempotent(7, 1, 0, 1), 0);
    assert.equal(dup.baseOffset, 5, "duplicate detected after a restart");
    assert.equal(await code(log.appendAsLeader(idempotent(8, 0, 44, 1), 0)), 45);
    // Producers idle for transactional.id.expiration.ms are forgotten.
    clock.advance(604_800_000 + 100);
    assert.equal(log.removeExpiredProducers(), 2);
    assert.equal((await log.appendAsLeader(idempotent(8, 0, 44, 1), 0)).baseOffset, 7);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("producer state: read_committed bounds, aborts in .txnindex, rebuilt after a crash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-plog-txn-" });
  try {
    let log = await open(`${dir}/t-0`);
    await log.appendAsLeader(idempotent(1, 0, 0, 2, true), 0); // 0-1, txn of 1
    await log.appendAsLeader(idempotent(2, 0, 0, 3, true), 0); // 2-4, txn of 2
    await log.appendAsLeader(
      buildRecordBatch({ records: [{ timestamp: NOW, key: null, value: null }] }),
      0,
    );
    assert.equal(log.highWatermark, 6);
    assert.equal(log.lastStableOffset, 0);
    await log.appendAsLeader(marker(1, 0, "ABORT"), 0, "coordinator"); // 6
    assert.equal(log.lastStableOffset, 2, "producer 2 still open");
    assert.deepEqual(log.abortedTransactions(0, 7), [{ producerId: 1, firstOffset: 0 }]);
    await log.appendAsLeader(marker(2, 0, "COMMIT"), 0, "coordinator"); // 7
    assert.equal(log.lastStableOffset, 8);
    assert.equal(
      await code(log.appendAsLeader(marker(2, 0, "COMMIT", -1), 0, "coordinator")),
      52,
      "an older coordinator epoch is fenced",
    );
    const txnindex = segmentFileName(0, "txnindex");
    const bytes = Deno.readFileSync(`${dir}/t-0/${txnindex}`);
    assert.equal(bytes.length, 34);
    // A crash: no clean shutdown, no snapshot; the index is rebuilt from the log.
    await log.close();
    for (const f of ls(`${dir}/t-0`)) {
      if (f.endsWith(".snapshot") || f.endsWith(".txnindex")) Deno.removeSync(`${dir}/t-0/${f}`);
    }
    log = await open(`${dir}/t-0`, false);
    assert.deepEqual(Deno.readFileSync(`${dir}/t-0/${txnindex}`), bytes);
    assert.deepEqual(log.abortedTransactions(0, 8), [{ producerId: 1, firstOffset: 0 }]);
    assert.equal(log.lastStableOffset, 8);
    assert.equal((await log.appendAsLeader(idempotent(2, 0, 3, 1), 0)).baseOffset, 8);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
