/**
 * A partition's producer state with its `.snapshot` files: what Kafka 2.8.2's Log does with its
 * ProducerStateManager at load, roll, truncation and shutdown, over herd's pure
 * {@link ProducerStateManager} and {@link ProducerSnapshotFiles}. The partition log owns the
 * segments; it lends them through {@link ProducerStateLogView} when the state must be rebuilt.
 *
 * @module
 */
import { producerBatches } from "./producer_batch.ts";
import { DEFAULT_PRODUCER_ID_EXPIRATION_MS, ProducerStateManager } from "./producer_state.ts";
import { ProducerSnapshotFiles, type SnapshotWarning } from "./producer_snapshot.ts";

/** The segments, as rebuilding producer state reads them. */
export interface ProducerStateLogView {
  readonly logStartOffset: number;
  /** Base offsets of the segments, ascending. */
  segmentBaseOffsets(): readonly number[];
  /**
   * Whole batches of the segment based at `base`, from the one holding `fromOffset`, stopping
   * before the batch holding `toOffset` (all of the segment when `toOffset` is past its end).
   */
  readSegment(base: number, fromOffset: number, toOffset: number): Promise<Uint8Array>;
}

/**
 * One partition's producer state and snapshots.
 *
 * @example
 * ```ts ignore
 * const store = await ProducerStateStore.open(dir, "t-0", config.transactionalIdExpirationMs);
 * await store.rebuild(logView, logEndOffset, hadCleanShutdown, clock.now(), warn);
 * // each append: store.state.prepareAppend / commitAppend; at a roll to `base`:
 * await store.snapshotAt(base);
 * ```
 */
export class ProducerStateStore {
  private constructor(
    readonly state: ProducerStateManager,
    readonly files: ProducerSnapshotFiles,
  ) {}

  /** The state (empty) and the snapshots found in `dir`. */
  static async open(
    dir: string,
    topicPartition: string,
    maxProducerIdExpirationMs = DEFAULT_PRODUCER_ID_EXPIRATION_MS,
  ): Promise<ProducerStateStore> {
    return new ProducerStateStore(
      new ProducerStateManager(topicPartition, maxProducerIdExpirationMs),
      await ProducerSnapshotFiles.open(dir),
    );
  }

  /** Writes a snapshot at the map end offset unless one is there already (Kafka's takeSnapshot). */
  async takeSnapshot(): Promise<void> {
    if (!this.state.snapshotDue) return;
    const offset = this.state.mapEndOffset;
    // The state is read and marked synchronously, so a caller that does not await (a roll in the
    // middle of appends) snapshots the state as it is now, once.
    const written = this.files.write(offset, this.state.entries());
    this.state.snapshotTaken(offset);
    await written;
  }

  /**
   * The snapshot at a roll: the new segment's base offset may be ahead of the state, so the
   * state is moved there first (Log.roll).
   */
  async snapshotAt(offset: number): Promise<void> {
    this.state.updateMapEndOffset(offset);
    await this.takeSnapshot();
  }

  /**
   * Drops snapshots outside (logStartOffset, logEndOffset] and, unless the state is already at
   * the log end, reloads it from the newest readable snapshot (corrupt ones are reported and
   * deleted) or starts empty at the log start (Kafka's truncateAndReload).
   */
  async truncateAndReload(
    logStartOffset: number,
    logEndOffset: number,
    now: number,
    warn?: SnapshotWarning,
  ): Promise<void> {
    for (const o of [...this.files.list()]) {
      if (o > logEndOffset || o <= logStartOffset) await this.files.delete(o);
    }
    if (logEndOffset === this.state.mapEndOffset) {
      this.state.onLogStartOffsetIncremented(logStartOffset, this.files.latest());
      return;
    }
    const latest = await this.files.readLatest(warn);
    if (latest) this.state.loadSnapshot(latest.entries, latest.offset, now);
    else this.state.loadSnapshot([], logStartOffset, now);
  }

  /**
   * Brings the state to `lastOffset` at load or after truncation (Kafka's
   * Log.rebuildProducerState for message format v2): from the newest snapshot, reading the
   * segments after it and snapshotting at the last two segments' bases and at the end. After a
   * clean shutdown with no snapshot at all (a log written before idempotence) it only writes empty
   * snapshots there instead of scanning the log.
   */
  async rebuild(
    log: ProducerStateLogView,
    lastOffset: number,
    reloadFromCleanShutdown: boolean,
    now: number,
    warn?: SnapshotWarning,
  ): Promise<void> {
    const bases = log.segmentBaseOffsets();
    const toSnapshot = bases.length > 0
      ? [
        ...(bases.length > 1 ? [bases[bases.length - 2]] : []),
        bases[bases.length - 1],
        lastOffset,
      ]
      : [lastOffset];
    if (this.files.latest() === undefined && reloadFromCleanShutdown) {
      for (const o of toSnapshot) await this.snapshotAt(o);
      return;
    }
    const emptyBefore = this.state.isEmpty && this.state.mapEndOffset >= lastOffset;
    await this.truncateAndReload(log.logStartOffset, lastOffset, now, warn);
    if (lastOffset > this.state.mapEndOffset && !emptyBefore) {
      const from = this.state.mapEndOffset;
      for (let i = 0; i < bases.length; i++) {
        const base = bases[i];
        const next = bases[i + 1] ?? Infinity;
        if (next <= from || base >= lastOffset) continue; // Kafka's logSegments(from, lastOffset)
        const start = Math.max(base, this.state.mapEndOffset, log.logStartOffset);
        this.state.updateMapEndOffset(start);
        if (toSnapshot.includes(base)) await this.takeSnapshot();
        this.state.loadFromLog(producerBatches(await log.readSegment(base, start, lastOffset)));
      }
    }
    this.state.updateMapEndOffset(lastOffset);
    await this.takeSnapshot();
  }

  /** Forgets all state and deletes every snapshot (Kafka's truncateFullyAndStartAt). */
  async truncateFullyAndStartAt(offset: number): Promise<void> {
    for (const o of [...this.files.list()]) await this.files.delete(o);
    this.state.truncateFullyAndStartAt(offset);
  }
}
