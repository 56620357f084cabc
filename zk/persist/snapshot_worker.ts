/**
 * The worker that takes background snapshots (see snapshot_patch.ts), so that the server's own
 * thread spends no time on them. One message in, one out: `{ dataDir, dataLogDir, upTo }` →
 * `{ ok: true, path, … }` or `{ ok: false, error }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { patchSnapshot } from "./snapshot_patch.ts";

/** What the store asks of the worker. */
export interface SnapshotJob {
  dataDir: string;
  dataLogDir: string;
  upTo: number;
}

self.onmessage = async (e: MessageEvent<SnapshotJob>) => {
  const { dataDir, dataLogDir, upTo } = e.data;
  try {
    const r = await patchSnapshot(dataDir, dataLogDir, upTo);
    self.postMessage({ ok: true, ...r });
  } catch (err) {
    self.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
