/**
 * The errors of the log layer, named as Kafka names them so an operator recognises them in
 * herd's log: CorruptIndexException, InvalidOffsetException, IndexOffsetOverflowException, and
 * one error for any on-disk text file (checkpoints, meta.properties, partition.metadata) that
 * names the file and the line.
 *
 * @module
 */

/** An index file fails a sanity check (Kafka's CorruptIndexException). */
export class CorruptIndexError extends Error {
  override name = "CorruptIndexError";
}

/** An index append that would break the index's order (Kafka's InvalidOffsetException). */
export class InvalidOffsetError extends Error {
  override name = "InvalidOffsetError";
}

/** An offset too far from the segment's base offset for a 4-byte relative offset. */
export class IndexOffsetOverflowError extends Error {
  override name = "IndexOffsetOverflowError";
}

/** A malformed checkpoint, meta.properties or partition.metadata file. */
export class LogFileFormatError extends Error {
  override name = "LogFileFormatError";

  /**
   * @param file the file's path
   * @param line the 1-based line the problem is on, or 0 for the file as a whole
   * @param problem what is wrong, without the location
   */
  constructor(readonly file: string, readonly line: number, readonly problem: string) {
    super(line > 0 ? `${file}:${line}: ${problem}` : `${file}: ${problem}`);
  }
}

/**
 * A read or log start offset outside the log (Kafka's OffsetOutOfRangeException, error code 1):
 * the Fetch and DeleteRecords handlers answer OFFSET_OUT_OF_RANGE with it.
 */
export class OffsetOutOfRangeError extends Error {
  override name = "OffsetOutOfRangeError";
  /** Kafka's OFFSET_OUT_OF_RANGE. */
  readonly code = 1;
}

/** An append larger than segment.bytes (Kafka's RecordBatchTooLargeException, RECORD_LIST_TOO_LARGE). */
export class RecordBatchTooLargeError extends Error {
  override name = "RecordBatchTooLargeError";
  /** Kafka's RECORD_LIST_TOO_LARGE. */
  readonly code = 18;
}

/**
 * The log cannot be written or read any more (an I/O error, a closed log): Kafka's
 * KafkaStorageException, KAFKA_STORAGE_ERROR to clients.
 */
export class KafkaStorageError extends Error {
  override name = "KafkaStorageError";
  /** Kafka's KAFKA_STORAGE_ERROR. */
  readonly code = 56;
}

/**
 * A log dir's meta.properties disagrees with the broker's configuration or with the other
 * dirs (Kafka's InconsistentBrokerIdException, InconsistentClusterIdException,
 * InconsistentBrokerMetadataException), with Kafka's message.
 */
export class LogDirMetadataError extends Error {
  override name = "LogDirMetadataError";
  constructor(
    readonly kind:
      | "InconsistentBrokerIdException"
      | "InconsistentClusterIdException"
      | "InconsistentBrokerMetadataException"
      | "UnexpectedVersion",
    message: string,
  ) {
    super(message);
  }
}
