import assert from "node:assert/strict";
import {
  cleanableOffsets,
  type CleanerLogSettings,
  deleteHorizonMs,
  filthiest,
  groupSegmentsBySize,
  isCleanable,
  logSegments,
  type LogStat,
  logToClean,
  maxCompactionDelay,
  type SegmentStat,
} from "./cleaner_plan.ts";

const NOW = 1_700_000_000_000;
const SETTINGS: CleanerLogSettings = {
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
  minCleanableDirtyRatio: 0.5,
  deleteRetentionMs: 86_400_000,
  segmentBytes: 1000,
  segmentIndexBytes: 10 * 1024 * 1024,
};

/** Segments at the given base offsets, each `size` bytes, timestamps an hour apart before NOW. */
function segs(bases: number[], size = 100): SegmentStat[] {
  return bases.map((b, i) => ({
    baseOffset: b,
    size,
    offsetIndexBytes: 8,
    timeIndexBytes: 12,
    largestTimestamp: NOW - (bases.length - i) * 3_600_000,
    lastModified: NOW - (bases.length - i) * 3_600_000,
    firstBatchTimestamp: NOW - (bases.length - i) * 3_600_000 - 1000,
  }));
}

function logOf(
  s: SegmentStat[],
  extra: Partial<LogStat> = {},
  c: Partial<CleanerLogSettings> = {},
): LogStat {
  return {
    segments: s,
    logStartOffset: s[0].baseOffset,
    logEndOffset: s[s.length - 1].baseOffset + 10,
    lastStableOffset: s[s.length - 1].baseOffset + 10,
    config: { ...SETTINGS, ...c },
    ...extra,
  };
}

Deno.test("plan: logSegments is Kafka's floor-to-bound view", () => {
  const s = segs([0, 10, 20, 30]);
  assert.deepEqual(logSegments(s, 15, 30).map((x) => x.baseOffset), [10, 20]);
  assert.deepEqual(logSegments(s, -1, 10).map((x) => x.baseOffset), [0]);
  assert.deepEqual(logSegments(s, 20, 20), []);
  assert.deepEqual(logSegments(s, 0, 100).map((x) => x.baseOffset), [0, 10, 20, 30]);
  assert.throws(() => logSegments(s, 5, 1), /Invalid log segment range/);
});

Deno.test("plan: the dirty section ends at the active segment, the LSO, or the compaction lag", () => {
  const s = segs([0, 10, 20, 30]);
  // No checkpoint: from the log start to the active segment.
  assert.deepEqual(cleanableOffsets(logOf(s), undefined, NOW), {
    firstDirtyOffset: 0,
    firstUncleanableDirtyOffset: 30,
    forceUpdateCheckpoint: false,
    resetReason: undefined,
  });
  // The last stable offset below the active segment bounds it.
  assert.equal(
    cleanableOffsets(logOf(s, { lastStableOffset: 15 }), 0, NOW).firstUncleanableDirtyOffset,
    15,
  );
  // min.compaction.lag.ms: segment 20's newest record is 2 h old, 10's 3 h: a 2.5 h lag stops at 20.
  const lagged = logOf(s, {}, { minCompactionLagMs: 2.5 * 3_600_000 });
  assert.equal(cleanableOffsets(lagged, 0, NOW).firstUncleanableDirtyOffset, 20);
  // Never below the first dirty offset.
  assert.equal(
    cleanableOffsets(logOf(s, { lastStableOffset: 5 }), 12, NOW).firstUncleanableDirtyOffset,
    12,
  );
});

Deno.test("plan: a checkpoint below the log start or past the end is reset and rewritten", () => {
  const s = segs([10, 20, 30]);
  const below = cleanableOffsets(logOf(s, { logStartOffset: 12 }), 5, NOW);
  assert.equal(below.firstDirtyOffset, 12);
  assert.equal(below.forceUpdateCheckpoint, true);
  const past = cleanableOffsets(logOf(s, { logStartOffset: 12 }), 99, NOW);
  assert.equal(past.firstDirtyOffset, 12);
  assert.equal(past.forceUpdateCheckpoint, true);
  assert.match(past.resetReason!, /larger than the log end offset 40/);
  assert.equal(cleanableOffsets(logOf(s), 20, NOW).forceUpdateCheckpoint, false);
});

Deno.test("plan: dirty ratio over whole segments, strictly above min.cleanable.dirty.ratio", () => {
  const s = segs([0, 10, 20, 30]);
  const log = logOf(s);
  // Clean [0, 20), dirty [20, 30): 100 of 300 bytes.
  const ltc = logToClean(log, cleanableOffsets(log, 20, NOW), NOW);
  assert.equal(ltc.cleanBytes, 200);
  assert.equal(ltc.cleanableBytes, 100);
  assert.equal(ltc.firstUncleanableOffset, 30);
  assert.equal(ltc.cleanableRatio, 1 / 3);
  assert.equal(isCleanable(ltc, 0.5), false);
  assert.equal(isCleanable(ltc, 0.3), true);
  // Equal is not above.
  const half = logToClean(log, cleanableOffsets(log, 10, NOW), NOW);
  assert.equal(half.cleanableRatio, 2 / 3);
  assert.equal(isCleanable({ ...half, cleanableRatio: 0.5 }, 0.5), false);
  // Never cleaned: everything below the active segment is dirty.
  assert.equal(logToClean(log, cleanableOffsets(log, undefined, NOW), NOW).cleanableRatio, 1);
});

Deno.test("plan: max.compaction.lag.ms forces a clean below the ratio", () => {
  const s = segs([0, 10, 20, 30]);
  const lagged = logOf(s, {}, { maxCompactionLagMs: 3_600_000, minCleanableDirtyRatio: 0.9 });
  // The dirty segment 20's first batch is 2 h + 1 s old: 1 h + 1 s past the lag.
  assert.equal(maxCompactionDelay(lagged, 20, NOW), 3_601_000);
  const ltc = logToClean(lagged, cleanableOffsets(lagged, 20, NOW), NOW);
  assert.equal(ltc.needCompactionNow, true);
  assert.equal(isCleanable(ltc, 0.9), true);
  // Not yet due with a 3 h lag.
  const patient = logOf(s, {}, { maxCompactionLagMs: 3 * 3_600_000 });
  assert.equal(maxCompactionDelay(patient, 20, NOW), 0);
  // Segments without a timestamp do not count.
  const noTs = segs([0, 10, 20]).map((x) => ({ ...x, firstBatchTimestamp: undefined }));
  assert.equal(maxCompactionDelay(logOf(noTs, {}, { maxCompactionLagMs: 1 }), 0, NOW), 0);
});

Deno.test("plan: the filthiest cleanable log goes first", () => {
  const a = logOf(segs([0, 10, 20, 30]));
  const b = logOf(segs([0, 10, 20]));
  const candidates = [
    {
      name: "a",
      ltc: logToClean(a, cleanableOffsets(a, 20, NOW), NOW),
      minCleanableDirtyRatio: 0.5,
    },
    {
      name: "b",
      ltc: logToClean(b, cleanableOffsets(b, 10, NOW), NOW),
      minCleanableDirtyRatio: 0.1,
    },
    {
      name: "c",
      ltc: logToClean(a, cleanableOffsets(a, 0, NOW), NOW),
      minCleanableDirtyRatio: 0.5,
    },
  ];
  assert.equal(filthiest(candidates)?.name, "c");
  assert.equal(filthiest(candidates.slice(0, 2))?.name, "b");
  assert.equal(filthiest(candidates.slice(0, 1)), undefined);
  // An empty log is never picked.
  const empty = { ...candidates[2].ltc, totalBytes: 0, cleanBytes: 0, cleanableBytes: 0 };
  assert.equal(filthiest([{ ltc: empty, minCleanableDirtyRatio: 0 }]), undefined);
});

Deno.test("plan: groups fit segment.bytes, the index size and 4-byte offset deltas", () => {
  const sized = (bases: number[], sizes: number[], idx = 8) =>
    bases.map((b, i) => ({
      baseOffset: b,
      size: sizes[i],
      offsetIndexBytes: idx,
      timeIndexBytes: idx,
    }));
  const g = (x: ReturnType<typeof sized>[], maxSize: number, maxIndex: number, unclean: number) =>
    groupSegmentsBySize(x.flat(), maxSize, maxIndex, unclean).map((grp) =>
      grp.map((s) => s.baseOffset)
    );
  const s = sized([0, 10, 20, 30, 40], [400, 300, 300, 900, 50]);
  assert.deepEqual(g([s], 1000, 1000, 50), [[0, 10, 20], [30, 40]]);
  assert.deepEqual(g([s], 700, 1000, 50), [[0, 10], [20], [30], [40]]);
  // The offset index bound (12 bytes per time entry: the time index binds first).
  assert.deepEqual(g([sized([0, 10, 20], [1, 1, 1], 12)], 1000, 24, 30), [[0, 10], [20]]);
  // Offsets beyond 2^31 of the group's base start a new group; an empty segment always joins.
  const far = sized([0, 10, 2 ** 31 + 5], [100, 100, 100]);
  assert.deepEqual(g([far], 1000, 1000, 2 ** 31 + 10), [[0], [10, 2 ** 31 + 5]]);
  const emptyFar = sized([0, 10], [100, 0]);
  assert.deepEqual(g([emptyFar], 1000, 1000, 2 ** 32), [[0, 10]]);
});

Deno.test("plan: the delete horizon is the last clean segment's mtime minus delete.retention.ms", () => {
  const s = segs([0, 10, 20, 30]);
  assert.equal(deleteHorizonMs(s, 0, 1000), 0);
  assert.equal(deleteHorizonMs(s, 20, 1000), s[1].lastModified - 1000);
  assert.equal(deleteHorizonMs(s, 25, 0), s[2].lastModified);
});
