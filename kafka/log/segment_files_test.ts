import assert from "node:assert/strict";
import {
  deleteDirName,
  futureDirName,
  offsetPrefix,
  parsePartitionDirName,
  parseSegmentFileName,
  partitionDirName,
  PartitionDirNameError,
  randomDirId,
  segmentFileName,
} from "./segment_files.ts";

Deno.test("segment files: 20-digit names for every kind and transient suffix", () => {
  assert.equal(offsetPrefix(0), "00000000000000000000");
  assert.equal(offsetPrefix(9223372036854775807n), "9223372036854775807".padStart(20, "0"));
  assert.throws(() => offsetPrefix(-1), RangeError);
  assert.equal(segmentFileName(0, "log"), "00000000000000000000.log");
  assert.equal(segmentFileName(60, "index"), "00000000000000000060.index");
  assert.equal(segmentFileName(60, "timeindex"), "00000000000000000060.timeindex");
  assert.equal(segmentFileName(90, "snapshot"), "00000000000000000090.snapshot");
  assert.equal(segmentFileName(60, "txnindex"), "00000000000000000060.txnindex");
  assert.equal(segmentFileName(60, "log", ".deleted"), "00000000000000000060.log.deleted");
  assert.equal(segmentFileName(60, "index", ".cleaned"), "00000000000000000060.index.cleaned");
  assert.equal(segmentFileName(60, "timeindex", ".swap"), "00000000000000000060.timeindex.swap");
});

Deno.test("segment files: names parse back; other files are not segments", () => {
  assert.deepEqual(parseSegmentFileName("00000000000000000060.timeindex.swap"), {
    offset: 60,
    kind: "timeindex",
    suffix: ".swap",
  });
  assert.deepEqual(parseSegmentFileName("00000000000000001234.log"), {
    offset: 1234,
    kind: "log",
    suffix: "",
  });
  for (
    const name of [
      "leader-epoch-checkpoint",
      "partition.metadata",
      "0.log",
      "00000000000000000060.log.tmp",
      "00000000000000000060.idx",
      "x0000000000000000060.log",
    ]
  ) assert.equal(parseSegmentFileName(name), undefined, name);
});

Deno.test("partition dirs: topic-partition, delete and future dirs as Kafka parses them", () => {
  assert.equal(partitionDirName({ topic: "herd-log", partition: 3 }), "herd-log-3");
  assert.deepEqual(parsePartitionDirName("herd-log-3"), {
    topic: "herd-log",
    partition: 3,
    state: "live",
  });
  // The partition is after the last dash: a topic may contain dashes and dots.
  assert.deepEqual(parsePartitionDirName("a.b-c-12"), {
    topic: "a.b-c",
    partition: 12,
    state: "live",
  });
  const id = randomDirId();
  assert.match(id, /^[0-9a-f]{32}$/);
  const del = deleteDirName({ topic: "herd-log", partition: 0 }, id);
  assert.equal(del, `herd-log-0.${id}-delete`);
  assert.deepEqual(parsePartitionDirName(del), {
    topic: "herd-log",
    partition: 0,
    state: "delete",
  });
  const fut = futureDirName({ topic: "t", partition: 1 }, id);
  assert.equal(fut, `t-1.${id}-future`);
  assert.deepEqual(parsePartitionDirName(fut), { topic: "t", partition: 1, state: "future" });
});

Deno.test("partition dirs: a long topic is cut so the delete dir name fits 255 chars", () => {
  const topic = "t".repeat(249);
  const name = deleteDirName({ topic, partition: 7 }, "0".repeat(32));
  assert.equal(name.length, 255);
  assert.ok(name.endsWith(`-7.${"0".repeat(32)}-delete`));
  assert.equal(parsePartitionDirName(name).partition, 7);
});

Deno.test("partition dirs: names that are not a partition's are refused", () => {
  for (
    const bad of [
      "",
      "herd",
      "-0",
      "herd-",
      "herd-x",
      "herd-0.x-delete.y",
      "herd-0-delete",
      "t-99999999999",
    ]
  ) {
    assert.throws(() => parsePartitionDirName(bad), PartitionDirNameError, bad);
  }
  assert.throws(
    () => parsePartitionDirName("herd-x"),
    /'herd-x' is not in the form of topic-partition or topic-partition.uniqueId-delete/,
  );
});
