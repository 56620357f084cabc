/**
 * A partition's `leader-epoch-checkpoint` (Kafka 2.8.2's LeaderEpochCheckpointFile): after the
 * version (0) and count lines, one `<epoch> <startOffset>` line per leader epoch, in increasing
 * order: the first offset written under each epoch. Followers truncate by it (OffsetForLeaderEpoch).
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

export const LEADER_EPOCH_CHECKPOINT = "leader-epoch-checkpoint";

/** A leader epoch and the first offset written under it. */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

/** The leader-epoch-checkpoint format. */
export const LEADER_EPOCH_FORMAT: CheckpointFormat<EpochEntry> = {
  version: 0,
  toLine: (e) => `${e.epoch} ${e.startOffset}`,
  fromFields(fields) {
    if (fields.length !== 2) {
      return `expected epoch and start offset, found ${fields.length} fields`;
    }
    const epoch = parseInt32(fields[0]);
    if (epoch === undefined) return `epoch '${fields[0]}' is not an int32`;
    const startOffset = parseOffset(fields[1]);
    if (startOffset === undefined) {
      return `start offset '${fields[1]}' is not an integer herd can hold`;
    }
    return { epoch, startOffset };
  },
};

/**
 * Parse a leader-epoch-checkpoint's text (`file` names it in errors).
 *
 * @example
 * ```ts
 * parseLeaderEpochCheckpoint("0\n2\n0 0\n1 50\n", "leader-epoch-checkpoint");
 * // [{ epoch: 0, startOffset: 0 }, { epoch: 1, startOffset: 50 }]
 * ```
 */
export function parseLeaderEpochCheckpoint(text: string, file: string): EpochEntry[] {
  return parseCheckpoint(LEADER_EPOCH_FORMAT, text, file);
}

/** Read a leader-epoch-checkpoint (missing or empty: no entries). */
export function readLeaderEpochCheckpoint(path: string): Promise<EpochEntry[]> {
  return readCheckpointFile(LEADER_EPOCH_FORMAT, path);
}

/** Replace a leader-epoch-checkpoint atomically. */
export function writeLeaderEpochCheckpoint(
  path: string,
  entries: readonly EpochEntry[],
): Promise<void> {
  return writeCheckpointFile(LEADER_EPOCH_FORMAT, path, entries);
}
