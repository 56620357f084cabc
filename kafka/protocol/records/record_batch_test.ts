import assert from "node:assert/strict";
import type { Compression } from "./attributes.ts";
import { buildRecordBatch, type RecordInput } from "./batch_builder.ts";
import { BatchField, lastOffset, lastSequence, readBatchHeader } from "./batch_header.ts";
import {
  setBaseOffset,
  setLastOffset,
  setMaxTimestamp,
  setPartitionLeaderEpoch,
} from "./batch_patch.ts";
import { RecordsError, RecordsErrorCode } from "./errors.ts";
import { RecordBatch } from "./record_batch.ts";
import { RecordCursor } from "./record.ts";
import { crc32c } from "./crc32c.ts";

const enc = new TextEncoder();
const records: RecordInput[] = [
  { timestamp: 1_700_000_000_000, key: enc.encode("k0"), value: enc.encode("hello") },
  { timestamp: 1_700_000_000_005, key: null, value: enc.encode("x".repeat(70_000)) },
  {
    timestamp: 1_699_999_999_000, // earlier than the first: a negative delta
    key: new Uint8Array(0),
    value: null,
    headers: [{ key: "h1", value: enc.encode("v1") }, { key: "ünï", value: null }],
  },
];

Deno.test("batch: every codec round trips keys, values, nulls, headers and timestamps", () => {
  for (const compression of [0, 1, 2, 3, 4] as Compression[]) {
    const bytes = buildRecordBatch({
      records,
      compression,
      baseOffset: 1000,
      producerId: 77,
      producerEpoch: 3,
      baseSequence: 10,
      isTransactional: true,
    });
    const batch = new RecordBatch(bytes);
    assert.ok(batch.isValid());
    const h = batch.header;
    assert.equal(batch.compression, compression);
    assert.equal(h.magic, 2);
    assert.equal(h.batchLength + 12, bytes.length);
    assert.equal(h.recordsCount, 3);
    assert.equal(lastOffset(h), 1002);
    assert.equal(lastSequence(h), 12);
    assert.equal(h.baseTimestamp, 1_700_000_000_000);
    assert.equal(h.maxTimestamp, 1_700_000_000_005);
    assert.equal(h.attributes, compression | 0x10);
    const got = batch.records();
    assert.deepEqual(got.map((r) => r.offset), [1000, 1001, 1002]);
    assert.deepEqual(got.map((r) => r.timestamp), records.map((r) => r.timestamp));
    assert.deepEqual(got[0].key, records[0].key);
    assert.equal(got[1].key, null);
    assert.deepEqual(got[1].value, records[1].value);
    assert.deepEqual(got[2].key, new Uint8Array(0));
    assert.equal(got[2].value, null);
    assert.deepEqual(got[2].headers, records[2].headers);
  }
});

Deno.test("batch: the CRC covers attributes to the end and nothing before", () => {
  const bytes = buildRecordBatch({ records });
  const view = new DataView(bytes.buffer);
  assert.equal(view.getUint32(BatchField.CRC), crc32c(bytes, BatchField.ATTRIBUTES));
  for (const i of [21, 30, 61, 100, bytes.length - 1]) {
    const bad = bytes.slice();
    bad[i] ^= 0x01;
    assert.equal(new RecordBatch(bad).isValid(), false, `byte ${i}`);
    assert.throws(
      () => new RecordBatch(bad).ensureValid(),
      (e) => e instanceof RecordsError && e.code === 2,
    );
  }
  const moved = bytes.slice();
  moved[3] ^= 0x10; // baseOffset
  moved[14] ^= 0x10; // partitionLeaderEpoch
  assert.ok(new RecordBatch(moved).isValid());
});

Deno.test("batch patch: offsets and leader epoch in place; max timestamp recomputes the CRC", () => {
  for (const compression of [0, 3] as Compression[]) {
    const bytes = buildRecordBatch({ records, compression });
    const section = bytes.slice(61);
    const crc = new RecordBatch(bytes).header.crc;
    setBaseOffset(bytes, 2 ** 40 + 5);
    setPartitionLeaderEpoch(bytes, 9);
    let b = new RecordBatch(bytes);
    assert.equal(b.header.crc, crc);
    assert.ok(b.isValid());
    assert.equal(b.header.baseOffset, 2 ** 40 + 5);
    assert.equal(b.header.partitionLeaderEpoch, 9);
    setLastOffset(bytes, 500);
    assert.equal(new RecordBatch(bytes).header.baseOffset, 498);
    assert.equal(setMaxTimestamp(bytes, "CreateTime", 1_700_000_000_005), false);
    assert.equal(setMaxTimestamp(bytes, "LogAppendTime", 1_800_000_000_000), true);
    b = new RecordBatch(bytes);
    assert.ok(b.isValid());
    assert.notEqual(b.header.crc, crc);
    assert.equal(b.header.attributes, compression | 0x08);
    assert.deepEqual(bytes.slice(61), section, "records are not re-encoded");
    // LogAppendTime: every record reads the batch's max timestamp.
    assert.deepEqual(b.records().map((r) => r.timestamp), [1.8e12, 1.8e12, 1.8e12]);
    setMaxTimestamp(bytes, "CreateTime", 1_700_000_000_005);
    assert.equal(new RecordBatch(bytes).header.crc, crc);
  }
});

Deno.test("batch: LogAppendTime and delete-horizon batches as a broker or cleaner writes them", () => {
  const lat = new RecordBatch(
    buildRecordBatch({ records, timestampType: "LogAppendTime", logAppendTime: 5e12 }),
  );
  assert.equal(lat.header.baseTimestamp, 5e12);
  assert.equal(lat.header.maxTimestamp, 5e12);
  const dh = new RecordBatch(buildRecordBatch({ records, deleteHorizon: 1_700_000_100_000 }));
  assert.equal(dh.header.attributes & 0x40, 0x40);
  assert.equal(dh.header.baseTimestamp, 1_700_000_100_000);
  assert.deepEqual(dh.records().map((r) => r.timestamp), records.map((r) => r.timestamp));
});

Deno.test("batch header: fields at Kafka's positions", () => {
  const bytes = buildRecordBatch({
    records: [records[0]],
    baseOffset: 0x0102030405,
    partitionLeaderEpoch: 7,
    producerId: -1,
  });
  const view = new DataView(bytes.buffer);
  const h = readBatchHeader(view, 0);
  assert.equal(view.getInt32(4), 0x02030405);
  assert.equal(view.getInt32(12), 7);
  assert.equal(bytes[16], 2);
  assert.equal(view.getInt32(57), 1);
  assert.equal(h.producerId, -1);
  assert.equal(h.producerEpoch, -1);
  assert.equal(h.baseSequence, -1);
  assert.equal(h.lastOffsetDelta, 0);
});

Deno.test("records: structure errors are INVALID_RECORD with Apache's messages", () => {
  const bytes = buildRecordBatch({ records: [records[0]] });
  const section = bytes.slice(61);
  const walk = (b: Uint8Array, count: number) => {
    const c = new RecordCursor(b, 0, b.length, count);
    while (c.next()) { /* walk */ }
  };
  const is87 = (re: RegExp) => (e: unknown) =>
    e instanceof RecordsError && e.code === RecordsErrorCode.INVALID_RECORD && re.test(e.message);
  assert.throws(() => walk(section, 2), is87(/invalid record structure/));
  assert.throws(
    () => walk(new Uint8Array([...section, ...section]), 1),
    is87(/Incorrect declared batch size, records still remaining/),
  );
  const long = section.slice();
  long[0] += 2; // body length larger than what is there
  assert.throws(() => walk(long, 1), is87(/Invalid record size: expected/));
  const short = new Uint8Array([...section, 0, 0]);
  short[0] += 4; // body claims 2 more bytes than its fields use
  assert.throws(
    () => walk(short, 1),
    is87(/expected to read \d+ bytes in record payload, but instead read/),
  );
  const headers = buildRecordBatch({
    records: [{ ...records[0], headers: [{ key: "a", value: null }] }],
  }).slice(61);
  headers[headers.length - 3] = 0x03; // header key length -2
  assert.throws(() => walk(headers, 1), is87(/Invalid negative header key size -2/));
  const count = section.slice();
  count[count.length - 1] = 0x01; // header count -1
  assert.throws(() => walk(count, 1), is87(/invalid number of record headers -1/));
});
