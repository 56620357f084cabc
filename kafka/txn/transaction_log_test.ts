import assert from "node:assert/strict";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import {
  decodeTransactionLogKey,
  decodeTransactionLogValue,
  encodeTransactionLogKey,
  encodeTransactionLogValue,
} from "./transaction_log.ts";

/** Apache 2.8.2's __transaction_state-0 (kafka/log/testdata/apache-2.8.2-txn/README.md). */
const LOG = new URL(
  "../log/testdata/apache-2.8.2-txn/__transaction_state-0/00000000000000000000.log",
  import.meta.url,
).pathname;

function records(): { key: Uint8Array; value: Uint8Array | null }[] {
  const bytes = Deno.readFileSync(LOG);
  const v = new DataView(bytes.buffer);
  const out: { key: Uint8Array; value: Uint8Array | null }[] = [];
  for (let p = 0; p < bytes.length; p += 12 + v.getInt32(p + 8)) {
    for (const r of new RecordBatch(bytes.subarray(p, p + 12 + v.getInt32(p + 8))).records()) {
      out.push({ key: r.key!, value: r.value });
    }
  }
  return out;
}

Deno.test("__transaction_state records: Apache's decode as kafka-dump-log shows and re-encode exactly", () => {
  const all = records();
  // kafka-dump-log --transaction-log-decoder printed these states for herd-txn, in order.
  assert.deepEqual(all.map((r) => decodeTransactionLogValue(r.value)?.state), [
    "Empty",
    "Ongoing",
    "PrepareCommit",
    "CompleteCommit",
    "Ongoing",
    "PrepareAbort",
    "CompleteAbort",
    "Ongoing",
  ]);
  for (const r of all) {
    assert.equal(decodeTransactionLogKey(r.key), "herd-txn");
    assert.deepEqual(encodeTransactionLogKey("herd-txn"), r.key);
    const v = decodeTransactionLogValue(r.value)!;
    assert.equal(v.producerId, 2);
    assert.equal(v.transactionTimeoutMs, 600000);
    assert.deepEqual(encodeTransactionLogValue(v), r.value);
  }
  const prepare = decodeTransactionLogValue(all[2].value)!;
  assert.deepEqual(prepare.partitions, [{ topic: "herd-pid", partitionIds: [0] }]);
  assert.deepEqual(decodeTransactionLogValue(all[3].value)!.partitions, []);
  assert.equal(decodeTransactionLogValue(all[0].value)!.startTimestampMs, -1);
});

Deno.test("__transaction_state records: unknown versions and states are named, tombstones are null", () => {
  const value = records()[1].value!.slice();
  assert.equal(decodeTransactionLogValue(null), null);
  const badState = value.slice();
  badState[16] = 9; // version 2 + producer id 8 + epoch 2 + timeout 4 = state at 16
  assert.throws(() => decodeTransactionLogValue(badState), /Unknown transaction state byte 9/);
  value[1] = 1;
  assert.throws(() => decodeTransactionLogValue(value), /Unknown version 1/);
  assert.throws(
    () => decodeTransactionLogKey(new Uint8Array([0, 1, 0, 3, 97])),
    /Unknown version 1/,
  );
  assert.throws(() => decodeTransactionLogKey(new Uint8Array([0, 0, 0, 3, 97])), /truncated/);
});
