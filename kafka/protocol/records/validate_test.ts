import assert from "node:assert/strict";
import { Compression } from "./attributes.ts";
import { buildRecordBatch, type RecordBatchOptions, type RecordInput } from "./batch_builder.ts";
import { setBaseOffset } from "./batch_patch.ts";
import { RecordsError, RecordsErrorCode } from "./errors.ts";
import { buildLegacyMessageSet } from "./legacy.ts";
import { RecordBatch } from "./record_batch.ts";
import { type ProduceValidationOptions, validateAndAssignOffsets } from "./validate.ts";

const enc = new TextEncoder();
const NOW = 1_800_000_000_000;
const recs = (n: number, ts = NOW - 10): RecordInput[] =>
  Array.from(
    { length: n },
    (_, i) => ({ timestamp: ts + i, key: enc.encode(`k${i}`), value: enc.encode(`value ${i}`) }),
  );
const opts = (o: Partial<ProduceValidationOptions> = {}): ProduceValidationOptions => ({
  nextOffset: 100,
  now: NOW,
  timestampType: "CreateTime",
  partitionLeaderEpoch: 4,
  topicPartition: "t-0",
  ...o,
});
const batch = (o: Partial<RecordBatchOptions> = {}) => buildRecordBatch({ records: recs(3), ...o });

function rejects(
  bytes: Uint8Array,
  code: number,
  re: RegExp,
  o: Partial<ProduceValidationOptions> = {},
) {
  assert.throws(
    () => validateAndAssignOffsets(bytes, opts(o)),
    (e) => e instanceof RecordsError && e.code === code && re.test(e.message),
  );
}

Deno.test("validate: an uncompressed v2 batch gets offsets and epoch in place, CRC untouched", () => {
  const bytes = batch();
  const crc = new RecordBatch(bytes).header.crc;
  const v = validateAndAssignOffsets(bytes, opts());
  assert.equal(v.records, bytes);
  assert.equal(v.inPlace, true);
  assert.deepEqual([v.firstOffset, v.lastOffset, v.recordCount], [100, 102, 3]);
  assert.deepEqual([v.maxTimestamp, v.offsetOfMaxTimestamp], [NOW - 8, 102]);
  const b = new RecordBatch(bytes);
  assert.deepEqual([b.header.baseOffset, b.header.partitionLeaderEpoch, b.header.crc], [
    100,
    4,
    crc,
  ]);
  assert.deepEqual(v.batches.map((x) => [x.baseOffset, x.lastOffset, x.recordCount]), [[
    100,
    102,
    3,
  ]]);
});

Deno.test("validate: a compressed v2 batch is patched without re-encoding its records", () => {
  for (const compression of [1, 2, 3, 4] as Compression[]) {
    const bytes = batch({ compression, producerId: 5, producerEpoch: 1, baseSequence: 0 });
    const section = bytes.slice(61);
    const v = validateAndAssignOffsets(bytes, opts({ timestampType: "LogAppendTime" }));
    assert.equal(v.inPlace, true);
    assert.deepEqual(v.records.slice(61), section);
    const b = new RecordBatch(v.records);
    assert.ok(b.isValid());
    assert.equal(b.header.attributes, compression | 0x08);
    assert.deepEqual(b.records().map((r) => [r.offset, r.timestamp]), [[100, NOW], [101, NOW], [
      102,
      NOW,
    ]]);
    assert.deepEqual([v.batches[0].producerId, v.batches[0].baseSequence], [5, 0]);
  }
});

Deno.test("validate: the topic's compression.type re-encodes, keeping producer fields", () => {
  const bytes = batch({
    compression: Compression.SNAPPY,
    producerId: 8,
    producerEpoch: 2,
    baseSequence: 40,
  });
  const v = validateAndAssignOffsets(bytes, opts({ targetCompression: Compression.ZSTD }));
  assert.equal(v.inPlace, false);
  const b = new RecordBatch(v.records);
  assert.deepEqual([
    b.compression,
    b.header.producerId,
    b.header.producerEpoch,
    b.header.baseSequence,
  ], [4, 8, 2, 40]);
  assert.deepEqual(b.records().map((r) => r.offset), [100, 101, 102]);
  const plain = validateAndAssignOffsets(
    batch({ compression: Compression.GZIP }),
    opts({ targetCompression: 0 }),
  );
  assert.equal(new RecordBatch(plain.records).compression, 0);
});

Deno.test("validate: non-contiguous inner offsets are re-encoded, as Apache does for old clients", () => {
  const r = recs(3).map((x, i) => ({ ...x, offsetDelta: i * 2 }));
  const bytes = buildRecordBatch({ records: r, compression: Compression.GZIP });
  // Header count (3) must still agree with lastOffsetDelta (4) for a client: make it consistent.
  rejects(bytes, 87, /Inconsistent batch offset range \[0, 4\] and count of records 3/);
  const v = validateAndAssignOffsets(bytes, opts({ origin: "replication" }));
  assert.equal(v.inPlace, false);
  assert.deepEqual(new RecordBatch(v.records).records().map((x) => x.offset), [100, 101, 102]);
});

Deno.test("validate: magic 0 and 1 sets are converted to one v2 batch", () => {
  for (const magic of [0, 1] as const) {
    for (const compression of [0, 1, 2, 3] as Compression[]) {
      const set = buildLegacyMessageSet({ magic, compression, records: recs(3) });
      const v = validateAndAssignOffsets(set, opts());
      assert.equal(v.inPlace, false);
      const b = new RecordBatch(v.records);
      assert.ok(b.isValid());
      assert.equal(b.compression, compression);
      const got = b.records();
      assert.deepEqual(got.map((x) => x.offset), [100, 101, 102]);
      assert.deepEqual(
        got.map((x) => x.timestamp),
        magic === 0 ? [-1, -1, -1] : [NOW - 10, NOW - 9, NOW - 8],
      );
      assert.deepEqual(got.map((x) => new TextDecoder().decode(x.value!)), [
        "value 0",
        "value 1",
        "value 2",
      ]);
    }
  }
});

Deno.test("validate: batch-level rejections carry Apache's codes", () => {
  const bad = batch();
  bad[70] ^= 1;
  rejects(
    bad,
    RecordsErrorCode.CORRUPT_MESSAGE,
    /Record is corrupt \(stored crc = \d+\) in topic partition t-0/,
  );
  const moved = batch();
  setBaseOffset(moved, 5);
  rejects(
    moved,
    87,
    /baseOffset of the record batch in the append to t-0 should be 0, but it is 5/,
  );
  rejects(
    batch(),
    RecordsErrorCode.MESSAGE_TOO_LARGE,
    /exceeds the maximum configured value of 50/,
    { maxMessageBytes: 50 },
  );
  rejects(batch({ isControl: true }), 87, /Clients are not allowed to write control records/);
  rejects(
    batch({ producerId: 3, baseSequence: -1 }),
    87,
    /Invalid sequence number -1 in record batch with producerId 3/,
  );
  const two = new Uint8Array([...batch({ compression: 1 }), ...batch({ compression: 1 })]);
  rejects(two, 87, /Compressed outer record has more than one batch/);
  const magic = batch();
  magic[16] = 3;
  rejects(magic, 2, /Invalid magic found in record: 3/);
  const size = batch();
  new DataView(size.buffer).setInt32(8, 10);
  rejects(size, 2, /Record size 10 is less than the minimum record overhead \(14\)/);
  const codec = batch();
  codec[22] |= 7;
  new DataView(codec.buffer).setUint32(17, new RecordBatch(codec).computeChecksum());
  rejects(codec, RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE, /Unknown compression type id: 7/);
});

Deno.test("validate: count in the header must match the records (both codecs paths)", () => {
  for (const compression of [0, 3] as Compression[]) {
    const bytes = batch({ compression });
    const view = new DataView(bytes.buffer);
    view.setInt32(57, 2); // says 2, holds 3
    view.setInt32(23, 1);
    view.setUint32(17, new RecordBatch(bytes).computeChecksum());
    rejects(bytes, 87, /Incorrect declared batch size/);
  }
});

Deno.test("validate: record rules fail the append with per-record errors", () => {
  const keyless = buildRecordBatch({
    records: [...recs(2), { timestamp: NOW, key: null, value: null }],
  });
  assert.throws(
    () => validateAndAssignOffsets(keyless, opts({ compacted: true })),
    (e) =>
      e instanceof RecordsError && e.code === 87 &&
      e.message === "One or more records have been rejected" &&
      e.recordErrors.length === 1 && e.recordErrors[0].batchIndex === 2 &&
      /Compacted topic cannot accept message without key/.test(e.recordErrors[0].message),
  );
  const old = batch({ records: recs(2, NOW - 3_600_001) });
  assert.throws(
    () => validateAndAssignOffsets(old, opts({ timestampDiffMaxMs: 3_600_000 })),
    (e) =>
      e instanceof RecordsError && e.code === RecordsErrorCode.INVALID_TIMESTAMP &&
      e.recordErrors.length === 1 &&
      /Timestamp \d+ of message with offset 0 is out of range/.test(e.recordErrors[0].message),
  );
  const lat = batch({ timestampType: "LogAppendTime", logAppendTime: NOW });
  rejects(lat, 32, /rejected due to invalid timestamp/);
  // The untouched batch is still appendable after a rejection of another.
  assert.equal(validateAndAssignOffsets(batch(), opts()).lastOffset, 102);
});

Deno.test("validate: a torn tail is left out, an empty request appends nothing", () => {
  const one = batch();
  const torn = new Uint8Array(one.length + 30);
  torn.set(one);
  torn.set(one.subarray(0, 30), one.length);
  const v = validateAndAssignOffsets(torn, opts());
  assert.equal(v.records.length, one.length);
  assert.equal(v.recordCount, 3);
  const none = validateAndAssignOffsets(new Uint8Array(0), opts());
  assert.deepEqual([none.recordCount, none.lastOffset, none.batches.length], [0, 99, 0]);
});

Deno.test("validate: several uncompressed v2 batches from a follower keep their own shape", () => {
  const a = batch();
  const b = batch({ records: recs(2) });
  setBaseOffset(b, 3);
  const v = validateAndAssignOffsets(new Uint8Array([...a, ...b]), opts({ origin: "replication" }));
  assert.deepEqual(v.batches.map((x) => [x.baseOffset, x.lastOffset]), [[100, 102], [103, 104]]);
});

Deno.test("validate: a payload that does not decompress is UNKNOWN_SERVER_ERROR, as in Apache", () => {
  for (const compression of [1, 2, 3, 4] as Compression[]) {
    const bytes = batch({ compression });
    // LZ4: a wrong frame header checksum (Apache's case); zstd: a wrong frame magic (garbled
    // zstd data without a content checksum may decode to garbage); the others: garbled streams.
    if (compression === Compression.LZ4) bytes[67] ^= 0xff;
    else if (compression === Compression.ZSTD) bytes[61] ^= 0xff;
    else for (let i = 80; i < bytes.length - 8; i++) bytes[i] ^= 0x5a;
    new DataView(bytes.buffer).setUint32(17, new RecordBatch(bytes).computeChecksum());
    rejects(bytes, RecordsErrorCode.UNKNOWN_SERVER_ERROR, /Failed to decompress/);
  }
});
