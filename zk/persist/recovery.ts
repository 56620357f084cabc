/**
 * Recovery at start: the newest snapshot that reads back whole, then every logged txn after it.
 * A torn or corrupt tail of the last log is cut off (never applied); damage anywhere else stops
 * the start with an error rather than silently losing acknowledged writes.
 */
import { Err } from "../jute/errors.ts";
import { OpCode } from "../jute/opcodes.ts";
import { DataTree, type TxnResult } from "../tree/data_tree.ts";
import { parentOf } from "../tree/path.ts";
import type { Txn } from "../tree/txn.ts";
import { listZxidFiles, logsAfter, versionDir } from "./files.ts";
import { readSnapshot } from "./snapshot.ts";
import { readLogBytes, scanLogFile } from "./txn_log.ts";
import type { DigestCheck } from "./digest_check.ts";

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

/** `digest`, when given, checks the snapshot's and the log's data-tree digests as Apache does. */
export async function recover(
  dataDir: string,
  dataLogDir: string,
  digest?: DigestCheck,
): Promise<Recovered> {
  const snapDir = versionDir(dataDir);
  const logDir = versionDir(dataLogDir);
  await Deno.mkdir(snapDir, { recursive: true });
  await Deno.mkdir(logDir, { recursive: true });
  const notes: string[] = [];
  let tree: DataTree | null = null;
  const sessions = new Map<bigint, number>();
  let snapshotZxid = 0;
  const snaps = listZxidFiles(snapDir, "snapshot").reverse();
  for (const s of snaps) {
    try {
      const loaded = readSnapshot(await Deno.readFile(s.path), s.zxid);
      tree = loaded.tree;
      snapshotZxid = s.zxid;
      digest?.snapshotRead(loaded.digest, s.zxid, tree);
      for (const x of loaded.sessions) sessions.set(x.id, x.timeout);
      break;
    } catch (e) {
      notes.push(`Invalid snapshot ${s.path}, skipping: ${(e as Error).message}`);
    }
  }
  if (tree === null) {
    if (snaps.length > 0) {
      throw new RecoveryError(`no valid snapshot in ${snapDir}: ${notes.join("; ")}`);
    }
    tree = new DataTree();
  }
  const logs = logsAfter(listZxidFiles(logDir, "log"), snapshotZxid);
  let replayed = 0;
  for (let i = 0; i < logs.length; i++) {
    const f = logs[i];
    let entries = 0;
    const contents = scanLogFile(readLogBytes(f.path), (e) => {
      entries++;
      if (e.hdr.zxid <= tree.lastProcessedZxid) return;
      if (e.hdr.type === OpCode.createSession && e.txn.type === OpCode.createSession) {
        sessions.set(e.hdr.clientId, e.txn.timeOut);
      } else if (e.hdr.type === OpCode.closeSession) {
        sessions.delete(e.hdr.clientId);
      }
      catchUpParent(tree, e.hdr.zxid, e.txn, tree.apply(e.hdr, e.txn));
      digest?.replayed(e, tree);
      replayed++;
    });
    if (contents.end.kind === "torn") {
      const last = i === logs.length - 1;
      if (!last) {
        throw new RecoveryError(
          `${f.path}: corrupt at byte ${contents.end.offset} (${contents.end.reason}) but newer logs follow; refusing to start`,
        );
      }
      if (contents.goodEnd === 0) {
        await Deno.remove(f.path);
        notes.push(`${f.path}: ${contents.end.reason}; removed the empty torn file`);
      } else {
        await Deno.truncate(f.path, contents.goodEnd);
        notes.push(
          `${f.path}: ${contents.end.reason} at byte ${contents.end.offset}; cut the tail after ${entries} txns`,
        );
      }
    }
  }
  digest?.finished(tree.lastProcessedZxid);
  return { tree, sessions, snapshotZxid, txnsReplayed: replayed, notes };
}

/**
 * Replaying over a fuzzy snapshot: the snapshot may hold a node whose parent was serialised before
 * the node's create, or lack a node whose parent was serialised before its delete. The create or
 * delete then fails (NODEEXISTS, NONODE), yet the parent's cversion and pzxid must still move on.
 * Apache does the same on load: DataTree.processTxn adjusts the parent of a NODEEXISTS create (for
 * OpCode.create; here for every kind of create) and deleteNode moves the parent's pzxid before it
 * looks for the child (ZOOKEEPER-3145), which also covers closeSession's paths.
 */
export function catchUpParent(tree: DataTree, zxid: number, txn: Txn, result: TxnResult): void {
  const movePzxid = (path: string) =>
    tree.change(parentOf(path), (parent) => {
      if (zxid > parent.pzxid) parent.pzxid = zxid;
    });
  switch (txn.type) {
    case OpCode.multi:
      txn.txns.forEach((t, i) => {
        const r = result.results?.[i];
        if (r) catchUpParent(tree, zxid, t, r);
      });
      return;
    case OpCode.delete:
    case OpCode.deleteContainer:
      if (result.err === Err.NONODE) movePzxid(txn.path);
      return;
    case OpCode.closeSession:
      for (const p of txn.paths2Delete) movePzxid(p);
      return;
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL: {
      if (result.err !== Err.NODEEXISTS) return;
      tree.change(parentOf(txn.path), (parent) => {
        const cversion = txn.parentCVersion === -1 ? parent.cversion + 1 : txn.parentCVersion;
        if (cversion > parent.cversion) {
          parent.cversion = cversion;
          parent.pzxid = zxid;
        }
      });
    }
  }
}
