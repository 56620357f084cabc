/**
 * A background snapshot made from the files instead of the live tree: the newest snapshot plus the
 * txns logged after it, up to a zxid, give the next snapshot. Only the znodes those txns touch are
 * decoded and replayed on a partial tree; every other znode's record is copied byte for byte. The
 * work and the memory are proportional to the changes (plus one read of the old file), so it runs
 * in a worker on another core while the server goes on serving (Apache takes its snapshots on a
 * thread of their own for the same reason). The result is exact as of `upTo`, not fuzzy.
 *
 * Reads only; writes `snapshot.<upTo>` through a temp file and a rename.
 */
import { OpCode } from "../jute/opcodes.ts";
import { JuteError, JuteReader } from "../jute/reader.ts";
import { readACLs, writeACLs } from "../jute/records.ts";
import { JuteWriter } from "../jute/writer.ts";
import { DataTree } from "../tree/data_tree.ts";
import { parentOf } from "../tree/path.ts";
import { QUOTA_ROOT } from "../tree/quota.ts";
import type { Txn, TxnEntry } from "../tree/txn.ts";
import { Adler32 } from "./checksum.ts";
import { listZxidFiles, logsAfter, versionDir } from "./files.ts";
import { catchUpParent } from "./recovery.ts";
import { atSeal, readNode, snapshotName, writeNode } from "./snapshot.ts";
import { FORMAT_VERSION, readLogBytes, scanLogFile, SNAP_MAGIC } from "./txn_log.ts";

/** What a patch wrote. */
export interface PatchResult {
  /** The new snapshot file. */
  path: string;
  /** The snapshot it started from. */
  base: string;
  /** Txns replayed on top of it. */
  txns: number;
  /** Znodes decoded and replayed rather than copied. */
  decoded: number;
  /** Znodes in the new snapshot. */
  nodes: number;
}

/** A snapshot's parts: sessions and ACLs decoded, znode records located but not decoded. */
interface Layout {
  sessions: Map<bigint, number>;
  acls: Map<number, ReturnType<typeof readACLs>>;
  /**
   * Byte offset of each znode record; one more entry marks the end of the last. A typed array: a
   * JS array of a million offsets, grown by copying, kept the worker's GC busy on the threads the
   * server's own collections use.
   */
  starts: Float64Array;
}

/**
 * Writes `snapshot.<upTo hex>` in dataDir from the newest valid snapshot at or before `upTo` and
 * the txns after it in dataLogDir. Throws if there is no valid base snapshot or a log between them
 * is unreadable. `sync` fsyncs it before the rename (see writeSnapshot for why periodic snapshots
 * are not).
 */
export async function patchSnapshot(
  dataDir: string,
  dataLogDir: string,
  upTo: number,
  sync = false,
): Promise<PatchResult> {
  const snapDir = versionDir(dataDir);
  let base: { path: string; zxid: number; bytes: Uint8Array; layout: Layout } | null = null;
  for (const s of listZxidFiles(snapDir, "snapshot").filter((s) => s.zxid <= upTo).reverse()) {
    try {
      const bytes = await Deno.readFile(s.path);
      base = { ...s, bytes, layout: readLayout(bytes) };
      break;
    } catch (e) {
      if (!(e instanceof JuteError)) throw e;
    }
  }
  if (base === null) throw new Error(`no valid snapshot at or before 0x${upTo.toString(16)}`);

  // The txns are read twice, once to see what they touch and once to replay them, rather than
  // held decoded: a log between two snapshots can hold a great many.
  const logs: Uint8Array[] = [];
  for (const f of logsAfter(listZxidFiles(versionDir(dataLogDir), "log"), base.zxid)) {
    if (f.zxid <= upTo) logs.push(await readLogBytes(f.path));
  }
  const baseZxid = base.zxid;
  const eachTxn = (visit: (e: TxnEntry) => void) => {
    for (const bytes of logs) {
      scanLogFile(bytes, (e) => {
        if (e.hdr.zxid > baseZxid && e.hdr.zxid <= upTo) visit(e);
      });
    }
  };
  let last = base.zxid;
  let txns = 0;

  // Which znodes the txns can touch: their paths and parents, the ephemerals of sessions they
  // close, and everything under /zookeeper (quota stats move with writes anywhere beneath a quota).
  const touched = new Set<string>(["/"]);
  const closing = new Set<bigint>();
  let everything = false;
  const note = (path: string) => {
    touched.add(path);
    touched.add(parentOf(path));
    // Creating a quota's nodes recounts its whole subtree: replay on the whole tree then.
    if (path.startsWith(QUOTA_ROOT + "/")) everything = true;
  };
  const visit = (t: Txn, clientId: bigint) => {
    switch (t.type) {
      case OpCode.multi:
        for (const s of t.txns) visit(s, clientId);
        break;
      case OpCode.closeSession:
        closing.add(clientId);
        for (const p of t.paths2Delete) note(p);
        break;
      case OpCode.createSession:
      case OpCode.error:
        break;
      default:
        if ("path" in t) note(t.path);
    }
  };
  eachTxn((e) => {
    visit(e.txn, e.hdr.clientId);
    last = e.hdr.zxid;
    txns++;
  });
  const { layout, bytes } = base;
  const n = layout.starts.length - 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pathAt = (i: number) => {
    const p = new JuteReader(bytes, layout.starts[i]).str();
    return p === "" ? "/" : p;
  };
  // A record's path is compared by a hash of its bytes first and decoded only when the hash is
  // one of a touched path's: decoding every path of a large tree cost more than the rest of a patch.
  const enc = new TextEncoder();
  const touchedHashes = new Set<number>();
  const hashTouched = () => {
    for (const p of touched) {
      const b = enc.encode(p === "/" ? "" : p);
      touchedHashes.add(hashBytes(b, 0, b.length));
    }
  };
  // One byte per record: is it decoded and replayed? Ephemerals of closing sessions count even
  // when the closeSession txn does not list them, and their parents with them; a parent comes
  // before its child, so a parent found that way means one more pass.
  const flags = new Uint8Array(n);
  for (let pass = 0;; pass++) {
    const before = touched.size;
    hashTouched();
    for (let i = 0; i < n; i++) {
      const at = layout.starts[i];
      if (
        everything || underZookeeper(bytes, at) ||
        (touchedHashes.has(recordPathHash(bytes, at)) && touched.has(pathAt(i)))
      ) {
        flags[i] = 1;
      }
      if (closing.size > 0 && pass === 0) {
        // ephemeralOwner is the long before pzxid, the record's last field; 0 for most records.
        const end = layout.starts[i + 1];
        if (view.getInt32(end - 16) === 0 && view.getInt32(end - 12) === 0) continue;
        if (closing.has(view.getBigInt64(end - 16))) {
          const p = pathAt(i);
          flags[i] = 1;
          touched.add(p);
          touched.add(parentOf(p));
        }
      }
    }
    if (touched.size === before || pass > 0) break;
  }
  const isTouched = (i: number) => flags[i] === 1;

  // The partial tree: every ACL list (pinned, since untouched znodes still use them), the touched
  // znodes, then the txns.
  const tree = new DataTree();
  tree.nodes.clear();
  for (const id of [...tree.acls.byId.keys()]) tree.acls.release(id);
  for (const [id, acl] of layout.acls) {
    tree.acls.restore(id, acl ?? []);
    tree.acls.addRef(id);
  }
  let decoded = 0;
  for (let i = 0; i < n; i++) {
    if (!isTouched(i)) continue;
    const r = new JuteReader(bytes, layout.starts[i], layout.starts[i + 1]);
    const { path, node } = readNode(r);
    tree.restoreNode(path, node);
    tree.get(parentOf(path))?.addChild(path.slice(path.lastIndexOf("/") + 1));
    decoded++;
  }
  const sessions = new Map(layout.sessions);
  eachTxn((e) => {
    if (e.hdr.type === OpCode.createSession && e.txn.type === OpCode.createSession) {
      sessions.set(e.hdr.clientId, e.txn.timeOut);
    } else if (e.hdr.type === OpCode.closeSession) {
      sessions.delete(e.hdr.clientId);
    }
    catchUpParent(tree, e.hdr.zxid, e.txn, tree.apply(e.hdr, e.txn));
  });

  const path = `${snapDir}/${snapshotName(last)}`;
  const tmp = `${path}.tmp`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  let count = 0;
  try {
    const crc = new Adler32();
    const w = new JuteWriter(1 << 20);
    const write = async (b: Uint8Array) => {
      let off = 0;
      while (off < b.length) off += await f.write(b.subarray(off));
    };
    const flush = async () => {
      const b = w.buf.subarray(0, w.pos);
      crc.update(b);
      await write(b);
      w.reset();
    };
    w.int(SNAP_MAGIC);
    w.int(FORMAT_VERSION);
    w.long(-1);
    w.int(sessions.size);
    for (const [id, timeout] of sessions) {
      w.bigLong(id);
      w.int(timeout);
    }
    w.int(tree.acls.byId.size);
    for (const [id, list] of tree.acls.byId) {
      w.long(id);
      writeACLs(w, list);
    }
    // Untouched records keep their place and bytes; touched ones are written from the partial
    // tree where they still exist. Parents precede children in the old file, and znodes created
    // since are added after it in creation order, so every parent still comes first.
    const written = new Set<string>();
    let run = -1;
    const copyRun = async (to: number) => {
      if (run < 0) return;
      const b = bytes.subarray(layout.starts[run], layout.starts[to]);
      if (w.pos + b.length > w.buf.length) await flush();
      if (b.length > w.buf.length) {
        crc.update(b);
        await write(b);
      } else {
        w.raw(b);
      }
      run = -1;
    };
    for (let i = 0; i < n; i++) {
      if (!isTouched(i)) {
        if (run < 0) run = i;
        count++;
        continue;
      }
      await copyRun(i);
      const p = pathAt(i);
      written.add(p);
      const node = tree.get(p);
      if (node === undefined) continue;
      writeNode(w, p, node);
      count++;
      if (w.pos > 1 << 19) await flush();
    }
    await copyRun(n);
    for (const [p, node] of tree.nodes) {
      if (written.has(p)) continue;
      writeNode(w, p, node);
      count++;
      if (w.pos > 1 << 19) await flush();
    }
    w.string("/");
    await flush();
    w.long(crc.value);
    w.string("/");
    await write(w.bytes());
    if (sync) await f.syncData();
  } finally {
    f.close();
  }
  await Deno.rename(tmp, path);
  return { path, base: base.path, txns, decoded, nodes: count };
}

/** Bytes of a znode record after its path and data. */
const RECORD_TAIL = 8 * 5 + 4 * 3 + 8 + 8;

/** FNV-1a of `bytes[from, to)`: a path's bytes, compared before the path is decoded. */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/** The length prefix of the jute string at `at`. */
function lengthAt(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
}

/** hashBytes of the path of the record at `at`. */
function recordPathHash(bytes: Uint8Array, at: number): number {
  return hashBytes(bytes, at + 4, at + 4 + Math.max(lengthAt(bytes, at), 0));
}

const ZOOKEEPER = new TextEncoder().encode("/zookeeper");

/** Is the record at `at` /zookeeper or under it (quota and config nodes are always replayed)? */
function underZookeeper(bytes: Uint8Array, at: number): boolean {
  const len = lengthAt(bytes, at);
  if (len < ZOOKEEPER.length) return false;
  for (let i = 0; i < ZOOKEEPER.length; i++) if (bytes[at + 4 + i] !== ZOOKEEPER[i]) return false;
  return len === ZOOKEEPER.length || bytes[at + 4 + ZOOKEEPER.length] === 0x2f;
}

/** Parses a snapshot's sessions and ACLs and locates its znode records; checks the checksum. */
function readLayout(bytes: Uint8Array): Layout {
  const r = new JuteReader(bytes);
  if (r.int() !== SNAP_MAGIC) throw new JuteError("not a snapshot (bad magic)");
  r.int();
  r.long();
  const sessions = new Map<bigint, number>();
  const ns = r.count(12);
  for (let i = 0; i < ns; i++) sessions.set(r.bigLong(), r.int());
  const acls = new Map<number, ReturnType<typeof readACLs>>();
  const na = r.count(12);
  for (let i = 0; i < na; i++) acls.set(r.long(), readACLs(r));
  let starts = new Float64Array(1024);
  let count = 0;
  for (;;) {
    if (count === starts.length) {
      const bigger = new Float64Array(starts.length * 2);
      bigger.set(starts);
      starts = bigger;
    }
    starts[count++] = r.pos;
    // The records end with the string "/" (the root's own path is stored as "").
    if (atSeal(r)) {
      r.str();
      break;
    }
    for (const what of ["path", "data"]) {
      const len = r.int();
      if (len > r.remaining) throw new JuteError(`snapshot: bad ${what} length ${len}`);
      if (len > 0) r.pos += len;
    }
    // acl, czxid, mzxid, ctime, mtime, (longs) version, cversion, aversion (ints), owner, pzxid.
    if (RECORD_TAIL > r.remaining) throw new JuteError("snapshot: truncated znode record");
    r.pos += RECORD_TAIL;
  }
  const expected = new Adler32().update(bytes, 0, r.pos).value;
  const stored = r.long();
  if (r.str() !== "/") throw new JuteError("snapshot: missing seal");
  if ((stored >>> 0) !== expected || stored > 0xffffffff) {
    throw new JuteError(`snapshot checksum mismatch (stored ${stored}, computed ${expected})`);
  }
  return { sessions, acls, starts: starts.subarray(0, count) };
}
