/**
 * Purging old files as Apache's PurgeTxnLog: keep the newest `retain` snapshots and the logs
 * needed to replay from the oldest of them; delete the rest.
 */
import { listZxidFiles, versionDir } from "./files.ts";

export interface PurgeResult {
  removed: string[];
}

export async function purge(
  dataDir: string,
  dataLogDir: string,
  retain: number,
): Promise<PurgeResult> {
  if (retain < 3) throw new Error(`snapRetainCount must be at least 3 (was ${retain})`);
  const snaps = listZxidFiles(versionDir(dataDir), "snapshot");
  const removed: string[] = [];
  if (snaps.length <= retain) return { removed };
  const keepFrom = snaps[snaps.length - retain].zxid;
  for (const s of snaps) {
    if (s.zxid < keepFrom) {
      await Deno.remove(s.path);
      removed.push(s.path);
    }
  }
  const logs = listZxidFiles(versionDir(dataLogDir), "log");
  // The newest log starting at or before the oldest kept snapshot holds txns it needs.
  let needed = -1;
  for (let i = 0; i < logs.length; i++) if (logs[i].zxid <= keepFrom) needed = i;
  for (let i = 0; i < needed; i++) {
    await Deno.remove(logs[i].path);
    removed.push(logs[i].path);
  }
  return { removed };
}
