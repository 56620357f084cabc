/**
 * When a segment's sparse indexes get an entry, as Kafka 2.8.2's LogSegment decides it: after an
 * append, if more than log.index.interval.bytes were appended since the last entry *before* this
 * append, the offset index gets (last offset of this append, position where it started) and the
 * time index gets the segment's largest timestamp so far with its offset. So the first append of a
 * segment never makes an entry, and an entry always points at the start of a batch.
 *
 * The same rule rebuilds indexes in recovery (batch by batch), which is why a segment written one
 * batch per append and a segment recovered from its `.log` have identical indexes.
 *
 * @module
 */

import { DEFAULT_MAX_INDEX_SIZE, type OffsetIndex } from "./offset_index.ts";
import { NO_TIMESTAMP, type TimeIndex } from "./time_index.ts";

/** log.index.interval.bytes' default. */
export const DEFAULT_INDEX_INTERVAL_BYTES = 4096;

/** One append to a segment: a batch, or several written at once. */
export interface SegmentAppend {
  /** Where in the `.log` the append starts. */
  position: number;
  /** Its size in bytes. */
  size: number;
  /** The last offset it holds. */
  lastOffset: number;
  /** Its largest timestamp (NO_TIMESTAMP for magic v0). */
  maxTimestamp: number;
  /** The offset Kafka files that timestamp under: the last offset of the batch that has it. */
  offsetOfMaxTimestamp: number;
}

/**
 * Whether an append gets index entries, given the bytes appended since the last entry before it.
 * Strictly more than the interval, as Kafka compares.
 */
export function shouldIndex(bytesSinceLastEntry: number, indexIntervalBytes: number): boolean {
  return bytesSinceLastEntry > indexIntervalBytes;
}

/**
 * Keeps a segment's two indexes as its appends go by.
 *
 * @example
 * ```ts
 * import { OffsetIndex } from "./offset_index.ts";
 * import { TimeIndex } from "./time_index.ts";
 * const ix = new SegmentIndexer(OffsetIndex.inMemory(0), TimeIndex.inMemory(0), 100);
 * ix.onAppend({ position: 0, size: 150, lastOffset: 9, maxTimestamp: 5, offsetOfMaxTimestamp: 9 });
 * ix.onAppend({ position: 150, size: 150, lastOffset: 19, maxTimestamp: 7, offsetOfMaxTimestamp: 19 });
 * ix.offsetIndex.all(); // [{ offset: 19, position: 150 }]
 * ```
 */
export class SegmentIndexer {
  /** Bytes appended since the last index entry. */
  bytesSinceLastIndexEntry = 0;
  /** The segment's largest timestamp so far, and the offset filed with it. */
  maxTimestampSoFar: number;
  offsetOfMaxTimestampSoFar: number;

  constructor(
    readonly offsetIndex: OffsetIndex,
    readonly timeIndex: TimeIndex,
    readonly indexIntervalBytes = DEFAULT_INDEX_INTERVAL_BYTES,
  ) {
    // A reopened segment's largest timestamp is its time index's last entry, as Kafka loads it;
    // records after that entry are rescanned by the caller if it needs them.
    const last = timeIndex.lastEntry;
    this.maxTimestampSoFar = last.timestamp;
    this.offsetOfMaxTimestampSoFar = last.offset;
  }

  /** Record an append (already in the `.log`) and add index entries if it is time. */
  onAppend(a: SegmentAppend): void {
    if (a.size <= 0) return;
    if (a.maxTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = a.maxTimestamp;
      this.offsetOfMaxTimestampSoFar = a.offsetOfMaxTimestamp;
    }
    if (shouldIndex(this.bytesSinceLastIndexEntry, this.indexIntervalBytes)) {
      this.offsetIndex.append(a.lastOffset, a.position);
      this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += a.size;
  }

  /**
   * The segment stops being the active one (a roll) or is recovered: its largest timestamp goes
   * into the time index's reserved last slot, and both files are cut to their entries.
   */
  onBecomeInactive(): void {
    this.#finalTimeEntry();
    this.offsetIndex.trimToValidSize();
    this.timeIndex.trimToValidSize();
  }

  /** The segment closes (broker shutdown): as a roll, then the files are closed. */
  close(): void {
    try {
      this.#finalTimeEntry();
      this.offsetIndex.close();
    } finally {
      this.timeIndex.close();
    }
  }

  #finalTimeEntry(): void {
    if (this.maxTimestampSoFar === NO_TIMESTAMP) return;
    this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, true);
  }
}

/** A batch as recovery sees it: where it is, its last offset and its largest timestamp. */
export interface IndexedBatch {
  position: number;
  size: number;
  lastOffset: number;
  maxTimestamp: number;
}

/**
 * Rebuild a segment's indexes from its batches, as Kafka's LogSegment.recover does: both
 * indexes emptied and given their full room, every batch fed through the append rule, then the
 * roll's final time entry and a trim. For a segment Apache wrote one batch per append (what a
 * producer sends), the result is byte-identical to Apache's files.
 */
export function rebuildIndexes(
  batches: Iterable<IndexedBatch>,
  offsetIndex: OffsetIndex,
  timeIndex: TimeIndex,
  indexIntervalBytes = DEFAULT_INDEX_INTERVAL_BYTES,
  maxIndexSize = DEFAULT_MAX_INDEX_SIZE,
): void {
  offsetIndex.reset(maxIndexSize);
  timeIndex.reset(maxIndexSize);
  const ix = new SegmentIndexer(offsetIndex, timeIndex, indexIntervalBytes);
  for (const b of batches) {
    ix.onAppend({
      position: b.position,
      size: b.size,
      lastOffset: b.lastOffset,
      maxTimestamp: b.maxTimestamp,
      offsetOfMaxTimestamp: b.lastOffset,
    });
  }
  ix.onBecomeInactive();
}
