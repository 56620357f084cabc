/**
 * What the log cleaner cleans, decided as Kafka 2.8.2's LogCleanerManager and Cleaner decide it,
 * as pure functions over a few numbers per segment (so every rule is tested without files):
 *
 * - the **dirty section** starts at the cleaner checkpoint (reset to the log start offset when the
 *   checkpoint is below it or past the log end) and ends at the first uncleanable offset: the
 *   lowest of the last stable offset, the active segment's base offset, and the base offset of the
 *   first dirty segment holding a record newer than `now - min.compaction.lag.ms`;
 * - a log is **cleanable** when its dirty ratio (dirty bytes / all bytes, whole segments) is above
 *   min.cleanable.dirty.ratio, or when max.compaction.lag.ms has passed for its oldest dirty
 *   segment's first batch and it has dirty bytes; the filthiest (highest ratio) goes first;
 * - segments are cleaned in **groups** whose total log size fits segment.bytes and whose index
 *   sizes fit segment.index.bytes, with offsets a cleaned segment can still index (4-byte deltas);
 * - **tombstones and markers** older than the delete horizon go: the last already-clean segment's
 *   modification time minus delete.retention.ms (0 on a log never cleaned, so a tombstone always
 *   survives the pass that first cleans it).
 *
 * @module
 */

/** What the plan needs to know about one segment. */
export interface SegmentStat {
  baseOffset: number;
  /** Bytes in its `.log`. */
  size: number;
  /** Entries × 8 (Kafka's offsetIndex.sizeInBytes). */
  offsetIndexBytes: number;
  /** Entries × 12. */
  timeIndexBytes: number;
  /** The largest record timestamp, or the file's modification time when it has none. */
  largestTimestamp: number;
  /** The `.log` file's modification time (ms). */
  lastModified: number;
  /** The first batch's max timestamp (Kafka's rollingBasedTimestamp), or undefined. */
  firstBatchTimestamp: number | undefined;
}

/** The topic settings the plan reads. */
export interface CleanerLogSettings {
  minCompactionLagMs: number;
  maxCompactionLagMs: number;
  minCleanableDirtyRatio: number;
  deleteRetentionMs: number;
  segmentBytes: number;
  segmentIndexBytes: number;
}

/** One log as the plan sees it. */
export interface LogStat {
  /** Oldest first; the last one is the active segment. */
  segments: readonly SegmentStat[];
  logStartOffset: number;
  logEndOffset: number;
  /** The last stable offset (the high watermark without open transactions). */
  lastStableOffset: number;
  config: CleanerLogSettings;
}

/** Where the dirty section is (Kafka's OffsetsToClean). */
export interface OffsetsToClean {
  firstDirtyOffset: number;
  firstUncleanableDirtyOffset: number;
  /** The checkpoint was unusable: it is rewritten with firstDirtyOffset. */
  forceUpdateCheckpoint: boolean;
  /** Why the checkpoint was reset, for the log line. */
  resetReason?: string;
}

/** A candidate log with its measures (Kafka's LogToClean). */
export interface LogToClean {
  firstDirtyOffset: number;
  /** The base offset of the segment holding the uncleanable offset (or the active one). */
  firstUncleanableOffset: number;
  cleanBytes: number;
  cleanableBytes: number;
  totalBytes: number;
  cleanableRatio: number;
  /** max.compaction.lag.ms has passed for some dirty segment. */
  needCompactionNow: boolean;
}

/**
 * Kafka's Log.logSegments(from, to): the segment holding `from` (or the first one) and every one
 * after it whose base offset is below `to`; none when from == to.
 */
export function logSegments<S extends { baseOffset: number }>(
  segments: readonly S[],
  from: number,
  to: number,
): S[] {
  if (from === to) return [];
  if (to < from) {
    throw new RangeError(`Invalid log segment range: requested segments from ${from} to ${to}`);
  }
  let first = 0;
  for (let i = 0; i < segments.length && segments[i].baseOffset <= from; i++) first = i;
  const out: S[] = [];
  for (let i = first; i < segments.length && segments[i].baseOffset < to; i++) {
    out.push(segments[i]);
  }
  return out;
}

/** Kafka's nonActiveLogSegmentsFrom: segments from the one holding `from`, the active one excluded. */
export function nonActiveSegmentsFrom<S extends { baseOffset: number }>(
  segments: readonly S[],
  from: number,
): S[] {
  const active = segments[segments.length - 1].baseOffset;
  return from > active ? [] : logSegments(segments, from, active);
}

/** Kafka's cleanableOffsets: the dirty section of `log` given its checkpoint entry. */
export function cleanableOffsets(
  log: LogStat,
  lastCleanOffset: number | undefined,
  now: number,
): OffsetsToClean {
  const checkpoint = lastCleanOffset ?? log.logStartOffset;
  let firstDirtyOffset = checkpoint;
  let forceUpdateCheckpoint = false;
  let resetReason: string | undefined;
  if (checkpoint < log.logStartOffset) {
    firstDirtyOffset = log.logStartOffset;
    forceUpdateCheckpoint = true;
    resetReason = `the checkpointed offset ${checkpoint} is invalid`;
  } else if (checkpoint > log.logEndOffset) {
    firstDirtyOffset = log.logStartOffset;
    forceUpdateCheckpoint = true;
    resetReason = `${checkpoint} is larger than the log end offset ${log.logEndOffset}`;
  }
  const segs = log.segments;
  const candidates = [log.lastStableOffset, segs[segs.length - 1].baseOffset];
  const lag = Math.max(log.config.minCompactionLagMs, 0);
  if (lag > 0) {
    const young = nonActiveSegmentsFrom(segs, firstDirtyOffset)
      .find((s) => s.largestTimestamp > now - lag);
    if (young) candidates.push(young.baseOffset);
  }
  return {
    firstDirtyOffset,
    firstUncleanableDirtyOffset: Math.max(firstDirtyOffset, Math.min(...candidates)),
    forceUpdateCheckpoint,
    resetReason,
  };
}

/**
 * Kafka's maxCompactionDelay: how long past max.compaction.lag.ms the oldest dirty segment's
 * first batch is (0 when none is due).
 */
export function maxCompactionDelay(log: LogStat, firstDirtyOffset: number, now: number): number {
  let earliest = Number.MAX_SAFE_INTEGER;
  for (const s of nonActiveSegmentsFrom(log.segments, firstDirtyOffset)) {
    const t = s.firstBatchTimestamp;
    if (t !== undefined && t > 0 && t < earliest) earliest = t;
  }
  const cleanUntil = now - Math.max(log.config.maxCompactionLagMs, 0);
  return earliest < cleanUntil ? cleanUntil - earliest : 0;
}

/** Kafka's LogToClean for a log and its dirty section. */
export function logToClean(log: LogStat, offsets: OffsetsToClean, now: number): LogToClean {
  const segs = log.segments;
  const { firstDirtyOffset, firstUncleanableDirtyOffset } = offsets;
  const sum = (list: SegmentStat[]) => list.reduce((n, s) => n + s.size, 0);
  const cleanBytes = sum(logSegments(segs, -1, firstDirtyOffset));
  const nonActive = nonActiveSegmentsFrom(segs, firstUncleanableDirtyOffset);
  const firstUncleanableOffset = (nonActive[0] ?? segs[segs.length - 1]).baseOffset;
  const cleanableBytes = sum(
    logSegments(segs, Math.min(firstDirtyOffset, firstUncleanableOffset), firstUncleanableOffset),
  );
  const totalBytes = cleanBytes + cleanableBytes;
  return {
    firstDirtyOffset,
    firstUncleanableOffset,
    cleanBytes,
    cleanableBytes,
    totalBytes,
    cleanableRatio: totalBytes === 0 ? 0 : cleanableBytes / totalBytes,
    needCompactionNow: maxCompactionDelay(log, firstDirtyOffset, now) > 0,
  };
}

/** Whether a candidate is worth cleaning now (Kafka's filter in grabFilthiestCompactedLog). */
export function isCleanable(ltc: LogToClean, minCleanableDirtyRatio: number): boolean {
  if (ltc.totalBytes <= 0) return false;
  return (ltc.needCompactionNow && ltc.cleanableBytes > 0) ||
    ltc.cleanableRatio > minCleanableDirtyRatio;
}

/**
 * The filthiest of the cleanable candidates (highest dirty ratio; the first of equals), or
 * undefined.
 */
export function filthiest<T extends { ltc: LogToClean; minCleanableDirtyRatio: number }>(
  candidates: readonly T[],
): T | undefined {
  let best: T | undefined;
  for (const c of candidates) {
    if (!isCleanable(c.ltc, c.minCleanableDirtyRatio)) continue;
    if (!best || c.ltc.cleanableRatio > best.ltc.cleanableRatio) best = c;
  }
  return best;
}

/**
 * Kafka's groupSegmentsBySize: consecutive segments merged while the log bytes stay within
 * `maxSize`, each index within `maxIndexSize`, and the offsets within 2^31 of the group's base
 * (an empty segment is always taken, as Kafka does, so no empty segment is left behind).
 */
export function groupSegmentsBySize<
  S extends { baseOffset: number; size: number; offsetIndexBytes: number; timeIndexBytes: number },
>(
  segments: readonly S[],
  maxSize: number,
  maxIndexSize: number,
  firstUncleanableOffset: number,
): S[][] {
  const groups: S[][] = [];
  let i = 0;
  while (i < segments.length) {
    const group = [segments[i]];
    let logSize = segments[i].size;
    let indexSize = segments[i].offsetIndexBytes;
    let timeIndexSize = segments[i].timeIndexBytes;
    i++;
    while (i < segments.length) {
      const s = segments[i];
      const lastOffset = i + 1 < segments.length
        ? segments[i + 1].baseOffset - 1
        : firstUncleanableOffset - 1;
      if (
        logSize + s.size > maxSize || indexSize + s.offsetIndexBytes > maxIndexSize ||
        timeIndexSize + s.timeIndexBytes > maxIndexSize ||
        (s.size !== 0 && lastOffset - group[0].baseOffset > 0x7fffffff)
      ) break;
      group.push(s);
      logSize += s.size;
      indexSize += s.offsetIndexBytes;
      timeIndexSize += s.timeIndexBytes;
      i++;
    }
    groups.push(group);
  }
  return groups;
}

/**
 * The time below which tombstones and transaction markers may go: the last clean segment's
 * modification time minus delete.retention.ms, or 0 when nothing is clean yet.
 */
export function deleteHorizonMs(
  segments: readonly SegmentStat[],
  firstDirtyOffset: number,
  deleteRetentionMs: number,
): number {
  const clean = logSegments(segments, 0, firstDirtyOffset);
  const last = clean[clean.length - 1];
  return last === undefined ? 0 : last.lastModified - deleteRetentionMs;
}
