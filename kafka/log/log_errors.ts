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
