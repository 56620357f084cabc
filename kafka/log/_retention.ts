/**
 * Which segments retention deletes, as Kafka 2.8.2's Log.deletableSegments decides: walking from
 * the oldest, each segment goes while the predicate holds, its records are all below the high
 * watermark, and it is not an empty last segment. The predicates are Kafka's three:
 * start offset (the next segment starts at or below the log start offset), size (retention.bytes:
 * drop the oldest while the log stays at or above the limit without them) and time (retention.ms:
 * the segment's largest timestamp is older than that).
 *
 * @module
 */

import type { LogConfig } from "./log_config.ts";
import type { LogSegment } from "./log_segment.ts";

/** Why a segment is deleted. */
export type RetentionReason = "start-offset" | "size" | "time";

/** What the decision looks at. */
export interface RetentionInput {
  segments: readonly LogSegment[];
  config: LogConfig;
  now: number;
  highWatermark: number;
  /** The offset after the last record appended (written or not). */
  logEndOffset: number;
  logStartOffset: number;
}

/** The oldest segments that `reason` deletes, in order (possibly all of them). */
export function deleteOldSegments(reason: RetentionReason, i: RetentionInput): LogSegment[] {
  const segs = i.segments;
  let predicate: (s: LogSegment, next: LogSegment | undefined) => boolean;
  if (reason === "start-offset") {
    predicate = (_s, next) => next !== undefined && next.baseOffset <= i.logStartOffset;
  } else if (reason === "size") {
    const limit = i.config.retentionBytes;
    let total = 0;
    for (const s of segs) total += s.appendPosition;
    if (limit < 0 || total < limit) return [];
    let diff = total - limit;
    predicate = (s) => {
      if (diff - s.appendPosition < 0) return false;
      diff -= s.appendPosition;
      return true;
    };
  } else {
    const ms = i.config.retentionMs;
    if (ms < 0) return [];
    predicate = (s) => i.now - s.largestTimestamp() > ms;
  }
  const out: LogSegment[] = [];
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k];
    const next = segs[k + 1];
    const upperBound = next ? next.baseOffset : i.logEndOffset;
    const lastAndEmpty = next === undefined && s.appendPosition === 0;
    if (i.highWatermark >= upperBound && predicate(s, next) && !lastAndEmpty) out.push(s);
    else break;
  }
  return out;
}
