/**
 * The transaction coordinator's state machine on a virtual clock (times are arguments): the
 * records it asks to write, byte for byte against what Apache 2.8.2 wrote for the same client
 * steps (kafka/log/testdata/apache-2.8.2-txn/__transaction_state-0), the error codes of every
 * refusal, fencing, timeouts, expiry, loading and retries.
 */
import assert from "node:assert/strict";
import { scanEntries } from "../protocol/records/entries.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { DEFAULT_TXN_CONFIG, TransactionStateMachine, type TxnEffect } from "./state_machine.ts";
import {
  decodeTransactionLogKey,
  decodeTransactionLogValue,
  encodeTransactionLogValue,
} from "./transaction_log.ts";

const T = 1_796_693_820_000;
const TP = { topic: "herd-pid", partition: 0 };

/** A machine with one partition of `__transaction_state`, loaded (coordinator epoch 3). */
function machine(o: Partial<typeof DEFAULT_TXN_CONFIG> = {}): TransactionStateMachine {
  const m = new TransactionStateMachine({ ...DEFAULT_TXN_CONFIG, partitionCount: 1, ...o }, T);
  m.beginLoading(0);
  assert.deepEqual(m.finishLoading(0, 3, T), []);
  return m;
}

type Append = Extract<TxnEffect, { type: "append" }>;
type Markers = Extract<TxnEffect, { type: "markers" }>;
type Reply = Extract<TxnEffect, { type: "reply" }>;

function only<K extends TxnEffect["type"]>(effects: TxnEffect[], type: K) {
  assert.equal(effects.length, 1, JSON.stringify(effects));
  assert.equal(effects[0].type, type);
  return effects[0] as Extract<TxnEffect, { type: K }>;
}

function reply(effects: TxnEffect[]): Reply {
  return only(effects, "reply");
}

/** Completes an append and returns what follows. */
function written(m: TransactionStateMachine, e: TxnEffect[], now: number): TxnEffect[] {
  return m.appendDone(only(e, "append").token, 0, now);
}

/** InitProducerId for a new id, written: the producer id and epoch answered. */
function init(m: TransactionStateMachine, id = "tx", pid = 7, now = T): Reply {
  return reply(written(m, m.initProducerId(1, now, id, 60_000, null, pid), now));
}

Deno.test("txn machine: the records of Apache's run, byte for byte", () => {
  const fixture = new URL(
    "../log/testdata/apache-2.8.2-txn/__transaction_state-0/00000000000000000000.log",
    import.meta.url,
  );
  const bytes = Deno.readFileSync(fixture);
  const apache: Uint8Array[] = [];
  for (const e of scanEntries(bytes).entries) {
    const b = new RecordBatch(bytes.subarray(e.position, e.position + e.sizeInBytes));
    for (const r of b.records()) {
      assert.equal(decodeTransactionLogKey(r.key!), "herd-txn");
      apache.push(r.value!);
    }
  }
  const times = apache.map((v) => decodeTransactionLogValue(v)!.lastUpdateTimestampMs);
  const m = machine();
  const mine: Uint8Array[] = [];
  const value = (e: TxnEffect[]) => {
    const a = only(e, "append");
    mine.push(encodeTransactionLogValue(a.value!));
    return a.token;
  };
  // The client's steps, at the times Apache stamped on them (README there).
  let tok = value(m.initProducerId(1, times[0], "herd-txn", 600_000, null, 2));
  assert.deepEqual(reply(m.appendDone(tok, 0, times[0])).producerEpoch, 0);
  tok = value(m.addPartitions(2, times[1], "herd-txn", 2, 0, [TP]));
  reply(m.appendDone(tok, 0, times[1]));
  tok = value(m.endTxn(3, times[2], "herd-txn", 2, 0, true));
  const [answered, markers] = m.appendDone(tok, 0, times[3]);
  assert.deepEqual(answered, { type: "reply", id: 3, errorCode: 0 });
  assert.equal((markers as Markers).coordinatorEpoch, 3);
  tok = value(m.markersDone((markers as Markers).token, 0, times[3] + 100));
  m.appendDone(tok, 0, times[3] + 150);
  tok = value(m.addPartitions(4, times[4], "herd-txn", 2, 0, [TP]));
  m.appendDone(tok, 0, times[4]);
  tok = value(m.endTxn(5, times[5], "herd-txn", 2, 0, false));
  const [, abortMarkers] = m.appendDone(tok, 0, times[6]);
  assert.equal((abortMarkers as Markers).result, "ABORT");
  tok = value(m.markersDone((abortMarkers as Markers).token, 0, times[6] + 3));
  m.appendDone(tok, 0, times[6] + 5);
  value(m.addPartitions(6, times[7], "herd-txn", 2, 0, [TP]));
  assert.deepEqual(mine, apache);
});

Deno.test("txn machine: InitProducerId refusals and epoch bumps", () => {
  const m = machine({ maxTimeoutMs: 900_000 });
  const code = (e: TxnEffect[]) => reply(e).errorCode;
  assert.equal(code(m.initProducerId(1, T, "", 1000, null, 1)), 42, "empty id");
  assert.equal(code(m.initProducerId(1, T, "tx", 0, null, 1)), 50, "timeout 0");
  assert.equal(code(m.initProducerId(1, T, "tx", 900_001, null, 1)), 50, "above the max");
  assert.deepEqual(init(m), {
    type: "reply",
    id: 1,
    errorCode: 0,
    producerId: 7,
    producerEpoch: 0,
  });
  assert.equal(m.wantsProducerId("tx"), false);
  const again = reply(written(m, m.initProducerId(2, T, "tx", 1000, null), T));
  assert.deepEqual([again.producerId, again.producerEpoch], [7, 1]);
  // While a transition is being written, everything else waits.
  const pending = m.initProducerId(3, T, "tx", 1000, null);
  assert.equal(code(m.initProducerId(4, T, "tx", 1000, null)), 51);
  assert.equal(code(m.addPartitions(5, T, "tx", 7, 1, [TP])), 51);
  // A failed write is answered with Kafka's mapping and leaves the state as it was.
  assert.equal(reply(m.appendDone(only(pending, "append").token, 6, T)).errorCode, 16);
  assert.equal(m.txns.get("tx")!.producerEpoch, 1);
  // KIP-360: a producer naming another producer id is fenced.
  assert.equal(code(m.initProducerId(6, T, "tx", 1000, { producerId: 99, producerEpoch: 0 })), 90);
  // A partition not loaded is NOT_COORDINATOR; one loading, COORDINATOR_LOAD_IN_PROGRESS.
  const other = new TransactionStateMachine({ ...DEFAULT_TXN_CONFIG, partitionCount: 1 }, T);
  assert.equal(code(other.initProducerId(1, T, "tx", 1000, null, 1)), 16);
  other.beginLoading(0);
  assert.equal(code(other.endTxn(1, T, "tx", 1, 0, true)), 14);
});

Deno.test("txn machine: exhausted epochs rotate the producer id", () => {
  const m = machine();
  init(m);
  m.txns.get("tx")!.producerEpoch = 32766;
  assert.equal(m.wantsProducerId("tx"), true);
  const r = reply(written(m, m.initProducerId(2, T, "tx", 1000, null, 8), T));
  assert.deepEqual([r.producerId, r.producerEpoch], [8, 0]);
  assert.equal(m.txns.get("tx")!.lastProducerId, 7);
});

Deno.test("txn machine: add partitions, commit, retries and wrong states", () => {
  const m = machine();
  init(m);
  const code = (e: TxnEffect[]) => reply(e).errorCode;
  assert.equal(code(m.addPartitions(1, T, "nope", 7, 0, [TP])), 49, "unknown id");
  assert.equal(code(m.addPartitions(1, T, "tx", 8, 0, [TP])), 49, "other producer id");
  assert.equal(code(m.addPartitions(1, T, "tx", 7, 1, [TP])), 90, "other epoch");
  assert.equal(code(m.endTxn(1, T, "tx", 7, 0, true)), 48, "nothing to end");
  const add = m.addPartitions(1, T + 5, "tx", 7, 0, [TP, TP]);
  const v = only(add, "append").value!;
  assert.deepEqual([v.state, v.partitions, v.startTimestampMs], [
    "Ongoing",
    [{ topic: "herd-pid", partitionIds: [0] }],
    T + 5,
  ]);
  assert.equal(reply(m.appendDone(only(add, "append").token, 0, T + 5)).errorCode, 0);
  assert.equal(code(m.addPartitions(2, T + 6, "tx", 7, 0, [TP])), 0, "already in: no write");
  const more = written(
    m,
    m.addPartitions(3, T + 7, "tx", 7, 0, [{ topic: "b", partition: 2 }]),
    T + 7,
  );
  assert.equal(reply(more).errorCode, 0);
  assert.equal(m.txns.get("tx")!.startTimestamp, T + 5, "the start stays");
  const [ok, markers] = written(m, m.endTxn(4, T + 8, "tx", 7, 0, true), T + 8);
  assert.equal((ok as Reply).errorCode, 0);
  const mk = markers as Markers;
  assert.deepEqual(
    [mk.result, mk.producerId, mk.producerEpoch, mk.coordinatorEpoch, mk.partitions],
    ["COMMIT", 7, 0, 3, [TP, { topic: "b", partition: 2 }]],
  );
  assert.equal(code(m.endTxn(5, T + 9, "tx", 7, 0, true)), 51, "markers in flight");
  assert.equal(code(m.addPartitions(5, T + 9, "tx", 7, 0, [TP])), 51);
  const complete = m.markersDone(mk.token, 0, T + 10);
  assert.equal(only(complete, "append").value!.state, "CompleteCommit");
  assert.deepEqual(m.appendDone(only(complete, "append").token, 0, T + 10), []);
  assert.equal(code(m.endTxn(6, T + 11, "tx", 7, 0, true)), 0, "a retried commit");
  assert.equal(code(m.endTxn(6, T + 11, "tx", 7, 0, false)), 48, "abort after commit");
});

Deno.test("txn machine: InitProducerId fences an open transaction: abort with a new epoch", () => {
  const m = machine();
  init(m);
  reply(written(m, m.addPartitions(1, T, "tx", 7, 0, [TP]), T));
  const prepare = m.initProducerId(2, T + 1, "tx", 60_000, null);
  assert.equal(only(prepare, "append").value!.state, "PrepareAbort");
  assert.equal(only(prepare, "append").value!.producerEpoch, 1);
  const [r, markers] = m.appendDone(only(prepare, "append").token, 0, T + 1);
  assert.equal((r as Reply).errorCode, 51, "the caller retries");
  assert.deepEqual([(markers as Markers).result, (markers as Markers).producerEpoch], ["ABORT", 1]);
  // The old producer is fenced meanwhile.
  assert.equal(reply(m.endTxn(3, T + 2, "tx", 7, 0, true)).errorCode, 90);
  written(m, m.markersDone((markers as Markers).token, 0, T + 2), T + 2);
  assert.equal(m.txns.get("tx")!.state, "CompleteAbort");
  const r2 = reply(written(m, m.initProducerId(4, T + 3, "tx", 60_000, null), T + 3));
  assert.deepEqual([r2.producerId, r2.producerEpoch], [7, 2]);
});

Deno.test("txn machine: transaction.timeout.ms aborts; failed markers are retried", () => {
  const m = machine({ abortTimedOutIntervalMs: 10_000 });
  init(m);
  written(m, m.addPartitions(1, T, "tx", 7, 0, [TP]), T);
  assert.equal(m.nextDeadline(), T + 10_000);
  assert.deepEqual(m.tick(T + 10_000), [], "not yet timed out (60 s)");
  const abort = m.tick(T + 60_001 + 10_000);
  assert.equal(only(abort, "append").value!.state, "PrepareAbort");
  assert.equal(only(abort, "append").value!.producerEpoch, 1);
  const markers = only(m.appendDone(only(abort, "append").token, 0, T + 70_001), "markers");
  assert.deepEqual(m.markersDone(markers.token, 6, T + 70_002), [], "a partition failed");
  assert.equal(m.txns.get("tx")!.state, "PrepareAbort");
  const again = only(m.tick(T + 80_001), "markers");
  assert.deepEqual([again.result, again.producerEpoch], ["ABORT", 1]);
  written(m, m.markersDone(again.token, 0, T + 80_002), T + 80_002);
  assert.equal(m.txns.get("tx")!.state, "CompleteAbort");
});

Deno.test("txn machine: idle ids expire with a tombstone", () => {
  const m = machine({ expirationMs: 1000, removeExpiredIntervalMs: 500 });
  init(m);
  assert.deepEqual(m.tick(T + 500), []);
  const tomb = only(m.tick(T + 1000), "append");
  assert.equal(tomb.value, null);
  assert.equal(reply(m.addPartitions(1, T + 1001, "tx", 7, 0, [TP])).errorCode, 51);
  assert.deepEqual(m.appendDone(tomb.token, 0, T + 1001), []);
  assert.equal(m.txns.has("tx"), false);
});

Deno.test("txn machine: loading replays records; a PrepareCommit left behind completes", () => {
  const m = new TransactionStateMachine({ ...DEFAULT_TXN_CONFIG, partitionCount: 1 }, T);
  m.beginLoading(0);
  const base = {
    producerId: 5,
    producerEpoch: 2,
    transactionTimeoutMs: 1000,
    lastUpdateTimestampMs: T,
    startTimestampMs: T,
  };
  m.loadRecord(0, "gone", { ...base, state: "Empty", partitions: [] });
  m.loadRecord(0, "gone", null);
  m.loadRecord(0, "tx", { ...base, state: "Ongoing", partitions: [] });
  m.loadRecord(0, "tx", {
    ...base,
    state: "PrepareCommit",
    partitions: [{ topic: "t", partitionIds: [0, 1] }],
  });
  const markers = only(m.finishLoading(0, 9, T), "markers");
  assert.deepEqual(
    [markers.result, markers.coordinatorEpoch, markers.producerEpoch, markers.partitions.length],
    ["COMMIT", 9, 2, 2],
  );
  assert.equal(m.txns.has("gone"), false);
  const complete = only(m.markersDone(markers.token, 0, T + 1), "append");
  assert.equal(complete.value!.state, "CompleteCommit");
});
