/**
 * The per-batch and per-record rules Apache 2.8.2's LogValidator applies on append, with its
 * error codes and wording. Private to validate.ts.
 *
 * @module
 */

import type { TimestampType } from "./attributes.ts";
import { invalidRecord, type RecordErrorDetail, RecordsError, RecordsErrorCode } from "./errors.ts";

/** Who is appending: a producer, a follower copying the leader, or the broker's coordinators. */
export type AppendOrigin = "client" | "replication" | "coordinator";

/** What validateBatch reads from a batch (v2 header or a legacy wrapper). */
export interface BatchFacts {
  magic: number;
  baseOffset: number;
  lastOffset: number;
  /** Declared record count (v2), or undefined for legacy entries. */
  count: number | undefined;
  producerId: number;
  baseSequence: number;
  isControl: boolean;
  timestampType: TimestampType | "NoTimestampType";
}

/** Kafka's `validateBatch` for a v2 target. */
export function validateBatch(first: BatchFacts, b: BatchFacts, origin: AppendOrigin): void {
  if (first.magic !== b.magic) {
    throw invalidRecord(
      `Batch magic ${b.magic} is not the same as the first batch'es magic byte ${first.magic}`,
    );
  }
  if (origin !== "client") return;
  if (b.magic >= 2) {
    const countFromOffsets = b.lastOffset - b.baseOffset + 1;
    if (countFromOffsets <= 0) {
      throw invalidRecord(`Batch has an invalid offset range: [${b.baseOffset}, ${b.lastOffset}]`);
    }
    const count = b.count ?? 0;
    if (count <= 0) throw invalidRecord(`Invalid reported count for record batch: ${count}`);
    if (countFromOffsets !== count) {
      throw invalidRecord(
        `Inconsistent batch offset range [${b.baseOffset}, ${b.lastOffset}] and count of records ${count}`,
      );
    }
  }
  if (b.producerId >= 0 && b.baseSequence < 0) {
    throw invalidRecord(
      `Invalid sequence number ${b.baseSequence} in record batch with producerId ${b.producerId}`,
    );
  }
  if (b.isControl) throw invalidRecord("Clients are not allowed to write control records");
}

/** Topic settings the record rules need. */
export interface RecordRules {
  now: number;
  timestampType: TimestampType;
  timestampDiffMaxMs: number;
  compacted: boolean;
}

/** One rejected record, with the code its error maps to. */
export interface ApiRecordError {
  code: RecordsErrorCode;
  detail: RecordErrorDetail;
}

/** Kafka's `validateRecord` (key and timestamp parts); returns an error or undefined. */
export function validateRecord(
  batch: BatchFacts,
  index: number,
  offset: number,
  timestamp: number,
  hasKey: boolean,
  rules: RecordRules,
): ApiRecordError | undefined {
  if (rules.compacted && !hasKey) {
    return {
      code: RecordsErrorCode.INVALID_RECORD,
      detail: { batchIndex: index, message: "Compacted topic cannot accept message without key." },
    };
  }
  if (
    rules.timestampType === "CreateTime" && timestamp !== -1 &&
    Math.abs(timestamp - rules.now) > rules.timestampDiffMaxMs
  ) {
    const lo = rules.now - rules.timestampDiffMaxMs;
    const hi = rules.now + rules.timestampDiffMaxMs;
    return {
      code: RecordsErrorCode.INVALID_TIMESTAMP,
      detail: {
        batchIndex: index,
        message:
          `Timestamp ${timestamp} of message with offset ${offset} is out of range. The timestamp should be within [${lo}, ${hi}]`,
      },
    };
  }
  if (batch.timestampType === "LogAppendTime") {
    return {
      code: RecordsErrorCode.INVALID_TIMESTAMP,
      detail: {
        batchIndex: index,
        message:
          `Invalid timestamp type in message with offset ${offset}. Producer should not set timestamp type to LogAppendTime.`,
      },
    };
  }
  return undefined;
}

/** Kafka's `processRecordErrors`: any rejected record fails the whole append. */
export function throwRecordErrors(errors: ApiRecordError[]): void {
  if (errors.length === 0) return;
  const details = errors.map((e) => e.detail);
  if (errors.some((e) => e.code === RecordsErrorCode.INVALID_TIMESTAMP)) {
    throw new RecordsError(
      RecordsErrorCode.INVALID_TIMESTAMP,
      "One or more records have been rejected due to invalid timestamp",
      details,
    );
  }
  throw new RecordsError(
    RecordsErrorCode.INVALID_RECORD,
    "One or more records have been rejected",
    details,
  );
}
