/**
 * The file renames that swap a cleaned segment into a partition dir, in Kafka 2.8.2's order
 * (Log.replaceSegments), each step leaving a state the loader finishes or undoes after a crash:
 *
 * 1. `<base>.{log,index,timeindex,txnindex}.cleaned` → `.swap` (a crash before: the `.cleaned`
 *    files are strays the loader deletes, the old segments stay);
 * 2. the old segments → `.deleted` (a crash before or after: the loader installs the `.log.swap`
 *    in place of the segments it covers and rebuilds its indexes);
 * 3. `.swap` → the plain names (a crash midway: the `.log` is live, a leftover index `.swap` is
 *    deleted and the index rebuilt).
 *
 * @module
 */

import { type SegmentFileKind, segmentFileName, type TransientSuffix } from "./segment_files.ts";

/** The step just finished (for crash tests): "cleaned" is before the first rename. */
export type SwapStep = "cleaned" | "swap" | "deleted" | "installed";

/** The kinds a cleaned segment has, the `.log` first (Kafka renames it first). */
export const CLEANED_KINDS: readonly SegmentFileKind[] = ["log", "index", "timeindex", "txnindex"];

/** Rename a segment's files from one suffix to another (missing ones skipped), then fsync the dir. */
export function renameSegmentFiles(
  dir: string,
  base: number,
  from: TransientSuffix,
  to: TransientSuffix,
): void {
  for (const k of CLEANED_KINDS) {
    try {
      Deno.renameSync(
        `${dir}/${segmentFileName(base, k, from)}`,
        `${dir}/${segmentFileName(base, k, to)}`,
      );
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  syncDir(dir);
}

/** Remove a segment's files with `suffix` (a cleaning that was given up). */
export function removeSegmentFiles(dir: string, base: number, suffix: TransientSuffix): void {
  for (const k of CLEANED_KINDS) {
    try {
      Deno.removeSync(`${dir}/${segmentFileName(base, k, suffix)}`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
}

function syncDir(dir: string): void {
  let f: Deno.FsFile | undefined;
  try {
    f = Deno.openSync(dir, { read: true });
    f.syncSync();
  } catch {
    // Some filesystems refuse to fsync a directory; the renames are still atomic.
  } finally {
    f?.close();
  }
}
