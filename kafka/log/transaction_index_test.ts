import assert from "node:assert/strict";
import { apacheIgnored, kafkaTool, requireApache } from "./_apache.ts";
import { CorruptIndexError } from "./log_errors.ts";
import {
  collectAbortedTransactions,
  collectAbortedTxns,
  decodeTransactionIndex,
  encodeAbortedTxn,
  TransactionIndex,
} from "./transaction_index.ts";

const APACHE_TXNINDEX = new URL(
  "./testdata/apache-2.8.2-txn/herd-pid-0/00000000000000000031.txnindex",
  import.meta.url,
).pathname;
/** What `kafka-dump-log.sh --files …031.txnindex` printed for Apache's file. */
const APACHE_ENTRY = { producerId: 2, firstOffset: 32, lastOffset: 35, lastStableOffset: 36 };

Deno.test(".txnindex entries are Apache 2.8.2's 34 bytes", () => {
  const bytes = Deno.readFileSync(APACHE_TXNINDEX);
  assert.deepEqual(decodeTransactionIndex(bytes), [APACHE_ENTRY]);
  assert.deepEqual(encodeAbortedTxn(APACHE_ENTRY), bytes);
  // A torn tail is not an entry; a newer version is refused.
  assert.deepEqual(decodeTransactionIndex(new Uint8Array([...bytes, 0, 0, 0])), [APACHE_ENTRY]);
  const v1 = bytes.slice();
  v1[1] = 1;
  assert.throws(() => decodeTransactionIndex(v1), CorruptIndexError);
});

Deno.test("collectAbortedTxns: overlap with the fetch range, stop at the last stable offset", () => {
  const entries = [
    { producerId: 1, firstOffset: 0, lastOffset: 5, lastStableOffset: 2 },
    { producerId: 2, firstOffset: 2, lastOffset: 9, lastStableOffset: 10 },
    { producerId: 3, firstOffset: 12, lastOffset: 14, lastStableOffset: 15 },
  ];
  // From 6: producer 1's transaction ended at 5, before the fetch.
  assert.deepEqual(collectAbortedTxns(entries, 6, 20), {
    abortedTransactions: [{ producerId: 2, firstOffset: 2 }, { producerId: 3, firstOffset: 12 }],
    isComplete: false,
  });
  // Up to 10: producer 2's abort made the LSO 10, so nothing later can start below 10.
  assert.deepEqual(collectAbortedTxns(entries, 0, 10), {
    abortedTransactions: [{ producerId: 1, firstOffset: 0 }, { producerId: 2, firstOffset: 2 }],
    isComplete: true,
  });
  assert.deepEqual(collectAbortedTxns(entries, 15, 30).abortedTransactions, []);
});

Deno.test("TransactionIndex: created by the first abort, appended, truncated, checked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-txnindex-" });
  const path = `${dir}/00000000000000000031.txnindex`;
  try {
    const index = await TransactionIndex.open(path, 31);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
    assert.deepEqual(index.collectAbortedTxns(0, 100), {
      abortedTransactions: [],
      isComplete: false,
    });
    await index.append(APACHE_ENTRY);
    await index.flush();
    assert.deepEqual(Deno.readFileSync(path), Deno.readFileSync(APACHE_TXNINDEX));
    await assert.rejects(
      index.append({ ...APACHE_ENTRY, lastOffset: 35 }),
      /must increase sequentially, but 35 is not greater than current last offset 35/,
    );
    await index.append({ producerId: 3, firstOffset: 36, lastOffset: 40, lastStableOffset: 41 });
    index.close();

    const again = await TransactionIndex.open(path, 31);
    assert.equal(again.allAbortedTxns().length, 2);
    again.sanityCheck();
    await again.truncateTo(38); // the second abort's marker (40) is cut off
    assert.equal(Deno.statSync(path).size, 34);
    assert.deepEqual(again.allAbortedTxns(), [APACHE_ENTRY]);
    // A segment based above an entry's end: the index belongs elsewhere.
    const wrongBase = await TransactionIndex.open(path, 36);
    assert.throws(() => wrongBase.sanityCheck(), /is less than start offset 36/);
    wrongBase.close();
    const torn0 = Deno.readFileSync(path);
    await Deno.writeFile(path, new Uint8Array([...torn0, 0]));
    const torn = await TransactionIndex.open(path, 31);
    assert.throws(() => torn.sanityCheck(), CorruptIndexError);
    again.close();
    const reopened = await TransactionIndex.open(path, 31); // a file it has not written to yet
    await reopened.truncateTo(0);
    assert.equal(Deno.statSync(path).size, 0);
    await reopened.append(APACHE_ENTRY);
    await reopened.reset();
    assert.equal(Deno.statSync(path).size, 0);
    reopened.close();
    assert.equal(await torn.deleteIfExists(), true);
    assert.equal(await torn.deleteIfExists(), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collectAbortedTransactions walks segments until one is complete", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-txnindex-" });
  try {
    const a = await TransactionIndex.open(`${dir}/a.txnindex`, 0);
    const b = await TransactionIndex.open(`${dir}/b.txnindex`, 10);
    const c = await TransactionIndex.open(`${dir}/c.txnindex`, 20);
    await a.append({ producerId: 1, firstOffset: 3, lastOffset: 6, lastStableOffset: 7 });
    await b.append({ producerId: 2, firstOffset: 8, lastOffset: 12, lastStableOffset: 25 });
    await c.append({ producerId: 3, firstOffset: 21, lastOffset: 22, lastStableOffset: 26 });
    assert.deepEqual(collectAbortedTransactions([a, b, c], 5, 25), [
      { producerId: 1, firstOffset: 3 },
      { producerId: 2, firstOffset: 8 },
    ]);
    assert.deepEqual(collectAbortedTransactions([a, b, c], 5, 30).length, 3);
    for (const i of [a, b, c]) i.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "Apache's kafka-dump-log reads a .txnindex herd wrote",
  ignore: apacheIgnored("kafka-dump-log on herd's txnindex"),
  async fn() {
    requireApache();
    const dir = await Deno.makeTempDir({ prefix: "herd-txnindex-dump-" });
    try {
      const index = await TransactionIndex.open(`${dir}/00000000000000000031.txnindex`, 31);
      await index.append(APACHE_ENTRY);
      await index.append({
        producerId: 9_000_000_001,
        firstOffset: 36,
        lastOffset: 40,
        lastStableOffset: 41,
      });
      index.close();
      const out = await kafkaTool("kafka-run-class.sh", [
        "kafka.tools.DumpLogSegments",
        "--files",
        index.path,
      ]);
      assert.match(
        out.stdout,
        /version: 0 producerId: 2 firstOffset: 32 lastOffset: 35 lastStableOffset: 36\n/,
      );
      assert.match(
        out.stdout,
        /version: 0 producerId: 9000000001 firstOffset: 36 lastOffset: 40 lastStableOffset: 41\n/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
