/**
 * A partition's leader epochs in memory, kept in step with its `leader-epoch-checkpoint` (Kafka
 * 2.8.2's LeaderEpochFileCache): each epoch and the first offset written under it. Appends add an
 * epoch when a batch carries one above the latest; truncation at either end of the log trims it;
 * OffsetForLeaderEpoch asks it where an epoch ended.
 *
 * The file is rewritten (atomically, fsynced) whenever the entries change, as Kafka does; the
 * writes are chained so they land in order.
 *
 * @module
 */

import {
  type EpochEntry,
  LEADER_EPOCH_CHECKPOINT,
  readLeaderEpochCheckpoint,
  writeLeaderEpochCheckpoint,
} from "./leader_epoch_checkpoint.ts";

/** Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

/**
 * The leader epoch cache of one partition.
 *
 * @example
 * ```ts
 * const cache = LeaderEpochCache.inMemory();
 * cache.assign(0, 0);
 * cache.assign(3, 50);
 * cache.endOffsetFor(0, 90); // { epoch: 0, endOffset: 50 }
 * cache.endOffsetFor(3, 90); // { epoch: 3, endOffset: 90 }
 * ```
 */
export class LeaderEpochCache {
  #entries: EpochEntry[];
  #writing: Promise<void> = Promise.resolve();

  private constructor(readonly path: string | undefined, entries: EpochEntry[]) {
    this.#entries = entries;
  }

  /** Load `<dir>/leader-epoch-checkpoint` (missing: no entries). */
  static async load(dir: string): Promise<LeaderEpochCache> {
    const path = `${dir}/${LEADER_EPOCH_CHECKPOINT}`;
    return new LeaderEpochCache(path, await readLeaderEpochCheckpoint(path));
  }

  /** A cache with no file (tests, tools). */
  static inMemory(entries: EpochEntry[] = []): LeaderEpochCache {
    return new LeaderEpochCache(undefined, entries.slice());
  }

  /** The entries, oldest first. */
  get entries(): readonly EpochEntry[] {
    return this.#entries;
  }

  /** The latest epoch, or undefined when there is none. */
  get latestEpoch(): number | undefined {
    return this.#entries.at(-1)?.epoch;
  }

  /** The earliest entry, or undefined. */
  get earliestEntry(): EpochEntry | undefined {
    return this.#entries[0];
  }

  /**
   * Record that `epoch` starts at `startOffset`, if it is a new latest epoch (Kafka's assign):
   * true when the entries changed, and the file write was started (see {@linkcode written}).
   */
  assign(epoch: number, startOffset: number): boolean {
    if (epoch < 0) return false;
    const last = this.#entries.at(-1);
    if (last && epoch === last.epoch && startOffset >= last.startOffset) return false;
    // Entries that would break monotonicity belong to a log that was truncated: drop them.
    while (this.#entries.length) {
      const e = this.#entries.at(-1)!;
      if (e.epoch < epoch && e.startOffset < startOffset) break;
      this.#entries.pop();
    }
    this.#entries.push({ epoch, startOffset });
    this.#persist();
    return true;
  }

  /**
   * Kafka's endOffsetFor: for the latest epoch the log end offset; for an older epoch the start
   * offset of the next one (with the epoch found at or below the one asked for); undefined
   * epoch and offset (-1, -1) when the epoch is above every known one or is -1.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): { epoch: number; endOffset: number } {
    const none = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === UNDEFINED_EPOCH) return none;
    if (this.latestEpoch === requestedEpoch) {
      return { epoch: requestedEpoch, endOffset: logEndOffset };
    }
    const higher = this.#entries.findIndex((e) => e.epoch > requestedEpoch);
    if (higher < 0) return none;
    const next = this.#entries[higher];
    if (higher === 0) return { epoch: requestedEpoch, endOffset: next.startOffset };
    return { epoch: this.#entries[higher - 1].epoch, endOffset: next.startOffset };
  }

  /** Drop entries starting at or after `endOffset` (the log was cut there). */
  truncateFromEnd(endOffset: number): void {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => e.startOffset < endOffset);
    if (this.#entries.length !== before) this.#persist();
  }

  /**
   * The log now starts at `startOffset`: entries wholly below it go, and the one it falls in
   * starts there (Kafka's truncateFromStart).
   */
  truncateFromStart(startOffset: number): void {
    let removed = 0;
    while (removed < this.#entries.length && this.#entries[removed].startOffset <= startOffset) {
      removed++;
    }
    if (removed === 0) return;
    const first = { epoch: this.#entries[removed - 1].epoch, startOffset };
    this.#entries = [first, ...this.#entries.slice(removed)];
    this.#persist();
  }

  /** Resolves once every change so far is in the file. */
  written(): Promise<void> {
    return this.#writing;
  }

  #persist(): void {
    const path = this.path;
    if (path === undefined) return;
    const snapshot = this.#entries.slice();
    this.#writing = this.#writing.then(() => writeLeaderEpochCheckpoint(path, snapshot));
    // Whoever awaits written() sees a failure; nobody awaiting must not crash the process.
    this.#writing.catch(() => {});
  }
}
