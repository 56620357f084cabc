/** The version-2 directories and the log/snapshot files in them, sorted by zxid. */
import { zxidOfName } from "./txn_log.ts";

export interface ZxidFile {
  path: string;
  zxid: number;
}

export function versionDir(dir: string): string {
  return `${dir}/version-2`;
}

/** Files named `<prefix>.<zxid hex>` in `dir`, ascending by zxid. */
export function listZxidFiles(dir: string, prefix: "log" | "snapshot"): ZxidFile[] {
  const out: ZxidFile[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (!e.isFile) continue;
      const z = zxidOfName(e.name, prefix);
      if (z !== null) out.push({ path: `${dir}/${e.name}`, zxid: z });
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a.zxid - b.zxid);
}

/**
 * The log files that may hold txns after `zxid`: the one that holds zxid + 1 (the last starting at
 * or before it), and all later. A log that ends at `zxid` itself is left out: the log rolls when a
 * snapshot is taken, so counting it would have every snapshot patch re-read a whole log of txns
 * the snapshot already holds.
 */
export function logsAfter(logs: ZxidFile[], zxid: number): ZxidFile[] {
  let start = 0;
  for (let i = 0; i < logs.length; i++) if (logs[i].zxid <= zxid + 1) start = i;
  return logs.slice(start);
}
