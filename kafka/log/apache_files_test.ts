/**
 * herd reads every file Apache Kafka 2.8.2 wrote in its log dir for a small topic, and writes
 * the same bytes back for the same content (testdata/apache-2.8.2, see its README.md). No JVM:
 * apache_interop_test.ts does the same against a live broker and then the reverse.
 */
import assert from "node:assert/strict";
import { scanSegment } from "./segment_recovery.ts";
import { crcValidator } from "./_test_batches.ts";
import { formatCheckpoint } from "./checkpoint_file.ts";
import {
  CLEANER_CHECKPOINT,
  LOG_START_OFFSET_CHECKPOINT,
  OFFSET_CHECKPOINT,
  parseOffsetCheckpoint,
  RECOVERY_POINT_CHECKPOINT,
  REPLICATION_CHECKPOINT,
} from "./offset_checkpoint.ts";
import { LEADER_EPOCH_FORMAT, parseLeaderEpochCheckpoint } from "./leader_epoch_checkpoint.ts";
import { formatMetaProperties, parseMetaProperties } from "./meta_properties.ts";
import { formatPartitionMetadata, parsePartitionMetadata } from "./partition_metadata.ts";
import { OffsetIndex } from "./offset_index.ts";
import { TimeIndex } from "./time_index.ts";
import { rebuildIndexes } from "./segment_indexer.ts";
import { parseSegmentFileName, segmentFileName } from "./segment_files.ts";

const DIR = new URL("./testdata/apache-2.8.2/", import.meta.url).pathname;
const text = (name: string) => Deno.readTextFileSync(`${DIR}${name}`);
const bytes = (name: string) => Deno.readFileSync(`${DIR}${name}`);

Deno.test("apache files: the four offset checkpoints parse and format back byte for byte", () => {
  const expected = [
    { topic: "herd-log", partition: 1, offset: 5 },
    { topic: "herd-log", partition: 0, offset: 90 },
  ];
  for (const name of [RECOVERY_POINT_CHECKPOINT, REPLICATION_CHECKPOINT]) {
    const parsed = parseOffsetCheckpoint(text(name), name);
    assert.deepEqual(parsed, expected, name);
    assert.equal(formatCheckpoint(OFFSET_CHECKPOINT, parsed), text(name), name);
  }
  // Every log starts at its first segment: Kafka writes none of them.
  const starts = parseOffsetCheckpoint(text(LOG_START_OFFSET_CHECKPOINT), "log-start");
  assert.deepEqual(starts, []);
  assert.equal(formatCheckpoint(OFFSET_CHECKPOINT, starts), "0\n0\n");
  assert.equal(text(LOG_START_OFFSET_CHECKPOINT), "0\n0\n");
  // The cleaner never ran: Kafka created the file and left it empty.
  assert.equal(bytes(CLEANER_CHECKPOINT).length, 0);
  assert.deepEqual(parseOffsetCheckpoint(text(CLEANER_CHECKPOINT), CLEANER_CHECKPOINT), []);
});

Deno.test("apache files: leader-epoch-checkpoint of each partition", () => {
  const cases: [string, { epoch: number; startOffset: number }[]][] = [
    // The reassignment at offset 50 bumped partition 0's epoch; partition 1 got its first record
    // after it.
    ["herd-log-0/leader-epoch-checkpoint", [{ epoch: 0, startOffset: 0 }, {
      epoch: 1,
      startOffset: 50,
    }]],
    ["herd-log-1/leader-epoch-checkpoint", [{ epoch: 1, startOffset: 0 }]],
  ];
  for (const [name, want] of cases) {
    const parsed = parseLeaderEpochCheckpoint(text(name), name);
    assert.deepEqual(parsed, want);
    assert.equal(formatCheckpoint(LEADER_EPOCH_FORMAT, parsed), text(name));
  }
});

Deno.test("apache files: meta.properties parses and formats back byte for byte", () => {
  const meta = parseMetaProperties(bytes("meta.properties"), "meta.properties");
  assert.equal(meta.version, 0);
  assert.equal(meta.brokerId, 1);
  assert.match(meta.clusterId ?? "", /^[A-Za-z0-9_-]{22}$/);
  assert.match(meta.written ?? "", /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$/);
  assert.equal(meta.other, undefined);
  assert.equal(formatMetaProperties(meta), text("meta.properties"));
});

Deno.test("apache files: partition.metadata of each partition", () => {
  const ids = new Set<string>();
  for (const p of [0, 1]) {
    const name = `herd-log-${p}/partition.metadata`;
    const m = parsePartitionMetadata(text(name), name);
    assert.equal(m.version, 0);
    ids.add(m.topicId);
    assert.equal(formatPartitionMetadata(m), text(name));
    assert.ok(!text(name).endsWith("\n"), "Kafka writes no newline after topic_id");
  }
  assert.equal(ids.size, 1, "both partitions carry the topic's one id");
});

/** The segments of the fixture: name, base offset. */
function segments(): { dir: string; base: number }[] {
  const out: { dir: string; base: number }[] = [];
  for (const dir of ["herd-log-0", "herd-log-1"]) {
    for (const e of Deno.readDirSync(`${DIR}${dir}`)) {
      const f = parseSegmentFileName(e.name);
      if (f?.kind === "log") out.push({ dir, base: f.offset });
    }
  }
  return out.sort((a, b) => a.dir.localeCompare(b.dir) || a.base - b.base);
}

Deno.test("apache files: segments scan clean and their indexes pass Kafka's sanity check", () => {
  const segs = segments();
  assert.deepEqual(segs.map((s) => `${s.dir}/${s.base}`), [
    "herd-log-0/0",
    "herd-log-0/60",
    "herd-log-1/0",
  ]);
  let records = 0;
  for (const { dir, base } of segs) {
    const log = bytes(`${dir}/${segmentFileName(base, "log")}`);
    const scan = scanSegment(log, base, crcValidator);
    assert.equal(scan.verdict, "clean", `${dir}/${base}: ${scan.damage?.reason}`);
    records += scan.batches.reduce((n, b) => n + b.lastOffset - b.baseOffset + 1, 0);
    const offsets = OffsetIndex.fromBytes(base, bytes(`${dir}/${segmentFileName(base, "index")}`));
    const times = TimeIndex.fromBytes(base, bytes(`${dir}/${segmentFileName(base, "timeindex")}`));
    offsets.sanityCheck();
    times.sanityCheck();
    // What dump-log checks without --index-sanity-check: each entry points at the start of the
    // batch whose last offset it names.
    for (const e of offsets.all()) {
      const b = scan.batches.find((x) => x.position === e.position);
      assert.equal(b?.lastOffset, e.offset, `${dir}/${base}: entry ${JSON.stringify(e)}`);
    }
  }
  assert.equal(records, 95, "90 records in partition 0, 5 in partition 1");
});

Deno.test("apache files: indexes rebuilt from each .log are byte-identical to Apache's", () => {
  for (const { dir, base } of segments()) {
    const log = bytes(`${dir}/${segmentFileName(base, "log")}`);
    const scan = scanSegment(log, base, crcValidator);
    const offsets = OffsetIndex.inMemory(base);
    const times = TimeIndex.inMemory(base);
    rebuildIndexes(scan.batches, offsets, times);
    const name = `${dir}/${base}`;
    assert.deepEqual(offsets.bytes(), bytes(`${dir}/${segmentFileName(base, "index")}`), name);
    assert.deepEqual(times.bytes(), bytes(`${dir}/${segmentFileName(base, "timeindex")}`), name);
  }
});

Deno.test("apache files: lookups in Apache's indexes land on batch starts", () => {
  const base = 0;
  const offsets = OffsetIndex.fromBytes(base, bytes("herd-log-0/00000000000000000000.index"));
  const times = TimeIndex.fromBytes(base, bytes("herd-log-0/00000000000000000000.timeindex"));
  assert.equal(offsets.entries, 3);
  assert.deepEqual(offsets.lookup(0), { offset: 0, position: 0 });
  const first = offsets.entry(0);
  assert.deepEqual(offsets.lookup(first.offset), first);
  assert.deepEqual(offsets.lookup(first.offset + 1), first);
  assert.deepEqual(offsets.lookup(1e9), offsets.entry(2));
  // Time entries rise, and the last is the segment's largest timestamp (written at roll).
  const all = times.all();
  for (let i = 1; i < all.length; i++) assert.ok(all[i].timestamp > all[i - 1].timestamp);
  assert.deepEqual(times.lookup(all[1].timestamp + 1), all[1]);
  assert.deepEqual(times.lookup(0), { timestamp: -1, offset: 0 });
});

Deno.test("apache files: the recovery rule on Apache's own segment", () => {
  const log = bytes("herd-log-0/00000000000000000060.log");
  const clean = scanSegment(log, 60, crcValidator);
  const ends = clean.batches.map((b) => b.position + b.size);
  // Cut anywhere: a torn tail, kept up to the last whole batch.
  for (const cut of [ends[3] + 1, ends[10] + 40, log.length - 1]) {
    const scan = scanSegment(log.subarray(0, cut), 60, crcValidator);
    assert.equal(scan.verdict, "torn-tail");
    assert.equal(scan.validBytes, ends.filter((e) => e <= cut).at(-1));
  }
  // One flipped bit in a middle batch: the batches after it are intact, so refuse.
  const flipped = log.slice();
  flipped[ends[12] + 100] ^= 0x04;
  const scan = scanSegment(flipped, 60, crcValidator);
  assert.equal(scan.verdict, "damaged");
  assert.equal(scan.validBytes, ends[12]);
  assert.equal(scan.intactAfter?.position, ends[13]);
  assert.equal(scan.intactAfter?.baseOffset, 74);
});
