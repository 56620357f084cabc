/**
 * The Kafka error codes the record layer can answer with, and the error it throws carrying one.
 *
 * Codes are Kafka's (`org.apache.kafka.common.protocol.Errors`), so a Produce handler maps a
 * {@link RecordsError} straight to its partition response; the messages follow Apache 2.8.2's
 * wording where a client can read them (Produce v8+ returns `error_message` and record errors).
 *
 * @module
 */

/** Kafka error codes used by the record layer. */
export const RecordsErrorCode = {
  /**
   * What Apache 2.8.2 answers when a batch's payload does not decompress (its KafkaException
   * escapes the validator; measured: a garbled gzip stream and an LZ4 frame with a bad header
   * checksum, both with a valid batch CRC, get error_code -1).
   */
  UNKNOWN_SERVER_ERROR: -1,
  /** A batch or message CRC does not match, or a size or magic byte is impossible. */
  CORRUPT_MESSAGE: 2,
  /** A batch is larger than `message.max.bytes` / the topic's `max.message.bytes`. */
  MESSAGE_TOO_LARGE: 10,
  /** A CreateTime timestamp outside `message.timestamp.difference.max.ms`, or a client LogAppendTime. */
  INVALID_TIMESTAMP: 32,
  /** Idempotent or transactional records for a magic below 2. */
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  /** A producer's sequence does not follow its last one (kafka/log/producer_state.ts). */
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  /** A producer epoch older than the partition has seen (kafka/log/producer_state.ts). */
  INVALID_PRODUCER_EPOCH: 47,
  /** A non-transactional write while the producer's transaction is open. */
  INVALID_TXN_STATE: 48,
  /** A transaction marker from an older coordinator epoch. */
  TRANSACTION_COORDINATOR_FENCED: 52,
  /** A compression codec this broker cannot read (attribute bits 5-7). */
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  /** A batch or record that is well formed but breaks a rule (count, offsets, keys, control). */
  INVALID_RECORD: 87,
} as const;

/** One of {@link RecordsErrorCode}'s values. */
export type RecordsErrorCode = typeof RecordsErrorCode[keyof typeof RecordsErrorCode];

/** A record that Apache reports in Produce v8+ `record_errors`: its index in the batch and why. */
export interface RecordErrorDetail {
  /** Index of the record inside its batch. */
  batchIndex: number;
  /** Apache's message for it. */
  message: string;
}

/**
 * Bad record data, with the Kafka error code a broker answers for it.
 *
 * @example
 * ```ts
 * import { RecordsError, RecordsErrorCode } from "./errors.ts";
 * const e = new RecordsError(RecordsErrorCode.CORRUPT_MESSAGE, "Record is corrupt");
 * console.log(e.code); // 2
 * ```
 */
export class RecordsError extends Error {
  /** Kafka's error code for the Produce response (or for a log reader to report). */
  readonly code: RecordsErrorCode;
  /** Per-record errors (Produce v8+ `record_errors`), empty when the batch itself is bad. */
  readonly recordErrors: readonly RecordErrorDetail[];

  constructor(code: RecordsErrorCode, message: string, recordErrors: RecordErrorDetail[] = []) {
    super(message);
    this.name = "RecordsError";
    this.code = code;
    this.recordErrors = recordErrors;
  }
}

/** Shorthand for the many INVALID_RECORD (87) throws. */
export function invalidRecord(message: string): RecordsError {
  return new RecordsError(RecordsErrorCode.INVALID_RECORD, message);
}

/** Shorthand for CORRUPT_MESSAGE (2). */
export function corruptMessage(message: string): RecordsError {
  return new RecordsError(RecordsErrorCode.CORRUPT_MESSAGE, message);
}
