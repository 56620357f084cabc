/**
 * The per-log-dir offset checkpoints of Kafka 2.8.2 (OffsetCheckpointFile): one
 * `<topic> <partition> <offset>` line per partition, after the version (0) and count lines.
 * Four files share the format:
 *
 * - `recovery-point-offset-checkpoint`: up to where each log is known flushed; recovery after a
 *   crash starts there;
 * - `replication-offset-checkpoint`: each partition's high watermark;
 * - `log-start-offset-checkpoint`: log start offsets that are above the first segment's base
 *   offset (after DeleteRecords or retention); Kafka writes only those;
 * - `cleaner-offset-checkpoint`: how far the log cleaner has compacted each partition (Kafka
 *   creates it empty, zero bytes, and writes it once the cleaner has cleaned something).
 *
 * @module
 */

import {
  type CheckpointFormat,
  parseCheckpoint,
  parseInt32,
  parseOffset,
  readCheckpointFile,
  writeCheckpointFile,
} from "./checkpoint_file.ts";

export const RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
export const REPLICATION_CHECKPOINT = "replication-offset-checkpoint";
export const LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
export const CLEANER_CHECKPOINT = "cleaner-offset-checkpoint";

/** One line of an offset checkpoint. */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: number;
}

/** The format of the four offset checkpoints. */
export const OFFSET_CHECKPOINT: CheckpointFormat<PartitionOffset> = {
  version: 0,
  toLine: (e) => `${e.topic} ${e.partition} ${e.offset}`,
  fromFields(fields) {
    if (fields.length !== 3) {
      return `expected topic, partition and offset, found ${fields.length} fields`;
    }
    const [topic, p, o] = fields;
    if (topic === "") return "the line starts with whitespace";
    const partition = parseInt32(p);
    if (partition === undefined) return `partition '${p}' is not an int32`;
    const offset = parseOffset(o);
    if (offset === undefined) return `offset '${o}' is not an integer herd can hold`;
    return { topic, partition, offset };
  },
};

/**
 * Parse an offset checkpoint's text (`file` names it in errors).
 *
 * @example
 * ```ts
 * parseOffsetCheckpoint("0\n1\nherd-log 0 90\n", "recovery-point-offset-checkpoint");
 * // [{ topic: "herd-log", partition: 0, offset: 90 }]
 * ```
 */
export function parseOffsetCheckpoint(text: string, file: string): PartitionOffset[] {
  return parseCheckpoint(OFFSET_CHECKPOINT, text, file);
}

/** Read an offset checkpoint file (missing or empty: no entries). */
export function readOffsetCheckpoint(path: string): Promise<PartitionOffset[]> {
  return readCheckpointFile(OFFSET_CHECKPOINT, path);
}

/** Replace an offset checkpoint file atomically, entries in the order given. */
export function writeOffsetCheckpoint(
  path: string,
  entries: readonly PartitionOffset[],
): Promise<void> {
  return writeCheckpointFile(OFFSET_CHECKPOINT, path, entries);
}
