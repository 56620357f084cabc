import assert from "node:assert/strict";
import { Compression } from "./attributes.ts";
import { scanEntries } from "./entries.ts";
import { RecordsError } from "./errors.ts";
import {
  buildLegacyMessageSet,
  isLegacyMessageValid,
  legacyDeepMessages,
  readLegacyMessage,
} from "./legacy.ts";

const enc = new TextEncoder();
const records = [
  { timestamp: 1000, key: enc.encode("a"), value: enc.encode("one") },
  { timestamp: 3000, key: null, value: enc.encode("two ".repeat(100)) },
  { timestamp: 2000, key: enc.encode("c"), value: null },
];

Deno.test("legacy: magic 0 and 1, every codec, round trip with absolute offsets", () => {
  for (const magic of [0, 1] as const) {
    for (const compression of [0, 1, 2, 3, 4] as Compression[]) {
      const set = buildLegacyMessageSet({ magic, compression, records, baseOffset: 50 });
      const scan = scanEntries(set);
      assert.equal(scan.validBytes, set.length);
      assert.equal(scan.entries.length, compression === 0 ? 3 : 1);
      const got = scan.entries.flatMap((e) => {
        assert.ok(isLegacyMessageValid(set, e.position));
        return legacyDeepMessages(set, e.position);
      });
      assert.deepEqual(got.map((m) => m.offset), [50, 51, 52], `v${magic} c${compression}`);
      assert.deepEqual(
        got.map((m) => m.timestamp),
        magic === 0 ? [-1, -1, -1] : [1000, 3000, 2000],
      );
      assert.deepEqual(got.map((m) => m.key), records.map((r) => r.key));
      assert.deepEqual(got.map((m) => m.value), records.map((r) => r.value));
      if (compression !== 0) {
        const wrapper = readLegacyMessage(set, 0);
        assert.equal(wrapper.offset, 52);
        assert.equal(wrapper.attributes & 7, compression);
        if (magic === 1) assert.equal(wrapper.timestamp, 3000);
      }
    }
  }
});

Deno.test("legacy: a LogAppendTime v1 wrapper's timestamp wins over the inner ones", () => {
  const set = buildLegacyMessageSet({
    magic: 1,
    compression: Compression.GZIP,
    records,
    timestampType: "LogAppendTime",
    logAppendTime: 9999,
  });
  const got = legacyDeepMessages(set, 0);
  assert.deepEqual(
    got.map((m) => [m.timestamp, m.timestampType]),
    Array(3).fill([9999, "LogAppendTime"]),
  );
});

Deno.test("legacy: bad CRCs and sizes are CORRUPT_MESSAGE", () => {
  const plain = buildLegacyMessageSet({ magic: 1, records: [records[0]] });
  const bad = plain.slice();
  bad[bad.length - 1] ^= 1;
  assert.equal(isLegacyMessageValid(bad, 0), false);
  const set = buildLegacyMessageSet({ magic: 0, compression: Compression.NONE, records });
  const inner = set.slice();
  new DataView(inner.buffer).setInt32(18, 5000); // first key length runs past the message
  assert.throws(
    () => readLegacyMessage(inner, 0),
    (e) => e instanceof RecordsError && e.code === 2,
  );
  const tiny = set.slice(0, 30);
  new DataView(tiny.buffer).setInt32(8, 13);
  assert.throws(() => readLegacyMessage(tiny, 0), /less than the minimum record overhead \(14\)/);
});
