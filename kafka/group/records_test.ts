import assert from "node:assert/strict";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { KafkaProtocolError } from "../protocol/errors.ts";
import {
  buildOffsetsTopicBatch,
  decodeOffsetsTopicRecord,
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
  type OffsetsTopicRecord,
} from "./records.ts";

const SEGMENT = new URL("./testdata/apache-2.8.2/__consumer_offsets-0.log", import.meta.url);

function reencode(rec: OffsetsTopicRecord): { key: Uint8Array; value: Uint8Array | null } {
  if (rec.type === "offset") {
    return {
      key: offsetCommitKey(rec.group, rec.topic, rec.partition),
      value: rec.value === null ? null : offsetCommitValue(rec.value),
    };
  }
  return {
    key: groupMetadataKey(rec.group),
    value: rec.value === null ? null : groupMetadataValue(rec.value),
  };
}

Deno.test("records: every batch Apache 2.8.2 wrote is rebuilt byte for byte", () => {
  const bytes = Deno.readFileSync(SEGMENT);
  const scan = scanEntries(bytes);
  assert.equal(scan.validBytes, bytes.length);
  assert.equal(scan.entries.length, 18);
  const decoded: OffsetsTopicRecord[] = [];
  for (const e of scan.entries) {
    const apache = bytes.subarray(e.position, e.position + e.sizeInBytes);
    const batch = new RecordBatch(apache);
    assert.ok(batch.isValid());
    const records = batch.records();
    const entries = records.map((r) => {
      const rec = decodeOffsetsTopicRecord(r.key!, r.value);
      decoded.push(rec);
      const again = reencode(rec);
      assert.deepEqual(again.key, r.key);
      assert.deepEqual(again.value, r.value);
      return again;
    });
    const offsetCommit = decoded.at(-1)!.type === "offset" && decoded.at(-1)!.value !== null;
    const ours = buildOffsetsTopicBatch(entries, records[0].timestamp, offsetCommit);
    // Base offset and partition leader epoch are the log's to assign (outside the CRC).
    assert.deepEqual(ours.subarray(16), apache.subarray(16));
  }
  assert.equal(decoded.length, 26);
  // The first rebalance's group record (generation 1, one member, assignment stored).
  const g1 = decoded[0];
  assert.ok(g1.type === "group" && g1.value !== null);
  assert.equal(g1.group, "my.group");
  assert.equal(g1.value.protocolType, "consumer");
  assert.equal(g1.value.generation, 1);
  assert.equal(g1.value.protocol, "range");
  assert.equal(g1.value.members.length, 1);
  assert.match(g1.value.members[0].memberId, /^member-a-[0-9a-f-]{36}$/);
  assert.equal(g1.value.leader, g1.value.members[0].memberId);
  assert.equal(g1.value.members[0].clientId, "member-a");
  assert.equal(g1.value.members[0].clientHost, "/127.0.0.1");
  assert.equal(g1.value.members[0].groupInstanceId, null);
  assert.equal(g1.value.members[0].sessionTimeoutMs, 10000);
  assert.equal(g1.value.members[0].rebalanceTimeoutMs, 300000);
  // Offsets: value v3, leader epoch unknown (kafka-python 2.0.2 commits with v2).
  const o1 = decoded[1];
  assert.ok(o1.type === "offset" && o1.value !== null);
  assert.deepEqual([o1.topic, o1.partition, o1.value.offset], ["my.topic", 0, 5]);
  assert.equal(o1.value.leaderEpoch, -1);
  assert.equal(o1.value.expireTimestamp, null);
  // The group going Empty: generation bumped, no protocol, leader or members.
  const empty = decoded[17];
  assert.ok(empty.type === "group" && empty.value !== null);
  assert.deepEqual(
    [empty.value.generation, empty.value.protocol, empty.value.leader, empty.value.members],
    [4, null, null, []],
  );
  // OffsetDelete's tombstone, then DeleteGroups': offsets first, the group last.
  const tail = decoded.slice(-4).map((r) =>
    `${r.type}:${r.group}${r.type === "offset" ? `:${r.partition}` : ""}:${r.value}`
  );
  assert.deepEqual(tail, [
    "offset:my.group:1:null",
    "offset:console.group:1:null",
    "offset:console.group:0:null",
    "group:console.group:null",
  ]);
});

Deno.test("records: a commit with a retention time is written as value v1", () => {
  const v = offsetCommitValue({
    offset: 7,
    leaderEpoch: 3,
    metadata: "m",
    commitTimestamp: 1000,
    expireTimestamp: 61000,
  });
  assert.equal(v[1], 1);
  assert.equal(v.length, 2 + 8 + 3 + 8 + 8);
  const rec = decodeOffsetsTopicRecord(offsetCommitKey("g", "t", 2), v);
  assert.ok(rec.type === "offset");
  assert.deepEqual(rec.value, {
    offset: 7,
    leaderEpoch: -1,
    metadata: "m",
    commitTimestamp: 1000,
    expireTimestamp: 61000,
  });
});

Deno.test("records: older versions are read, unknown ones refused", () => {
  // Offset value v0: offset, metadata, timestamp; key v0 has v1's layout.
  const v0 = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42]);
  const key0 = offsetCommitKey("g", "t", 0);
  key0[1] = 0;
  const rec = decodeOffsetsTopicRecord(key0, v0);
  assert.ok(rec.type === "offset" && rec.value !== null);
  assert.equal(rec.value.offset, 9);
  assert.equal(rec.value.commitTimestamp, 42);
  const bad = offsetCommitKey("g", "t", 0);
  bad[1] = 3;
  assert.throws(() => decodeOffsetsTopicRecord(bad, null), KafkaProtocolError);
  const v4 = new Uint8Array(v0);
  v4[1] = 4;
  assert.throws(() => decodeOffsetsTopicRecord(key0, v4), /Unknown offset message version 4/);
});
