import assert from "node:assert/strict";
import { Compression } from "./attributes.ts";
import { buildRecordBatch } from "./batch_builder.ts";
import { buildEndTxnMarkerBatch } from "./control.ts";
import { downConvert } from "./down_convert.ts";
import { scanEntries } from "./entries.ts";
import { RecordsError } from "./errors.ts";
import { isLegacyMessageValid, legacyDeepMessages } from "./legacy.ts";

const enc = new TextEncoder();
const recs = [
  { timestamp: 100, key: enc.encode("a"), value: enc.encode("one"), offsetDelta: 0 },
  { timestamp: 300, key: null, value: enc.encode("two"), offsetDelta: 2 }, // a compacted gap
  { timestamp: 200, key: enc.encode("c"), value: null, offsetDelta: 3 },
];

function deep(set: Uint8Array) {
  return scanEntries(set).entries.flatMap((e) => {
    assert.ok(isLegacyMessageValid(set, e.position));
    return legacyDeepMessages(set, e.position);
  });
}

Deno.test("down-convert: v2 batches become magic 0/1 sets with the same offsets", () => {
  for (const toMagic of [0, 1] as const) {
    for (const compression of [0, 1, 2, 3] as Compression[]) {
      const log = new Uint8Array([
        ...buildRecordBatch({ records: recs, compression, baseOffset: 10 }),
        ...buildEndTxnMarkerBatch({
          type: "COMMIT",
          coordinatorEpoch: 0,
          producerId: 1,
          producerEpoch: 0,
          timestamp: 1,
          baseOffset: 14,
        }),
        ...buildRecordBatch({ records: [recs[0]], compression, baseOffset: 15 }),
      ]);
      const got = deep(downConvert(log, toMagic));
      assert.deepEqual(got.map((m) => m.offset), [10, 12, 13, 15], `v${toMagic} c${compression}`);
      assert.deepEqual(got.map((m) => m.magic), [toMagic, toMagic, toMagic, toMagic]);
      assert.deepEqual(
        got.map((m) => m.timestamp),
        toMagic === 0 ? [-1, -1, -1, -1] : [100, 300, 200, 100],
      );
      assert.deepEqual(got.map((m) => m.value), [
        recs[0].value,
        recs[1].value,
        null,
        recs[0].value,
      ]);
    }
  }
});

Deno.test("down-convert: an uncompressed batch starts at the fetch offset; LogAppendTime kept", () => {
  const log = buildRecordBatch({
    records: recs,
    baseOffset: 10,
    timestampType: "LogAppendTime",
    logAppendTime: 777,
  });
  const got = deep(downConvert(log, 1, 12));
  assert.deepEqual(got.map((m) => [m.offset, m.timestamp, m.timestampType]), [[
    12,
    777,
    "LogAppendTime",
  ], [13, 777, "LogAppendTime"]]);
  assert.equal(downConvert(log, 1, 99).length, 0);
});

Deno.test("down-convert: zstd has no old form (UNSUPPORTED_COMPRESSION_TYPE)", () => {
  const log = buildRecordBatch({ records: recs, compression: Compression.ZSTD });
  assert.throws(() => downConvert(log, 1), (e) => e instanceof RecordsError && e.code === 76);
});

Deno.test("down-convert: magic 1 sets convert to magic 0 for the oldest readers", () => {
  for (const compression of [0, 1, 3] as Compression[]) {
    const v1 = downConvert(buildRecordBatch({ records: recs, compression, baseOffset: 10 }), 1);
    const got = deep(downConvert(v1, 0));
    assert.deepEqual(got.map((m) => [m.offset, m.magic, m.timestamp]), [[10, 0, -1], [12, 0, -1], [
      13,
      0,
      -1,
    ]]);
  }
});
