/**
 * TRUNC's effect on disk (quorum-protocol.md §4.3 step 1, Apache's FileTxnLog.truncate): every
 * logged txn after `zxid` goes — the log holding zxid is cut just after it, later logs and the
 * snapshots newer than zxid are removed — so recovery then rebuilds the tree up to zxid.
 *
 * @module
 */
import { JuteReader } from "../jute/reader.ts";
import { readTxnHeader } from "../persist/txn_codec.ts";
import { listZxidFiles, versionDir } from "../persist/files.ts";
import { readLogBytes } from "../persist/txn_log.ts";

const HEADER_LEN = 16;

/**
 * Where the first entry after `zxid` starts in a log's bytes, or null when there is none (the
 * zeros of preallocation, or a torn tail, end the entries as they end recovery's read).
 */
function cutAt(bytes: Uint8Array, zxid: number): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = HEADER_LEN;
  while (off + 12 <= bytes.length) {
    const len = view.getInt32(off + 8);
    if (len <= 0 || off + 12 + len + 1 > bytes.length) return null;
    const hdr = readTxnHeader(new JuteReader(bytes, off + 12, off + 12 + len));
    if (hdr.zxid > zxid) return off;
    off += 12 + len + 1;
  }
  return null;
}

/** Drops every txn after `zxid` from the logs in dataLogDir and the snapshots after it in dataDir. */
export async function truncateLog(
  dataDir: string,
  dataLogDir: string,
  zxid: number,
): Promise<void> {
  const logs = listZxidFiles(versionDir(dataLogDir), "log");
  for (const log of logs) {
    if (log.zxid > zxid) {
      await Deno.remove(log.path);
      continue;
    }
    const bytes = readLogBytes(log.path);
    const end = cutAt(bytes, zxid);
    if (end !== null) await Deno.truncate(log.path, end);
  }
  for (const snap of listZxidFiles(versionDir(dataDir), "snapshot")) {
    if (snap.zxid > zxid) await Deno.remove(snap.path);
  }
}
