/**
 * What the log cleaner needs from producer state when the partition log keeps none (yet): which
 * batch is each producer's last (Kafka retains it, emptied if need be, so the producer's sequence
 * and epoch survive compaction) and where the first open transaction starts (the last stable
 * offset: Kafka never cleans past it). Read from the batch headers, the way ProducerStateManager
 * follows them: a new epoch forgets the producer's earlier batches, a transactional data batch
 * opens a transaction that the producer's next marker closes. Producers never expire here, so at
 * most one empty header per producer id stays behind.
 *
 * Each segment is scanned once: its summary is kept (by segment object) and the active segment's
 * is extended from where the last scan stopped.
 *
 * @module
 */

import { CONTROL_MASK, TRANSACTIONAL_MASK } from "../protocol/records/attributes.ts";
import { readBatchHeader } from "./_batch_headers.ts";
import type { LastRecord } from "./cleaner_filter.ts";
import type { LogSegment } from "./log_segment.ts";

/** One producer within one segment. */
interface ProducerInSegment {
  lastEpoch: number;
  /** Last data batch's last offset under lastEpoch. */
  lastData: number | undefined;
  /** A marker was seen in this segment. */
  hasControl: boolean;
  /** First offset of a transaction still open at the end of the segment (after its last marker). */
  openFirst: number | undefined;
}

interface SegmentSummary {
  scanned: number;
  producers: Map<number, ProducerInSegment>;
}

const summaries = new WeakMap<LogSegment, SegmentSummary>();
const CHUNK = 1024 * 1024;

function summarize(seg: LogSegment): SegmentSummary {
  let s = summaries.get(seg);
  if (!s) summaries.set(seg, s = { scanned: 0, producers: new Map() });
  while (s.scanned < seg.size) {
    let chunk = seg.readAt(s.scanned, Math.min(CHUNK, seg.size - s.scanned));
    if (chunk.length >= 12) {
      // A batch larger than the chunk is read whole.
      const need = 12 + new DataView(chunk.buffer, chunk.byteOffset).getInt32(8);
      if (need > chunk.length && s.scanned + need <= seg.size) chunk = seg.readAt(s.scanned, need);
    }
    const v = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    for (;;) {
      const h = readBatchHeader(chunk, pos, chunk.length);
      if (typeof h === "string") break;
      if (h.magic === 2) {
        const pid = v.getInt32(pos + 43) * 4294967296 + v.getUint32(pos + 47);
        if (pid >= 0) {
          const epoch = v.getInt16(pos + 51);
          const attrs = v.getInt16(pos + 21);
          let p = s.producers.get(pid);
          if (!p) {
            s.producers.set(
              pid,
              p = {
                lastEpoch: epoch,
                lastData: undefined,
                hasControl: false,
                openFirst: undefined,
              },
            );
          }
          if (p.lastEpoch !== epoch) {
            p.lastEpoch = epoch;
            p.lastData = undefined;
          }
          if (attrs & CONTROL_MASK) {
            p.hasControl = true;
            p.openFirst = undefined;
          } else {
            p.lastData = h.lastOffset;
            if (attrs & TRANSACTIONAL_MASK) p.openFirst ??= h.baseOffset;
          }
        }
      }
      pos += h.size;
    }
    if (pos === 0) break;
    s.scanned += pos;
  }
  return s;
}

/** The producers' last batches and the first open transaction, over the segments in order. */
export function producersOf(
  segments: readonly LogSegment[],
): { lastRecords: Map<number, LastRecord>; firstUnstableOffset: number | undefined } {
  const state = new Map<number, LastRecord & { openFirst: number | undefined }>();
  for (const seg of segments) {
    for (const [pid, p] of summarize(seg).producers) {
      let e = state.get(pid);
      if (!e) {
        state.set(
          pid,
          e = { lastDataOffset: undefined, producerEpoch: p.lastEpoch, openFirst: undefined },
        );
      }
      if (e.producerEpoch !== p.lastEpoch) {
        e.producerEpoch = p.lastEpoch;
        e.lastDataOffset = undefined;
      }
      if (p.lastData !== undefined) e.lastDataOffset = p.lastData;
      e.openFirst = p.hasControl ? p.openFirst : e.openFirst ?? p.openFirst;
    }
  }
  let firstUnstableOffset: number | undefined;
  const lastRecords = new Map<number, LastRecord>();
  for (const [pid, e] of state) {
    lastRecords.set(pid, { lastDataOffset: e.lastDataOffset, producerEpoch: e.producerEpoch });
    if (e.openFirst !== undefined) {
      firstUnstableOffset = Math.min(firstUnstableOffset ?? Infinity, e.openFirst);
    }
  }
  return { lastRecords, firstUnstableOffset };
}
