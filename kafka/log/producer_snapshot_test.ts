import assert from "node:assert/strict";
import { apacheIgnored, kafkaTool, requireApache } from "./_apache.ts";
import { producerBatches } from "./producer_batch.ts";
import { ProducerStateManager } from "./producer_state.ts";
import {
  CorruptSnapshotError,
  decodeProducerSnapshot,
  encodeProducerSnapshot,
  ProducerSnapshotFiles,
} from "./producer_snapshot.ts";
import { segmentFileName } from "./segment_files.ts";
import { encodeAbortedTxn } from "./transaction_index.ts";

/** Apache 2.8.2's files for idempotent and transactional producers (testdata/apache-2.8.2-txn/README.md). */
const FIXTURE = new URL("./testdata/apache-2.8.2-txn/herd-pid-0/", import.meta.url).pathname;
const SEGMENTS = [0, 19, 31];
const LOG_END = 38;

function file(offset: number, kind: "log" | "snapshot" | "txnindex"): Uint8Array {
  return Deno.readFileSync(`${FIXTURE}${segmentFileName(offset, kind)}`);
}

/** Replays Apache's log as the appends it took; the snapshot bytes at each segment start and the end. */
function replayApacheLog(): { snapshots: Map<number, Uint8Array>; psm: ProducerStateManager } {
  const psm = new ProducerStateManager("herd-pid-0");
  const snapshots = new Map<number, Uint8Array>();
  for (const base of SEGMENTS) {
    if (base > 0) snapshots.set(base, encodeProducerSnapshot(psm.entries()));
    for (const b of producerBatches(file(base, "log"))) {
      const r = psm.prepareAppend([b], b.control ? "coordinator" : "client");
      assert.ok("append" in r, `offset ${b.baseOffset} taken for a duplicate`);
      psm.commitAppend(r.append, b.lastOffset + 1);
      psm.onHighWatermarkUpdated(b.lastOffset + 1); // one broker: the high watermark follows
    }
  }
  snapshots.set(LOG_END, encodeProducerSnapshot(psm.entries()));
  return { snapshots, psm };
}

Deno.test("herd's snapshots of Apache's log are Apache 2.8.2's .snapshot files, byte for byte", () => {
  const { snapshots, psm } = replayApacheLog();
  // 19 and 31: written at each roll; 38: at the clean shutdown, with a transaction still open.
  for (const [offset, bytes] of snapshots) {
    assert.deepEqual(bytes, file(offset, "snapshot"), `${segmentFileName(offset, "snapshot")}`);
  }
  assert.equal(psm.firstUnstableOffset(), 36);
  assert.equal(psm.lastStableOffset(LOG_END), 36);
});

Deno.test("decodeProducerSnapshot reads Apache's snapshot as kafka-dump-log prints it", () => {
  const entries = decodeProducerSnapshot(file(LOG_END, "snapshot"));
  // kafka-dump-log.sh --files 00000000000000000038.snapshot (Apache 2.8.2) printed, in this order:
  // producerId: 2 producerEpoch: 0 coordinatorEpoch: 0 currentTxnFirstOffset: Some(36)
  //   firstSequence: 8 lastSequence: 8 lastOffset: 37 offsetDelta: 0 timestamp: 1700000000350
  // producerId: 1 … coordinatorEpoch: -1 currentTxnFirstOffset: None … lastSequence: 14 lastOffset: 26
  // producerId: 0 … lastSequence: 11 lastOffset: 11 … timestamp: 1700000000110
  assert.deepEqual(
    entries.map((
      e,
    ) => [
      e.producerId,
      e.coordinatorEpoch,
      e.currentTxnFirstOffset,
      e.batches[0].lastSeq,
      e.batches[0].lastOffset,
    ]),
    [[2, 0, 36, 8, 37], [1, -1, -1, 14, 26], [0, -1, -1, 11, 11]],
  );
  assert.equal(entries[0].lastTimestamp, 1700000000350);
  assert.deepEqual(encodeProducerSnapshot(entries), file(LOG_END, "snapshot"));
});

Deno.test("a snapshot's corruption is named: version, CRC, truncation", () => {
  const good = file(LOG_END, "snapshot");
  const flip = (i: number) => {
    const b = good.slice();
    b[i] ^= 1;
    return b;
  };
  assert.throws(() => decodeProducerSnapshot(flip(1)), /unknown file version 0/);
  assert.throws(() => decodeProducerSnapshot(flip(60)), /CRC is no longer valid/);
  assert.throws(() => decodeProducerSnapshot(good.subarray(0, 5)), CorruptSnapshotError);
  const short = good.slice(0, 100);
  assert.throws(() => decodeProducerSnapshot(short), CorruptSnapshotError);
});

Deno.test("ProducerSnapshotFiles: newest readable wins, corrupt ones are deleted, strays go", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-pid-snap-" });
  try {
    const files = await ProducerSnapshotFiles.open(dir);
    const entries = decodeProducerSnapshot(file(LOG_END, "snapshot"));
    await files.write(19, entries.slice(1));
    await files.write(38, entries);
    await files.write(50, entries);
    await Deno.writeFile(files.path(50), file(LOG_END, "snapshot").subarray(0, 40));
    const warnings: string[] = [];
    const reopened = await ProducerSnapshotFiles.open(dir);
    assert.deepEqual(reopened.list(), [19, 38, 50]);
    const latest = await reopened.readLatest((w) => warnings.push(w));
    assert.equal(latest?.offset, 38);
    assert.deepEqual(latest?.entries, entries);
    assert.match(
      warnings[0],
      /Failed to load producer snapshot from '.*00000000000000000050\.snapshot'/,
    );
    assert.deepEqual(reopened.list(), [19, 38]);
    assert.deepEqual(Deno.readFileSync(files.path(38)), file(LOG_END, "snapshot"));
    // Segments at 0 and 19: 38 is the clean-shutdown snapshot above them all and stays.
    await reopened.write(7, entries);
    await reopened.write(12, entries);
    await reopened.removeStray([0, 19]);
    assert.deepEqual(reopened.list(), [19, 38]);
    await reopened.removeStray([0, 19, 40]);
    assert.deepEqual(reopened.list(), [19]);
    assert.deepEqual((await ProducerSnapshotFiles.open(dir)).list(), [19]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "Apache's kafka-dump-log reads a snapshot herd wrote",
  ignore: apacheIgnored("kafka-dump-log on herd's snapshot"),
  async fn() {
    requireApache();
    const dir = await Deno.makeTempDir({ prefix: "herd-pid-dump-" });
    try {
      const psm = new ProducerStateManager("t-0");
      const batch = {
        producerId: 5_000_000_123,
        producerEpoch: 3,
        baseSequence: 0x7ffffffe,
        baseOffset: 10,
        lastOffset: 12,
        maxTimestamp: 1_700_000_000_000,
        isTransactional: true,
        control: null,
      };
      const r = psm.prepareAppend([batch], "client");
      assert.ok("append" in r);
      psm.commitAppend(r.append, 13);
      const files = await ProducerSnapshotFiles.open(dir);
      await files.write(13, psm.entries());
      const out = await kafkaTool("kafka-run-class.sh", [
        "kafka.tools.DumpLogSegments",
        "--files",
        files.path(13),
      ]);
      assert.match(
        out.stdout,
        /producerId: 5000000123 producerEpoch: 3 coordinatorEpoch: -1 currentTxnFirstOffset: Some\(10\) firstSequence: 2147483646 lastSequence: 0 lastOffset: 12 offsetDelta: 2 timestamp: 1700000000000/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("recovery from Apache's snapshot at 31 rebuilds its .txnindex and its snapshot at 38", () => {
  const psm = new ProducerStateManager("herd-pid-0");
  psm.loadSnapshot(decodeProducerSnapshot(file(31, "snapshot")), 31, 1_700_000_001_000);
  // LogSegment.recover's per-batch replay of the last segment: markers included, no checks.
  const aborted = psm.replay(producerBatches(file(31, "log")));
  assert.deepEqual(aborted.map(encodeAbortedTxn), [file(31, "txnindex")]);
  assert.equal(psm.mapEndOffset, LOG_END);
  assert.deepEqual(encodeProducerSnapshot(psm.entries()), file(LOG_END, "snapshot"));
});
