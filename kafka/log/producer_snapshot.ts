/**
 * Producer state snapshots: `<offset>.snapshot` in a partition directory, byte for byte as Kafka
 * 2.8.2 writes them (ProducerStateManager's PidSnapshotMap schema, version 1):
 *
 * ```
 * version int16 (1) | crc uint32 (CRC-32C of everything after it) | count int32 | count × entry
 * entry (46 bytes): producer_id int64 | epoch int16 | last_sequence int32 | last_offset int64 |
 *   offset_delta int32 | timestamp int64 | coordinator_epoch int32 | current_txn_first_offset int64
 * ```
 *
 * Only each producer's last batch is stored (last_offset -1 when it has none, as after a marker
 * alone). The offset in the name is where the state was taken (exclusive): at a roll the new
 * segment's base offset, at shutdown the log end offset. A snapshot that fails to read (unknown
 * version, bad CRC, too short) is deleted and the next older one tried, as 2.8.2 does.
 *
 * @module
 */
import { crc32c } from "../protocol/records/crc32c.ts";
import { getInt64, setInt64, viewOf } from "./_int64.ts";
import type { ProducerStateEntry } from "./producer_state.ts";
import { parseSegmentFileName, segmentFileName } from "./segment_files.ts";

/** The snapshot format version 2.8.2 writes and reads. */
export const PRODUCER_SNAPSHOT_VERSION = 1;
const CRC_OFFSET = 2;
const ENTRIES_OFFSET = 6;
const ENTRY_SIZE = 46;

/** A snapshot file that cannot be read (Kafka's CorruptSnapshotException). */
export class CorruptSnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptSnapshotError";
  }
}

/**
 * The bytes of a snapshot of `entries`, in the given order (ProducerStateManager.entries()).
 *
 * @example
 * ```ts
 * import { encodeProducerSnapshot } from "./producer_snapshot.ts";
 * encodeProducerSnapshot([]); // 00 01 48 67 4b c7 00 00 00 00: what 2.8.2 writes for no producers
 * ```
 */
export function encodeProducerSnapshot(entries: readonly ProducerStateEntry[]): Uint8Array {
  const out = new Uint8Array(ENTRIES_OFFSET + 4 + entries.length * ENTRY_SIZE);
  const v = viewOf(out);
  v.setInt16(0, PRODUCER_SNAPSHOT_VERSION);
  v.setInt32(ENTRIES_OFFSET, entries.length);
  let p = ENTRIES_OFFSET + 4;
  for (const e of entries) {
    const last = e.batches.at(-1);
    setInt64(v, p, e.producerId);
    v.setInt16(p + 8, e.producerEpoch);
    v.setInt32(p + 10, last ? last.lastSeq : -1);
    setInt64(v, p + 14, last ? last.lastOffset : -1);
    v.setInt32(p + 22, last ? last.offsetDelta : 0);
    setInt64(v, p + 26, e.lastTimestamp);
    v.setInt32(p + 34, e.coordinatorEpoch);
    setInt64(v, p + 38, e.currentTxnFirstOffset);
    p += ENTRY_SIZE;
  }
  v.setUint32(CRC_OFFSET, crc32c(out, ENTRIES_OFFSET));
  return out;
}

/** The producers of a snapshot's bytes; {@link CorruptSnapshotError} when unreadable. */
export function decodeProducerSnapshot(bytes: Uint8Array): ProducerStateEntry[] {
  if (bytes.length < ENTRIES_OFFSET + 4) {
    throw new CorruptSnapshotError(
      `Snapshot failed schema validation: ${bytes.length} bytes, fewer than a header`,
    );
  }
  const v = viewOf(bytes);
  const version = v.getInt16(0);
  if (version !== PRODUCER_SNAPSHOT_VERSION) {
    throw new CorruptSnapshotError(`Snapshot contained an unknown file version ${version}`);
  }
  const stored = v.getUint32(CRC_OFFSET);
  const computed = crc32c(bytes, ENTRIES_OFFSET);
  if (stored !== computed) {
    throw new CorruptSnapshotError(
      `Snapshot is corrupt (CRC is no longer valid). Stored crc: ${stored}. Computed crc: ${computed}`,
    );
  }
  const count = v.getInt32(ENTRIES_OFFSET);
  if (count < 0 || ENTRIES_OFFSET + 4 + count * ENTRY_SIZE > bytes.length) {
    throw new CorruptSnapshotError(
      `Snapshot failed schema validation: ${count} entries do not fit in ${bytes.length} bytes`,
    );
  }
  const out: ProducerStateEntry[] = [];
  for (let i = 0, p = ENTRIES_OFFSET + 4; i < count; i++, p += ENTRY_SIZE) {
    const lastOffset = getInt64(v, p + 14);
    const timestamp = getInt64(v, p + 26);
    out.push({
      producerId: getInt64(v, p),
      producerEpoch: v.getInt16(p + 8),
      coordinatorEpoch: v.getInt32(p + 34),
      lastTimestamp: timestamp,
      currentTxnFirstOffset: Math.max(-1, getInt64(v, p + 38)),
      batches: lastOffset >= 0
        ? [{ lastSeq: v.getInt32(p + 10), lastOffset, offsetDelta: v.getInt32(p + 22), timestamp }]
        : [],
    });
  }
  return out;
}

/** What a caller is told about a snapshot it could not read (and deleted). */
export type SnapshotWarning = (message: string) => void;

/**
 * The `.snapshot` files of one partition directory (Kafka's ProducerStateManager file side).
 *
 * @example
 * ```ts ignore
 * const files = await ProducerSnapshotFiles.open(dir);
 * await files.write(120, psm.entries());
 * const latest = await files.readLatest(console.warn); // { offset: 120, entries }
 * ```
 */
export class ProducerSnapshotFiles {
  private constructor(readonly dir: string, private offsets: number[]) {}

  /** Lists the snapshots in `dir` (a missing dir has none). */
  static async open(dir: string): Promise<ProducerSnapshotFiles> {
    return new ProducerSnapshotFiles(dir, await listSnapshots(dir));
  }

  /** The snapshot offsets, ascending. */
  list(): readonly number[] {
    return this.offsets;
  }

  /** The newest snapshot's offset. */
  latest(): number | undefined {
    return this.offsets.at(-1);
  }

  /** The oldest snapshot's offset. */
  oldest(): number | undefined {
    return this.offsets[0];
  }

  /** The path of the snapshot at `offset`. */
  path(offset: number): string {
    return `${this.dir}/${segmentFileName(offset, "snapshot")}`;
  }

  /** Writes (and fsyncs) the snapshot of `entries` at `offset`. */
  async write(offset: number, entries: readonly ProducerStateEntry[]): Promise<void> {
    // Encoded before the first await: the caller's state may change while the file is written.
    const bytes = encodeProducerSnapshot(entries);
    const f = await Deno.open(this.path(offset), { create: true, write: true, truncate: true });
    try {
      for (let n = 0; n < bytes.length;) n += await f.write(bytes.subarray(n));
      await f.sync();
    } finally {
      f.close();
    }
    if (!this.offsets.includes(offset)) {
      this.offsets.push(offset);
      this.offsets.sort((a, b) => a - b);
    }
  }

  /**
   * The newest readable snapshot: one that fails to read is reported to `warn`, deleted, and the
   * next older one tried (Kafka's loadFromSnapshot).
   */
  async readLatest(
    warn: SnapshotWarning = () => {},
  ): Promise<{ offset: number; entries: ProducerStateEntry[] } | undefined> {
    for (let offset = this.latest(); offset !== undefined; offset = this.latest()) {
      try {
        return { offset, entries: decodeProducerSnapshot(await Deno.readFile(this.path(offset))) };
      } catch (e) {
        if (!(e instanceof CorruptSnapshotError)) throw e;
        warn(`Failed to load producer snapshot from '${this.path(offset)}': ${e.message}`);
        await this.delete(offset);
      }
    }
    return undefined;
  }

  /** Deletes the snapshot at `offset`, if there is one. */
  async delete(offset: number): Promise<void> {
    const i = this.offsets.indexOf(offset);
    if (i < 0) return;
    this.offsets.splice(i, 1);
    await Deno.remove(this.path(offset)).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }

  /** Deletes the snapshots below `offset` (Kafka's deleteSnapshotsBefore). */
  async deleteBefore(offset: number): Promise<void> {
    for (const o of this.offsets.filter((x) => x < offset)) await this.delete(o);
  }

  /**
   * Deletes snapshots without a segment of the same base offset, except the newest such one when
   * it is above every segment (the one a clean shutdown wrote): Kafka's removeStraySnapshots,
   * run when a log is loaded.
   */
  async removeStray(segmentBaseOffsets: readonly number[]): Promise<void> {
    this.offsets = await listSnapshots(this.dir);
    const bases = new Set(segmentBaseOffsets);
    const maxBase = segmentBaseOffsets.length ? Math.max(...segmentBaseOffsets) : undefined;
    let stray: number | undefined;
    for (const o of [...this.offsets]) {
      if (bases.has(o)) continue;
      if (stray !== undefined) await this.delete(stray);
      stray = o;
    }
    if (stray !== undefined && maxBase !== undefined && stray < maxBase) await this.delete(stray);
  }
}

async function listSnapshots(dir: string): Promise<number[]> {
  const out: number[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      const f = parseSegmentFileName(e.name);
      if (e.isFile && f?.kind === "snapshot" && f.suffix === "") out.push(Number(f.offset));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a - b);
}
