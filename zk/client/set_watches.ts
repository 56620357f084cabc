/**
 * SetWatches2 after a reconnect: every registered watch path, relative to the last zxid seen,
 * so the server re-arms them and fires those whose nodes changed while we were away.
 */
import { OpCode, type SetWatchesRequest } from "../jute/mod.ts";
import type { WatchKind, WatchPaths } from "./watches.ts";

/** Apache's client splits SetWatches at this many path bytes, well under jute.maxbuffer. */
export const SET_WATCHES_MAX_PATH_BYTES = 128 * 1024;

const KINDS: readonly WatchKind[] = [
  "data",
  "exist",
  "child",
  "persistent",
  "persistentRecursive",
];

/**
 * The SetWatches2 requests carrying `paths`, split so each holds at most
 * SET_WATCHES_MAX_PATH_BYTES of path characters (one oversized path still goes alone).
 *
 * @example
 * ```ts
 * import { setWatchesBatches } from "./set_watches.ts";
 * const [req] = setWatchesBatches(
 *   { data: ["/a"], exist: [], child: [], persistent: [], persistentRecursive: [] },
 *   42,
 * );
 * // req.relativeZxid === 42, req.dataWatches = ["/a"]
 * ```
 */
export function setWatchesBatches(
  paths: WatchPaths,
  relativeZxid: number,
  maxBytes = SET_WATCHES_MAX_PATH_BYTES,
): SetWatchesRequest[] {
  const out: SetWatchesRequest[] = [];
  let batch = emptyBatch();
  let bytes = 0;
  const flush = () => {
    out.push({
      type: OpCode.setWatches2,
      relativeZxid,
      dataWatches: batch.data,
      existWatches: batch.exist,
      childWatches: batch.child,
      persistentWatches: batch.persistent,
      persistentRecursiveWatches: batch.persistentRecursive,
    });
    batch = emptyBatch();
    bytes = 0;
  };
  for (const kind of KINDS) {
    for (const p of paths[kind]) {
      if (bytes > 0 && bytes + p.length > maxBytes) flush();
      batch[kind].push(p);
      bytes += p.length;
    }
  }
  if (bytes > 0) flush();
  return out;
}

function emptyBatch(): WatchPaths {
  return { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };
}
