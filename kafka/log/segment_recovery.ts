/**
 * The recovery rule for segments after a crash, as pure functions over a segment's bytes, with
 * the same rule herd's ZooKeeper applies to its txn log (zk/persist/log_damage.ts):
 *
 * - a torn tail (a batch the crash cut short, or garbage, with nothing valid after it) held only
 *   data that was never acknowledged as durable, so it may be cut;
 * - bad bytes followed by a valid batch are damage in the middle of the log (a flipped bit, a
 *   zeroed page): the batches after them may have been acknowledged, so recovery refuses and
 *   changes nothing.
 *
 * Kafka 2.8.2 is less careful: its LogSegment.recover truncates at the first invalid batch and
 * deletes every later segment, whatever they hold. herd cuts only what it can prove is a torn
 * tail; the issue (15) asks for exactly that.
 *
 * Batch boundaries come from the headers (offset, length, magic); whether a batch is intact (its
 * CRC) is the caller's `validate`, which the record batch codec provides.
 *
 * @module
 */

import { type BatchHeader, HEADER_SIZE_UP_TO_MAGIC, readBatchHeader } from "./_batch_headers.ts";

export type { BatchHeader } from "./_batch_headers.ts";

/** Checks one whole batch (CRC and whatever else the codec checks); a reason when bad. */
export type BatchValidator = (batch: Uint8Array, header: BatchHeader) => string | undefined;

/** What a segment's bytes hold, and what recovery may do with them. */
export interface SegmentScan {
  /**
   * `clean`: every byte belongs to a valid batch. `torn-tail`: valid batches, then bytes with no
   * valid batch after them (cut them: keep `validBytes`). `damaged`: bad bytes with a valid batch
   * after them (refuse).
   */
  verdict: "clean" | "torn-tail" | "damaged";
  /** The valid batches before any bad bytes, in order. */
  batches: BatchHeader[];
  /** The length of those batches: where a torn tail is cut. */
  validBytes: number;
  /** Where the bad bytes start and why they are bad. */
  damage?: { position: number; reason: string };
  /** For `damaged`: the first valid batch found after the bad bytes. */
  intactAfter?: BatchHeader;
}

const INT32_MAX = 0x7fff_ffff;

/**
 * Scan a segment whose base offset is `baseOffset`. Besides `validate`, a batch is bad when its
 * offsets go below the segment's base offset, do not rise from the batch before, or overflow the
 * indexes' 4-byte relative offsets.
 */
export function scanSegment(
  bytes: Uint8Array,
  baseOffset: number,
  validate: BatchValidator,
): SegmentScan {
  const batches: BatchHeader[] = [];
  let pos = 0;
  let prevLast = baseOffset - 1;
  while (pos < bytes.length) {
    const h = readBatchHeader(bytes, pos);
    const reason = typeof h === "string" ? h : offsetProblem(h, baseOffset, prevLast) ??
      validate(bytes.subarray(pos, pos + h.size), h);
    if (reason !== undefined) {
      const damage = { position: pos, reason };
      const intactAfter = findIntactBatch(bytes, pos + 1, validate);
      return intactAfter
        ? { verdict: "damaged", batches, validBytes: pos, damage, intactAfter }
        : { verdict: "torn-tail", batches, validBytes: pos, damage };
    }
    const header = h as BatchHeader;
    batches.push(header);
    prevLast = header.lastOffset;
    pos += header.size;
  }
  return { verdict: "clean", batches, validBytes: pos };
}

function offsetProblem(h: BatchHeader, baseOffset: number, prevLast: number): string | undefined {
  if (h.baseOffset < baseOffset) {
    return `batch offset ${h.baseOffset} is below the segment's base offset ${baseOffset}`;
  }
  if (h.baseOffset <= prevLast) {
    return `batch offset ${h.baseOffset} does not follow the previous batch's last offset ${prevLast}`;
  }
  if (h.lastOffset - baseOffset > INT32_MAX) {
    return `batch last offset ${h.lastOffset} overflows the segment's relative offsets`;
  }
  return undefined;
}

/** Offset just past the last non-zero byte: zeros (preallocation, a torn page) are no batch. */
function dataEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end;
}

/**
 * The first valid batch starting anywhere at or after `from`, or undefined. Every position is
 * tried: damage may have shifted nothing or hidden where the next batch starts. Cheap tests
 * (magic, a plausible length that fits) come before the validator.
 */
export function findIntactBatch(
  bytes: Uint8Array,
  from: number,
  validate: BatchValidator,
): BatchHeader | undefined {
  // A batch's length field is non-zero, so a batch starts before the last non-zero byte.
  const last = Math.min(dataEnd(bytes), bytes.length - HEADER_SIZE_UP_TO_MAGIC);
  for (let p = from; p < last; p++) {
    const magic = bytes[p + 16];
    if (magic > 2 || bytes[p + 8] & 0x80) continue;
    const h = readBatchHeader(bytes, p);
    if (typeof h === "string") continue;
    if (validate(bytes.subarray(p, p + h.size), h) === undefined) return h;
  }
  return undefined;
}

/** One segment of a partition, for {@linkcode planRecovery}. */
export interface SegmentInput {
  baseOffset: number;
  bytes: Uint8Array;
  /** How errors name it (its path); the base offset otherwise. */
  name?: string;
}

/** What recovery does to a partition's segments. */
export interface RecoveryPlan {
  /** Each segment's scan, in order. */
  scans: SegmentScan[];
  /** A torn tail to cut: the segment, and the length to keep. */
  truncate?: {
    baseOffset: number;
    validBytes: number;
    damage: { position: number; reason: string };
  };
  /** Later segments that hold no valid batch (a roll the crash interrupted): delete them. */
  deleteSegments: number[];
}

/** Recovery must not go on: cutting would lose batches that may have been acknowledged. */
export class SegmentDamageError extends Error {
  override name = "SegmentDamageError";
}

/**
 * Plan the recovery of a partition's segments from the recovery point on (sorted by base
 * offset). Throws SegmentDamageError, having changed nothing, when bad bytes anywhere are
 * followed by a valid batch, in the same segment or a later one.
 */
export function planRecovery(segments: SegmentInput[], validate: BatchValidator): RecoveryPlan {
  const scans: SegmentScan[] = [];
  const name = (s: SegmentInput) => s.name ?? `segment ${s.baseOffset}`;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const scan = scanSegment(seg.bytes, seg.baseOffset, validate);
    scans.push(scan);
    if (scan.verdict === "damaged") {
      throw new SegmentDamageError(
        `${name(seg)}: bad bytes at position ${scan.damage!.position} (${scan.damage!.reason}) ` +
          `are followed by a valid batch at position ${scan.intactAfter!.position} (offset ` +
          `${scan.intactAfter!.baseOffset}); refusing to cut data that may have been acknowledged`,
      );
    }
    if (scan.verdict === "clean") continue;
    const deleteSegments: number[] = [];
    for (const later of segments.slice(i + 1)) {
      const found = findIntactBatch(later.bytes, 0, validate);
      if (found) {
        throw new SegmentDamageError(
          `${name(seg)}: bad bytes at position ${scan.damage!.position} (${scan.damage!.reason}) ` +
            `are followed by valid batches in ${name(later)} (offset ${found.baseOffset} at ` +
            `position ${found.position}); refusing to cut data that may have been acknowledged`,
        );
      }
      deleteSegments.push(later.baseOffset);
    }
    return {
      scans,
      truncate: { baseOffset: seg.baseOffset, validBytes: scan.validBytes, damage: scan.damage! },
      deleteSegments,
    };
  }
  return { scans, deleteSegments: [] };
}
