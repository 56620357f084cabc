import assert from "node:assert/strict";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { ProducerBatch } from "./producer_batch.ts";
import {
  type AbortedTxn,
  type AppendOrigin,
  type DuplicateBatch,
  ProducerStateError,
  ProducerStateManager,
} from "./producer_state.ts";

const INT_MAX = 0x7fffffff;
const DAY = 86_400_000;

/** A log in memory: assigns offsets, appends what the producer state accepts. */
class Log {
  next = 0;
  readonly psm: ProducerStateManager;
  readonly aborted: AbortedTxn[] = [];

  constructor(expirationMs = 7 * DAY) {
    this.psm = new ProducerStateManager("t-0", expirationMs);
  }

  /** Appends `count` records; returns the batch's offsets, or the duplicate answer. */
  append(
    o: {
      pid: number;
      epoch?: number;
      seq: number;
      count?: number;
      ts?: number;
      txn?: boolean;
      origin?: AppendOrigin;
    },
  ): { first: number; last: number } | { duplicate: DuplicateBatch } {
    const count = o.count ?? 1;
    const b: ProducerBatch = {
      producerId: o.pid,
      producerEpoch: o.epoch ?? 0,
      baseSequence: o.seq,
      baseOffset: this.next,
      lastOffset: this.next + count - 1,
      maxTimestamp: o.ts ?? 1000,
      isTransactional: o.txn ?? false,
      control: null,
    };
    return this.#write(b, o.origin ?? "client");
  }

  marker(
    pid: number,
    type: "ABORT" | "COMMIT",
    o: { epoch?: number; coordinatorEpoch?: number } = {},
  ) {
    return this.#write({
      producerId: pid,
      producerEpoch: o.epoch ?? 0,
      baseSequence: -1,
      baseOffset: this.next,
      lastOffset: this.next,
      maxTimestamp: 2000,
      isTransactional: true,
      control: { type, coordinatorEpoch: o.coordinatorEpoch ?? 0, timestamp: 2000 },
    }, "coordinator");
  }

  #write(b: ProducerBatch, origin: AppendOrigin) {
    const r = this.psm.prepareAppend([b], origin);
    if ("duplicate" in r) return r;
    this.next = b.lastOffset + 1;
    this.aborted.push(...this.psm.commitAppend(r.append, this.next));
    return { first: b.baseOffset, last: b.lastOffset };
  }
}

function rejects(f: () => unknown, code: number): void {
  assert.throws(f, (e) => {
    assert.ok(e instanceof ProducerStateError, String(e));
    assert.equal(e.code, code);
    return true;
  });
}

Deno.test("a retried batch among the producer's last 5 is a duplicate with its original offsets", () => {
  const log = new Log();
  for (let i = 0; i < 6; i++) log.append({ pid: 7, seq: 3 * i, count: 3, ts: 100 + i });
  assert.equal(log.next, 18);
  // The 2nd..6th batches are remembered: each retry answers where it was written.
  for (let i = 1; i < 6; i++) {
    assert.deepEqual(log.append({ pid: 7, seq: 3 * i, count: 3 }), {
      duplicate: { firstOffset: 3 * i, lastOffset: 3 * i + 2, timestamp: 100 + i },
    });
  }
  assert.equal(log.next, 18, "a duplicate appends nothing");
  // The 1st fell out of the window: Kafka can no longer tell, and the sequence is out of order.
  rejects(() => log.append({ pid: 7, seq: 0, count: 3 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  // Same range under another epoch, or a different range: not a duplicate.
  rejects(() => log.append({ pid: 7, seq: 3, count: 2 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert.deepEqual(log.append({ pid: 7, seq: 18, count: 1 }), { first: 18, last: 18 });
});

Deno.test("a gap in sequence is OUT_OF_ORDER_SEQUENCE_NUMBER and changes nothing", () => {
  const log = new Log();
  log.append({ pid: 1, seq: 0, count: 5 });
  rejects(() => log.append({ pid: 1, seq: 6 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  rejects(() => log.append({ pid: 1, seq: 4 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert.equal(log.psm.lastEntry(1)?.batches.at(-1)?.lastSeq, 4);
  assert.deepEqual(log.append({ pid: 1, seq: 5 }), { first: 5, last: 5 });
});

Deno.test("epochs: an old one is fenced, a new one starts at sequence 0", () => {
  const log = new Log();
  log.append({ pid: 1, epoch: 3, seq: 0, count: 2 });
  rejects(() => log.append({ pid: 1, epoch: 2, seq: 2 }), ErrorCode.INVALID_PRODUCER_EPOCH);
  // The coordinator's appends (TxnOffsetCommit, markers) are fenced the same way.
  rejects(
    () => log.append({ pid: 1, epoch: 2, seq: -1, origin: "coordinator" }),
    ErrorCode.INVALID_PRODUCER_EPOCH,
  );
  rejects(() => log.append({ pid: 1, epoch: 4, seq: 5 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  log.append({ pid: 1, epoch: 4, seq: 0 });
  assert.equal(log.psm.lastEntry(1)?.producerEpoch, 4);
  assert.equal(log.psm.lastEntry(1)?.batches.length, 1, "a new epoch forgets the old batches");
  // Replication applies what the leader accepted, old epochs included.
  log.append({ pid: 1, epoch: 1, seq: 9, origin: "replication" });
});

Deno.test("2.8.2 accepts any sequence from a producer it has no state for (no UNKNOWN_PRODUCER_ID)", () => {
  const log = new Log();
  assert.deepEqual(log.append({ pid: 42, epoch: 5, seq: 1234, count: 2 }), { first: 0, last: 1 });
  // … and from then on checks it.
  rejects(
    () => log.append({ pid: 42, epoch: 5, seq: 1237 }),
    ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  );
  log.append({ pid: 42, epoch: 5, seq: 1236 });
});

Deno.test("sequences wrap from Int.MAX to 0, within a batch and between batches", () => {
  const log = new Log();
  log.append({ pid: 1, seq: INT_MAX - 1, count: 3 }); // INT_MAX-1, INT_MAX, 0
  assert.equal(log.psm.lastEntry(1)?.batches.at(-1)?.lastSeq, 0);
  assert.deepEqual(log.append({ pid: 1, seq: INT_MAX - 1, count: 3 }), {
    duplicate: { firstOffset: 0, lastOffset: 2, timestamp: 1000 },
  });
  log.append({ pid: 1, seq: 1 });
  const log2 = new Log();
  log2.append({ pid: 2, seq: INT_MAX - 1, count: 2 }); // ends at INT_MAX
  rejects(() => log2.append({ pid: 2, seq: 1 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  log2.append({ pid: 2, seq: 0 });
});

Deno.test("producers expire transactional.id.expiration.ms after their last timestamp", () => {
  const log = new Log(DAY);
  log.append({ pid: 1, seq: 0, ts: 10_000 });
  log.append({ pid: 2, seq: 0, ts: 10_000, txn: true }); // open transaction: never expires
  assert.equal(log.psm.removeExpiredProducers(10_000 + DAY - 1), 0);
  assert.equal(log.psm.removeExpiredProducers(10_000 + DAY), 1);
  assert.equal(log.psm.lastEntry(1), undefined);
  assert.ok(log.psm.lastEntry(2));
  // Expired: the next sequence is accepted whatever it is, as for a new producer.
  log.append({ pid: 1, seq: 77 });
});

Deno.test("prepareAppend changes nothing when a later batch of the append fails", () => {
  const log = new Log();
  log.append({ pid: 1, seq: 0 });
  const ok: ProducerBatch = {
    producerId: 1,
    producerEpoch: 0,
    baseSequence: 1,
    baseOffset: 1,
    lastOffset: 1,
    maxTimestamp: 5,
    isTransactional: false,
    control: null,
  };
  rejects(
    () =>
      log.psm.prepareAppend(
        [ok, { ...ok, baseSequence: 9, baseOffset: 2, lastOffset: 2 }],
        "client",
      ),
    ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  );
  assert.equal(log.psm.lastEntry(1)?.batches.length, 1);
  // Two batches of one producer in one append chain their sequences.
  const r = log.psm.prepareAppend(
    [ok, { ...ok, baseSequence: 2, baseOffset: 2, lastOffset: 2 }],
    "client",
  );
  assert.ok("append" in r);
});

Deno.test("transactions: open, the last stable offset, aborts for the .txnindex", () => {
  const log = new Log();
  log.append({ pid: 1, seq: 0, count: 2, txn: true }); // 0-1, p1 opens at 0
  log.append({ pid: 2, seq: 0, count: 2, txn: true }); // 2-3, p2 opens at 2
  log.append({ pid: 3, seq: 0 }); // 4, plain
  assert.equal(log.psm.firstUnstableOffset(), 0);
  assert.equal(log.psm.lastStableOffset(log.next), 0);
  // A plain write from a producer with an open transaction.
  rejects(() => log.append({ pid: 1, seq: 2 }), ErrorCode.INVALID_TXN_STATE);
  log.marker(1, "ABORT"); // 5
  // The abort's LSO is where the other producer's transaction starts.
  assert.deepEqual(log.aborted, [{
    producerId: 1,
    firstOffset: 0,
    lastOffset: 5,
    isAborted: true,
    lastStableOffset: 2,
  }]);
  // Decided but its marker not yet under the high watermark: still unstable.
  assert.equal(log.psm.firstUnstableOffset(), 0);
  log.psm.onHighWatermarkUpdated(6);
  assert.equal(log.psm.firstUnstableOffset(), 2);
  log.marker(2, "COMMIT"); // 6
  assert.equal(log.aborted.length, 1, "commits are not indexed");
  log.psm.onHighWatermarkUpdated(7);
  assert.equal(log.psm.firstUnstableOffset(), undefined);
  assert.equal(log.psm.lastStableOffset(7), 7);
  const e = log.psm.lastEntry(2)!;
  assert.equal(e.currentTxnFirstOffset, -1);
  assert.equal(e.coordinatorEpoch, 0);
  assert.equal(e.lastTimestamp, 2000, "a marker's timestamp is the producer's last");
});

Deno.test("markers: an older coordinator epoch is fenced; an empty transaction completes nothing", () => {
  const log = new Log();
  log.append({ pid: 1, seq: 0, txn: true });
  log.marker(1, "COMMIT", { coordinatorEpoch: 5 });
  log.append({ pid: 1, seq: 1, txn: true });
  rejects(
    () => log.marker(1, "ABORT", { coordinatorEpoch: 4 }),
    ErrorCode.TRANSACTION_COORDINATOR_FENCED,
  );
  rejects(
    () => log.marker(1, "ABORT", { epoch: -1, coordinatorEpoch: 5 }),
    ErrorCode.INVALID_PRODUCER_EPOCH,
  );
  // A marker bumping the epoch (a fenced producer's transaction aborted by the coordinator).
  log.marker(1, "ABORT", { epoch: 1, coordinatorEpoch: 5 });
  assert.equal(log.aborted.length, 1);
  assert.equal(log.psm.lastEntry(1)?.producerEpoch, 1);
  log.marker(1, "ABORT", { epoch: 1, coordinatorEpoch: 6 }); // nothing open
  assert.equal(log.aborted.length, 1);
});

Deno.test("loadSnapshot drops expired producers and reopens transactions", () => {
  const log = new Log(DAY);
  log.append({ pid: 1, seq: 0, ts: 0 });
  log.append({ pid: 2, seq: 0, ts: 0, txn: true });
  log.append({ pid: 3, seq: 0, ts: DAY });
  const psm = new ProducerStateManager("t-0", DAY);
  psm.loadSnapshot(log.psm.entries(), log.next, DAY + 1);
  assert.deepEqual(psm.entries().map((e) => e.producerId).sort(), [2, 3]);
  assert.equal(psm.firstUnstableOffset(), 1);
  assert.equal(psm.mapEndOffset, 3);
  assert.equal(psm.snapshotDue, false);
  psm.updateMapEndOffset(4);
  assert.equal(psm.snapshotDue, true);
});
