/**
 * Batches real clients produced to Apache Kafka 2.8.2, as the broker stored them (testdata/,
 * made by testdata/capture.sh): herd reads every one, checks every CRC and record, and takes
 * each through its produce path again.
 */
import assert from "node:assert/strict";
import { decodeEndTxnMarker } from "./control.ts";
import { scanEntries } from "./entries.ts";
import { isLegacyMessageValid, legacyDeepMessages } from "./legacy.ts";
import { RecordBatch } from "./record_batch.ts";
import { setBaseOffset, setPartitionLeaderEpoch } from "./batch_patch.ts";
import { validateAndAssignOffsets } from "./validate.ts";

const DIR = new URL("./testdata/", import.meta.url);
const dec = new TextDecoder();
const text = (b: Uint8Array | null) => b === null ? null : dec.decode(b);

/** capture.py's long value, cut to 300 bytes for the uncompressed topics. */
const BIG = Array.from(
  { length: 1700 },
  (_, i) => `record ${String(i).padStart(5, "0")} of a long compressible value; `,
).join("");

interface Row {
  key: string | null;
  value: string | null;
  timestamp?: number;
  headers?: [string, string | null][];
}

/** What each client sent, per fixture family (capture.py, capture.sh). */
function expected(name: string): Row[] {
  if (name.startsWith("kp-")) {
    const magic = Number(name[4]);
    const big = name.includes("-none") ? BIG.slice(0, 300) : BIG;
    const ts = (t: number) => magic === 0 ? -1 : t;
    return [
      { key: "k0", value: "hello", timestamp: ts(1_700_000_000_000) },
      { key: null, value: big, timestamp: ts(1_700_000_000_005) },
      {
        key: "k2",
        value: null,
        timestamp: ts(1_700_000_000_003),
        headers: magic === 2 ? [["h1", "v1"], ["h2", ""]] : [],
      },
      { key: "k3", value: "second batch", timestamp: ts(1_700_000_000_010) },
    ];
  }
  if (name.startsWith("kcat-")) {
    const h: [string, string][] = [["h1", "v1"]];
    return [
      { key: "k1", value: "kcat one", headers: h },
      { key: "", value: `kcat two ${"abc".repeat(40)}`, headers: h },
      { key: "k3", value: "xyz".repeat(2000), headers: h },
    ];
  }
  if (name.startsWith("java-")) {
    return [{ key: "k1", value: "java one" }, { key: "k2", value: `java two ${"abc".repeat(40)}` }];
  }
  return [
    { key: "t1", value: "committed one" },
    { key: "t2", value: "committed two" },
    { key: "<COMMIT>", value: null },
    { key: "t3", value: "aborted" },
    { key: "<ABORT>", value: null },
  ];
}

function fixtures(): string[] {
  return [...Deno.readDirSync(DIR)].map((e) => e.name).filter((n) => n.endsWith(".bin")).sort();
}

/** Decodes a fixture into rows, asserting every CRC. */
function decode(bytes: Uint8Array): Row[] {
  const scan = scanEntries(bytes);
  assert.equal(scan.validBytes, bytes.length);
  const rows: Row[] = [];
  for (const e of scan.entries) {
    const entry = bytes.subarray(e.position, e.position + e.sizeInBytes);
    if (e.magic < 2) {
      assert.ok(isLegacyMessageValid(entry, 0));
      for (const m of legacyDeepMessages(entry, 0)) {
        rows.push({ key: text(m.key), value: text(m.value), timestamp: m.timestamp, headers: [] });
      }
      continue;
    }
    const batch = new RecordBatch(entry);
    assert.ok(batch.isValid(), "CRC-32C");
    for (const r of batch.records()) {
      if (batch.header.attributes & 0x20) {
        rows.push({ key: `<${decodeEndTxnMarker(r.key, r.value).type}>`, value: null });
        continue;
      }
      rows.push({
        key: text(r.key),
        value: text(r.value),
        timestamp: r.timestamp,
        headers: r.headers.map((h) => [h.key, text(h.value)]),
      });
    }
  }
  return rows;
}

Deno.test("fixtures: the capture produced every client × format × codec", () => {
  const names = fixtures();
  for (const codec of ["none", "gzip", "snappy", "lz4", "zstd"]) {
    assert.ok(names.includes(`kp-v2-${codec}.bin`));
    assert.ok(names.includes(`kcat-v2-${codec}.bin`));
    if (codec !== "zstd") {
      for (const m of [0, 1]) assert.ok(names.includes(`kp-v${m}-${codec}.bin`));
    }
    if (codec !== "none") assert.ok(names.includes(`java-v2-${codec}.bin`));
  }
});

Deno.test("fixtures: herd decodes what Apache stored, CRCs and records", () => {
  for (const name of fixtures()) {
    const rows = decode(Deno.readFileSync(new URL(name, DIR)));
    const want = expected(name);
    assert.equal(rows.length, want.length, name);
    rows.forEach((row, i) => {
      const w = want[i];
      assert.equal(row.key, w.key, `${name} #${i} key`);
      assert.equal(row.value, w.value, `${name} #${i} value`);
      if (w.headers) assert.deepEqual(row.headers, w.headers, `${name} #${i} headers`);
      if (w.timestamp !== undefined && !name.includes("logappendtime")) {
        assert.equal(row.timestamp, w.timestamp, `${name} #${i} timestamp`);
      }
    });
  }
});

Deno.test("fixtures: Apache's LogAppendTime batches carry the broker's time for every record", () => {
  for (const name of ["kp-v2-gzip-logappendtime.bin", "kp-v2-none-logappendtime.bin"]) {
    const bytes = Deno.readFileSync(new URL(name, DIR));
    const first = new RecordBatch(bytes.subarray(0, scanEntries(bytes).entries[0].sizeInBytes));
    assert.equal(first.header.attributes & 0x08, 0x08, name);
    const stamps = new Set(first.records().map((r) => r.timestamp));
    assert.deepEqual([...stamps], [first.header.maxTimestamp]);
    assert.ok(first.header.maxTimestamp > 1_700_000_000_010);
  }
});

Deno.test("fixtures: each client batch goes through herd's produce path in place", () => {
  // Not the LogAppendTime topics: Apache set their timestamp-type bit, which no client may send.
  const clientBatches = fixtures().filter((n) =>
    (n.includes("-v2-") || n.startsWith("txn")) && !n.includes("logappendtime")
  );
  for (const name of clientBatches) {
    const bytes = Deno.readFileSync(new URL(name, DIR));
    let next = 1000;
    for (const e of scanEntries(bytes).entries) {
      const batch = bytes.slice(e.position, e.position + e.sizeInBytes);
      const control = (batch[22] & 0x20) !== 0;
      // Back to what the client sent: base offset 0, no leader epoch.
      setBaseOffset(batch, 0);
      setPartitionLeaderEpoch(batch, -1);
      const section = batch.slice(61);
      const v = validateAndAssignOffsets(batch, {
        nextOffset: next,
        now: Date.now(),
        timestampType: "CreateTime",
        partitionLeaderEpoch: 3,
        origin: control ? "coordinator" : "client",
      });
      assert.equal(v.inPlace, true, name);
      assert.deepEqual(v.records.slice(61), section, `${name}: records untouched`);
      assert.equal(v.firstOffset, next);
      const got = new RecordBatch(v.records);
      assert.ok(got.isValid());
      assert.equal(got.header.partitionLeaderEpoch, 3);
      next = v.lastOffset + 1;
    }
    assert.equal(next - 1000, expected(name).length, name);
  }
});

Deno.test("fixtures: magic 0/1 sets from kafka-python and Apache convert to v2 with the same records", () => {
  for (const name of fixtures().filter((n) => /-v[01]-/.test(n))) {
    const bytes = Deno.readFileSync(new URL(name, DIR));
    const want = decode(bytes);
    let next = 0;
    const rows: Row[] = [];
    for (const e of scanEntries(bytes).entries) {
      const entry = bytes.slice(e.position, e.position + e.sizeInBytes);
      // As a client sends it: offsets from 0 (v1 wrappers: the last inner's relative offset).
      const v = validateAndAssignOffsets(entry, {
        nextOffset: next,
        now: Date.now(),
        timestampType: "CreateTime",
        partitionLeaderEpoch: 0,
      });
      assert.equal(v.inPlace, false);
      rows.push(...decode(v.records));
      next = v.lastOffset + 1;
    }
    assert.deepEqual(
      rows.map((r) => [r.key, r.value, r.timestamp]),
      want.map((r) => [r.key, r.value, r.timestamp]),
      name,
    );
  }
});
