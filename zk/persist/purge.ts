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
  // As 3.8's PurgeTxnLog: only snapshots that end in the seal count towards `retain`, and with
  // fewer of them than `retain` the oldest one still bounds the logs kept.
  const sealed: number[] = [];
  for (const s of snaps) if (await endsWithSeal(s.path)) sealed.push(s.zxid);
  if (sealed.length === 0) return { removed };
  const keepFrom = sealed[Math.max(0, sealed.length - retain)];
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

/** SnapStream.isValidSnapshot's cheap test: at least 10 bytes, ending in the string "/". */
async function endsWithSeal(path: string): Promise<boolean> {
  const f = await Deno.open(path, { read: true });
  try {
    const size = (await f.stat()).size;
    if (size < 10) return false;
    await f.seek(size - 5, Deno.SeekMode.Start);
    const tail = new Uint8Array(5);
    let n = 0;
    while (n < 5) {
      const got = await f.read(tail.subarray(n));
      if (got === null) return false;
      n += got;
    }
    return tail.join(",") === "0,0,0,1,47";
  } finally {
    f.close();
  }
}
