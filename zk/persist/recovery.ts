/**
 * Recovery at start: the newest snapshot that reads back whole, then every logged txn after it.
 * A torn tail of the last log (bad bytes with nothing intact after them) is cut off, never
 * applied, and kept aside. Anything else that would lose txns stops the start with a
 * RecoveryError and changes no file: damage followed by intact entries, damage in a log that is
 * not the last, a gap in the zxids, an unreadable newest snapshot the logs do not reach past.
 */
import { OpCode } from "../jute/opcodes.ts";
import { DataTree } from "../tree/data_tree.ts";
import { listZxidFiles, logsAfter, versionDir, type ZxidFile } from "./files.ts";
import { dataEnd, findIntactEntry, hasDataAfter } from "./log_damage.ts";
import { readSnapshot, snapshotName } from "./snapshot.ts";
import { readLogBytes, scanLogFile } from "./txn_log.ts";
import type { DigestCheck } from "./digest_check.ts";
import type { ZxidDigest } from "../tree/digest.ts";

export interface Recovered {
  tree: DataTree;
  /** Live sessions and their timeouts. */
  sessions: Map<bigint, number>;
  snapshotZxid: number;
  txnsReplayed: number;
  /** What recovery had to cut or skip, for the log. */
  notes: string[];
}

export class RecoveryError extends Error {
  override name = "RecoveryError";
}

/** The dataDir or dataLogDir cannot be made or used (Apache's DatadirException). */
export class DataDirError extends Error {
  override name = "DataDirError";
}

/** `digest`, when given, checks the snapshot's and the log's data-tree digests as Apache does. */
export async function recover(
  dataDir: string,
  dataLogDir: string,
  digest?: DigestCheck,
): Promise<Recovered> {
  const snapDir = versionDir(dataDir);
  const logDir = versionDir(dataLogDir);
  for (const dir of [snapDir, logDir]) {
    try {
      await Deno.mkdir(dir, { recursive: true });
    } catch (e) {
      throw new DataDirError(`Unable to create data directory ${dir}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
  const notes: string[] = [];
  const loaded = await loadNewestSnapshot(snapDir, notes);
  const { tree, sessions, snapshotZxid, skipped } = loaded;
  if (loaded.found) digest?.snapshotRead(loaded.digest, snapshotZxid, tree);
  const logs = logsAfter(listZxidFiles(logDir, "log"), snapshotZxid);
  let replayed = 0;
  // A torn tail is cut only once every check has passed: a refusal changes no file.
  let cut: TornTail | null = null;
  for (let i = 0; i < logs.length; i++) {
    const f = logs[i];
    const last = i === logs.length - 1;
    let bytes = readLogBytes(f.path);
    let entries = 0;
    const contents = scanLogFile(bytes, (e) => {
      entries++;
      if (e.hdr.zxid <= tree.lastProcessedZxid) return;
      assertFollows(f.path, tree.lastProcessedZxid, e.hdr.zxid);
      if (e.hdr.type === OpCode.createSession && e.txn.type === OpCode.createSession) {
        sessions.set(e.hdr.clientId, e.txn.timeOut);
      } else if (e.hdr.type === OpCode.closeSession) {
        sessions.delete(e.hdr.clientId);
      }
      tree.apply(e.hdr, e.txn);
      digest?.replayed(e, tree);
      replayed++;
    });
    const end = contents.end;
    if (!last) {
      if (end.kind === "torn") {
        throw new RecoveryError(
          `${f.path}: corrupt at byte ${end.offset} (${end.reason}) but newer logs follow; refusing to start. ${UNCHANGED}`,
        );
      }
      continue;
    }
    // What lies past the newest log's last good entry: only zeros (preallocation) for a clean
    // log, a torn write's leftovers, or damage with intact (maybe acknowledged) txns after it.
    if (end.kind === "eof" && !hasDataAfter(f.path, contents.goodEnd)) continue;
    bytes = await Deno.readFile(f.path);
    const later = findIntactEntry(bytes, contents.goodEnd);
    if (later !== null) {
      const what = end.kind === "torn"
        ? `${end.reason} at byte ${end.offset}`
        : `zeros where an entry should start at byte ${contents.goodEnd}`;
      throw new RecoveryError(
        `${f.path}: ${what}, yet an intact txn (zxid 0x${
          later.zxid.toString(16)
        }) follows at byte ${later.offset}: ` +
          `the txns after the damage may have been acknowledged, so recovery will not cut them; refusing to start. ${UNCHANGED} ` +
          `Restore the file from a backup, or keep the txns up to 0x${
            tree.lastProcessedZxid.toString(16)
          } with zk-txnlog --chop --zxid.`,
      );
    }
    if (end.kind === "torn") {
      cut = { path: f.path, bytes, goodEnd: contents.goodEnd, reason: end.reason, entries };
    }
  }
  for (const s of skipped) {
    if (tree.lastProcessedZxid < s.zxid) {
      throw new RecoveryError(
        `${s.path} is unreadable and the txn logs after ${
          snapshotName(snapshotZxid)
        } reach only zxid 0x${
          tree.lastProcessedZxid.toString(16)
        }: starting from the older snapshot would lose txns; refusing to start. ${UNCHANGED}`,
      );
    }
  }
  digest?.finished(tree.lastProcessedZxid);
  if (cut !== null) notes.push(await cutTornTail(cut));
  return { tree, sessions, snapshotZxid, txnsReplayed: replayed, notes };
}

const UNCHANGED = "No file was changed.";

interface Loaded {
  tree: DataTree;
  sessions: Map<bigint, number>;
  snapshotZxid: number;
  /** Newer snapshots that did not read back whole: the logs must reach past each of them. */
  skipped: ZxidFile[];
  /** Whether a snapshot was read (else the tree is a fresh one). */
  found: boolean;
  /** The digest the snapshot recorded, if it has one. */
  digest?: ZxidDigest;
}

/** The newest snapshot that reads back whole; a fresh tree when there is none at all. */
async function loadNewestSnapshot(snapDir: string, notes: string[]): Promise<Loaded> {
  const sessions = new Map<bigint, number>();
  const snaps = listZxidFiles(snapDir, "snapshot").reverse();
  const skipped: ZxidFile[] = [];
  for (const s of snaps) {
    try {
      const loaded = readSnapshot(await Deno.readFile(s.path), s.zxid);
      for (const x of loaded.sessions) sessions.set(x.id, x.timeout);
      return {
        tree: loaded.tree,
        sessions,
        snapshotZxid: s.zxid,
        skipped,
        found: true,
        digest: loaded.digest,
      };
    } catch (e) {
      notes.push(`Invalid snapshot ${s.path}, skipping: ${(e as Error).message}`);
      skipped.push(s);
    }
  }
  if (snaps.length > 0) {
    throw new RecoveryError(
      `no valid snapshot in ${snapDir}: ${notes.join("; ")}; refusing to start. ${UNCHANGED}`,
    );
  }
  return { tree: new DataTree(), sessions, snapshotZxid: 0, skipped, found: false };
}

/**
 * Within an epoch every zxid is logged, one after another; a jump means txns are missing (a log
 * file removed or lost), and replaying past it would serve a tree with acknowledged writes gone.
 * A new epoch (an ensemble's election) starts its own count.
 */
function assertFollows(path: string, prev: number, next: number): void {
  if (next === prev + 1 || Math.floor(next / 2 ** 32) !== Math.floor(prev / 2 ** 32)) return;
  throw new RecoveryError(
    `${path}: txn 0x${next.toString(16)} follows 0x${
      prev.toString(16)
    }: the txns between are missing (a log file removed or lost?); refusing to start. ${UNCHANGED}`,
  );
}

interface TornTail {
  path: string;
  bytes: Uint8Array;
  goodEnd: number;
  reason: string;
  entries: number;
}

/**
 * Cuts a torn tail off the newest log, keeping the cut bytes beside it in
 * `log.<zxid>.corrupt-<offset>` (a name no reader of logs picks up) for whoever wants to look.
 */
async function cutTornTail(t: TornTail): Promise<string> {
  const aside = `${t.path}.corrupt-${t.goodEnd}`;
  const tail = t.bytes.subarray(t.goodEnd, Math.max(dataEnd(t.bytes), t.goodEnd));
  const f = await Deno.open(aside, { write: true, create: true, truncate: true });
  try {
    let off = 0;
    while (off < tail.length) off += await f.write(tail.subarray(off));
    await f.sync();
  } finally {
    f.close();
  }
  if (t.goodEnd === 0) {
    await Deno.remove(t.path);
    return `${t.path}: ${t.reason}, nothing intact after it (a torn write); moved the file aside to ${aside}`;
  }
  await Deno.truncate(t.path, t.goodEnd);
  return `${t.path}: ${t.reason} at byte ${t.goodEnd}, nothing intact after it (a torn write); cut the tail after ${t.entries} txns, the ${tail.length} bytes cut kept in ${aside}`;
}
