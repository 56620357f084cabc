/**
 * Loading a partition directory at start (Kafka 2.8.2's Log.loadSegments and recoverLog, with
 * herd's recovery rule): leftovers of interrupted deletes, cleanings and swaps are dealt with as
 * Kafka does, missing or corrupt indexes are rebuilt from the `.log`, and the segments after the
 * recovery point (all of them after a crash, without `.kafka_cleanshutdown`) are validated batch by
 * batch. A torn tail is cut; damage followed by valid data is refused with a SegmentDamageError
 * before any file is changed (segment_recovery.ts).
 *
 * @module
 */

import { RecordBatch } from "../protocol/records/record_batch.ts";
import { isLegacyMessageValid } from "../protocol/records/legacy.ts";
import type { Logger } from "../../internal/log.ts";
import { OffsetIndex } from "./offset_index.ts";
import { TimeIndex } from "./time_index.ts";
import { rebuildIndexes } from "./segment_indexer.ts";
import {
  type BatchValidator,
  planRecovery,
  type SegmentInput,
  type SegmentScan,
} from "./segment_recovery.ts";
import { parseSegmentFileName, segmentFileName } from "./segment_files.ts";

/**
 * The records codec's integrity check for one batch or legacy message: the v2 CRC-32C or the
 * v0/v1 CRC-32.
 */
export const codecBatchValidator: BatchValidator = (batch, h) => {
  try {
    if (h.magic === 2) {
      const b = new RecordBatch(batch);
      return b.isValid()
        ? undefined
        : `CRC mismatch (stored ${b.header.crc}, computed ${b.computeChecksum()})`;
    }
    return isLegacyMessageValid(batch, 0) ? undefined : "CRC mismatch";
  } catch (e) {
    return (e as Error).message;
  }
};

/** What loading needs. */
export interface LoadOptions {
  /** Where recovery starts (the recovery-point-offset-checkpoint's entry, or 0). */
  recoveryPoint: number;
  hadCleanShutdown: boolean;
  indexIntervalBytes: number;
  maxIndexSize: number;
  /** `[Log partition=t-0, dir=/x]`, for log lines. */
  logIdent: string;
  log?: Logger;
}

/** The segments found, each sound once loading is done. */
export interface LoadedSegments {
  /** Base offsets of the segments, in order. */
  baseOffsets: number[];
  /** Whether any segment was recovered (then its data and indexes were fsynced). */
  recovered: boolean;
  /**
   * The segments recovered, ascending: their `.txnindex` and the producer state are rebuilt from
   * their batches by the partition log (Kafka's recoverSegment).
   */
  recoveredBaseOffsets: number[];
}

const LOGGER = "kafka.log.Log";

function removeIfExists(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Why a segment's indexes must be rebuilt, or undefined when they pass Kafka's sanity check. */
function indexProblem(dir: string, base: number): string | undefined {
  const offsetPath = `${dir}/${segmentFileName(base, "index")}`;
  const timePath = `${dir}/${segmentFileName(base, "timeindex")}`;
  if (!exists(offsetPath)) return `Could not find offset index file corresponding to log file`;
  if (!exists(timePath)) return `Could not find time index file corresponding to log file`;
  try {
    OffsetIndex.fromBytes(base, Deno.readFileSync(offsetPath), offsetPath).sanityCheck();
    TimeIndex.fromBytes(base, Deno.readFileSync(timePath), timePath).sanityCheck();
  } catch (e) {
    return `Found a corrupted index file corresponding to log file due to ${(e as Error).message}`;
  }
  return undefined;
}

/**
 * Bring a partition dir's segment files into a state a PartitionLog can open. Throws
 * SegmentDamageError (nothing changed) when recovery would have to cut valid data.
 */
export async function loadSegmentFiles(dir: string, o: LoadOptions): Promise<LoadedSegments> {
  const info = (msg: string) => o.log?.info(LOGGER, `${o.logIdent} ${msg}`);
  const names = [...Deno.readDirSync(dir)].filter((e) => e.isFile).map((e) => e.name);
  // Kafka's removeTempFilesAndCollectSwapFiles: an interrupted delete or clean is dropped; a
  // finished swap (a cleaned or split segment) is installed in place of what it replaces.
  // Removals wait until the recovery plan is made, so a refusal leaves every file as it was.
  const swaps: number[] = [];
  const strays: string[] = [];
  for (const name of names) {
    const f = parseSegmentFileName(name);
    if (!f) continue;
    if (f.suffix === ".deleted" || f.suffix === ".cleaned") strays.push(name);
    else if (f.suffix === ".swap") {
      if (f.kind === "log") swaps.push(f.offset);
      else strays.push(name);
    }
  }
  const listed = () =>
    [...Deno.readDirSync(dir)].map((e) => parseSegmentFileName(e.name))
      .filter((f) => f !== undefined && f.suffix === "");
  for (const base of swaps) {
    installSwap(
      dir,
      base,
      listed().filter((f) => f!.kind === "log")
        .map((f) => f!.offset),
    );
  }

  const files = listed();
  const bases = files.filter((f) => f!.kind === "log").map((f) => f!.offset).sort((a, b) => a - b);
  const baseSet = new Set(bases);
  const orphans = files.filter((f) =>
    (f!.kind === "index" || f!.kind === "timeindex" || f!.kind === "txnindex") &&
    !baseSet.has(f!.offset)
  );

  // Which segments must be scanned: from the recovery point's segment after a crash, and any
  // whose indexes are missing or fail the sanity check (with every segment after it, so damage
  // there followed by valid data later is seen).
  let scanFrom = bases.length;
  const problems = new Map<number, string>();
  for (let i = 0; i < bases.length; i++) {
    const p = indexProblem(dir, bases[i]);
    if (p !== undefined) {
      problems.set(bases[i], p);
      scanFrom = Math.min(scanFrom, i);
    }
  }
  if (!o.hadCleanShutdown && bases.length > 0) {
    let rp = 0;
    while (rp + 1 < bases.length && bases[rp + 1] <= o.recoveryPoint) rp++;
    scanFrom = Math.min(scanFrom, rp);
  }
  const inputs: SegmentInput[] = [];
  for (const base of bases.slice(scanFrom)) {
    const path = `${dir}/${segmentFileName(base, "log")}`;
    inputs.push({ baseOffset: base, bytes: await Deno.readFile(path), name: path });
  }
  // Throws before anything below changes a file.
  const plan = planRecovery(inputs, codecBatchValidator);

  for (const name of strays) {
    info(`Deleting stray temporary file ${dir}/${name}`);
    removeIfExists(`${dir}/${name}`);
  }
  for (const f of orphans) {
    const path = `${dir}/${segmentFileName(f!.offset, f!.kind)}`;
    info(`Found an orphaned index file ${path}, with no corresponding log file.`);
    removeIfExists(path);
  }
  if (inputs.length === 0) {
    return { baseOffsets: bases, recovered: false, recoveredBaseOffsets: [] };
  }

  const deleted = new Set(plan.deleteSegments);
  for (let i = 0; i < inputs.length; i++) {
    const base = inputs[i].baseOffset;
    if (deleted.has(base)) {
      info(`Deleting segment ${base} after a torn tail: it holds no valid batch`);
      for (const k of ["log", "index", "timeindex", "txnindex"] as const) {
        removeIfExists(`${dir}/${segmentFileName(base, k)}`);
      }
      continue;
    }
    const scan: SegmentScan = plan.scans[i];
    const problem = problems.get(base);
    if (problem) {
      info(`${problem} ${inputs[i].name}, recovering segment and rebuilding index files...`);
    } else info(`Recovering unflushed segment ${base}`);
    if (plan.truncate?.baseOffset === base) {
      const t = plan.truncate;
      o.log?.warn(
        LOGGER,
        `${o.logIdent} Found invalid messages in log segment ${inputs[i].name} at byte offset ` +
          `${t.damage.position}: ${t.damage.reason}. Cutting the torn tail of ` +
          `${inputs[i].bytes.length - t.validBytes} bytes.`,
      );
      const file = await Deno.open(inputs[i].name!, { write: true });
      try {
        await file.truncate(t.validBytes);
        await file.syncData();
      } finally {
        file.close();
      }
    }
    rebuildSegmentIndexes(dir, base, scan, o);
  }
  return {
    baseOffsets: bases.filter((b) => !deleted.has(b)),
    recovered: true,
    recoveredBaseOffsets: inputs.map((i) => i.baseOffset).filter((b) => !deleted.has(b)),
  };
}

/** Replace a segment's index files with ones rebuilt from its scanned batches, fsynced. */
function rebuildSegmentIndexes(dir: string, base: number, scan: SegmentScan, o: LoadOptions): void {
  const offsetPath = `${dir}/${segmentFileName(base, "index")}`;
  const timePath = `${dir}/${segmentFileName(base, "timeindex")}`;
  removeIfExists(offsetPath);
  removeIfExists(timePath);
  const offsets = OffsetIndex.open(offsetPath, base, o.maxIndexSize);
  const times = TimeIndex.open(timePath, base, o.maxIndexSize);
  try {
    rebuildIndexes(scan.batches, offsets, times, o.indexIntervalBytes, o.maxIndexSize);
    offsets.flush();
    times.flush();
  } finally {
    offsets.close();
    times.close();
  }
}

/**
 * Install `<base>.log.swap`: the segments it covers (base offsets from `base` up to its last
 * offset) are removed and the swap file takes their place; its indexes are rebuilt later.
 */
function installSwap(dir: string, base: number, liveBases: number[]): void {
  const swapPath = `${dir}/${segmentFileName(base, "log", ".swap")}`;
  const bytes = Deno.readFileSync(swapPath);
  const plan = planRecovery([{ baseOffset: base, bytes, name: swapPath }], codecBatchValidator);
  const last = plan.scans[0].batches.at(-1)?.lastOffset ?? base;
  for (const b of liveBases) {
    if (b < base || b > last) continue;
    for (const k of ["log", "index", "timeindex", "txnindex"] as const) {
      removeIfExists(`${dir}/${segmentFileName(b, k)}`);
    }
  }
  Deno.renameSync(swapPath, `${dir}/${segmentFileName(base, "log")}`);
}
