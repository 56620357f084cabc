/**
 * A background snapshot made from the files instead of the live tree: the newest snapshot plus the
 * txns logged after it, up to a zxid, give the next snapshot. Only the znodes those txns touch are
 * decoded and replayed on a partial tree; every other znode's record is copied byte for byte. The
 * work and the memory are proportional to the changes (plus two streamed reads of the old file and
 * one checksum pass over it), so it runs in a worker on another core while the server goes on
 * serving (Apache takes its snapshots on a thread of their own for the same reason). The result is
 * exact as of `upTo`, not fuzzy. Its data-tree digest is that of the copied records (each
 * digested from its bytes during the scan) plus that of the partial tree after the replay.
 *
 * Reads only; writes `snapshot.<upTo>` through a temp file and a rename.
 */
import { OpCode } from "../jute/opcodes.ts";
import { JuteError, JuteReader } from "../jute/reader.ts";
import { readACLs, writeACLs } from "../jute/records.ts";
import { JuteWriter } from "../jute/writer.ts";
import type { DataTree } from "../tree/data_tree.ts";
import { TreeBuilder } from "../tree/tree_builder.ts";
import { parentOf } from "../tree/path.ts";
import { QUOTA_ROOT } from "../tree/quota.ts";
import { CRC32_START, crc32Bytes, crc32Finish } from "../tree/crc32.ts";
import { DIGEST_VERSION, TreeDigest } from "../tree/digest.ts";
import type { Txn, TxnEntry } from "../tree/txn.ts";
import { Adler32 } from "./checksum.ts";
import { FileWindow } from "./file_window.ts";
import { listZxidFiles, logsAfter, versionDir, type ZxidFile } from "./files.ts";
import { readNode, snapshotName, writeDigestTrailer, writeNode } from "./snapshot.ts";
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

export interface PatchOptions {
  /** fsync the new snapshot before the rename (see writeSnapshot for why periodic ones are not). */
  sync?: boolean;
  /** The read and write buffer's size (tests make it small to cross chunk edges often). */
  chunkBytes?: number;
}

/**
 * Writes `snapshot.<upTo hex>` in dataDir from the newest valid snapshot at or before `upTo` and
 * the txns after it in dataLogDir. A base that fails its checksum or does not parse is passed
 * over for the one before it. Throws if there is no valid base snapshot.
 */
export function patchSnapshot(
  dataDir: string,
  dataLogDir: string,
  upTo: number,
  opts: PatchOptions = {},
): Promise<PatchResult> {
  const chunk = opts.chunkBytes ?? 1 << 20;
  const snapDir = versionDir(dataDir);
  const logs = listZxidFiles(versionDir(dataLogDir), "log");
  for (const s of listZxidFiles(snapDir, "snapshot").filter((s) => s.zxid <= upTo).reverse()) {
    const file = Deno.openSync(s.path, { read: true });
    try {
      let base: Base;
      try {
        base = scanBase(new FileWindow(file, chunk), s, logs, upTo);
      } catch (e) {
        if (e instanceof JuteError) continue;
        throw e;
      }
      return Promise.resolve(writePatched(snapDir, file, base, opts.sync ?? false, chunk));
    } finally {
      file.close();
    }
  }
  return Promise.reject(new Error(`no valid snapshot at or before 0x${upTo.toString(16)}`));
}

/** A base snapshot read once: where its records are, which to rewrite, and the tree to write them from. */
interface Base {
  path: string;
  /** Zxid of the last txn replayed. */
  last: number;
  txns: number;
  sessions: Map<bigint, number>;
  /** The touched znodes (decoded from the base, then the txns replayed on them) and every ACL list. */
  tree: DataTree;
  decoded: number;
  /** Byte offset of each znode record; one more entry marks where the seal starts. */
  starts: Float64Array;
  /** Adler-32 sums of the base's bytes before each entry of `starts`. */
  sumA: Uint16Array;
  sumB: Uint16Array;
  /** One byte per record: is it rewritten from the tree rather than copied? */
  rewrite: Uint8Array;
  /** The paths of those records, by record number. */
  rewritten: Map<number, string>;
  /** The digest of the records copied as they are (the partial tree holds the rest). */
  copiedDigest: TreeDigest;
}

/** Per-record arrays that grow as the records are found. */
class RecordIndex {
  count = 0;
  starts = new Float64Array(1024);
  sumA = new Uint16Array(1024);
  sumB = new Uint16Array(1024);
  hashes = new Uint32Array(1024);
  rewrite = new Uint8Array(1024);

  add(at: number, crc: Adler32): number {
    if (this.count === this.starts.length) this.grow();
    const i = this.count++;
    this.starts[i] = at;
    this.sumA[i] = crc.a;
    this.sumB[i] = crc.b;
    return i;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const more = <T extends Float64Array | Uint16Array | Uint32Array | Uint8Array>(
      a: T,
      b: T,
    ): T => (b.set(a), b);
    this.starts = more(this.starts, new Float64Array(n));
    this.sumA = more(this.sumA, new Uint16Array(n));
    this.sumB = more(this.sumB, new Uint16Array(n));
    this.hashes = more(this.hashes, new Uint32Array(n));
    this.rewrite = more(this.rewrite, new Uint8Array(n));
  }
}

/**
 * The first read of a base: its header, its txns after it (to learn which znodes they touch), then
 * every record in order, located, checksummed, and decoded only when touched. Throws a JuteError
 * if the base is not a whole, valid snapshot.
 */
function scanBase(win: FileWindow, s: ZxidFile, allLogs: ZxidFile[], upTo: number): Base {
  const { sessions, acls, headerEnd } = readHeader(win);

  // The txns are read twice, once to see what they touch and once to replay them, rather than
  // held decoded: a log between two snapshots can hold a great many.
  const logs: Uint8Array[] = [];
  for (const f of logsAfter(allLogs, s.zxid)) {
    if (f.zxid <= upTo) logs.push(readLogBytes(f.path));
  }
  const eachTxn = (visit: (e: TxnEntry) => void) => {
    for (const bytes of logs) {
      scanLogFile(bytes, (e) => {
        if (e.hdr.zxid > s.zxid && e.hdr.zxid <= upTo) visit(e);
      });
    }
  };
  let last = s.zxid;
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
    if (path.startsWith(UNDER_QUOTA_ROOT)) everything = true;
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
  const enc = new TextEncoder();
  const touchedHashes = new Set<number>();
  for (const p of touched) {
    const b = enc.encode(p === "/" ? "" : p);
    touchedHashes.add(hashBytes(b, 0, b.length));
  }

  // The partial tree: every ACL list (pinned, since untouched znodes still use them), then the
  // touched znodes as the scan meets them.
  const builder = new TreeBuilder();
  for (const [id, acl] of acls) builder.acl(id, acl ?? [], true);
  const index = new RecordIndex();
  const rewritten = new Map<number, string>();
  const restore = (i: number, buf: Uint8Array, from: number, to: number) => {
    const { path, node } = readNode(new JuteReader(buf, from, to));
    builder.node(path, node);
    rewritten.set(i, path);
    index.rewrite[i] = 1;
    touched.add(path);
  };

  // One pass over the records: each is located, checksummed (the sums before it noted, so the
  // copy can splice its checksum in), and decoded only if touched. A record's path is compared by
  // a hash of its bytes first and decoded only when the hash is a touched path's: decoding every
  // path of a large tree cost more than the rest of a patch.
  const crc = new Adler32();
  const copiedDigest = new TreeDigest();
  const h0 = win.need(0, headerEnd);
  crc.update(win.buf, h0, h0 + headerEnd);
  const lateParents = new Set<string>();
  let at = headerEnd;
  for (;;) {
    const i = index.add(at, crc);
    // The records end with the string "/" (the root's own path is stored as "").
    let o = win.need(at, 5);
    const pathLen = win.view.getInt32(o);
    if (pathLen === 1 && win.buf[o + 4] === 0x2f) break;
    if (pathLen < 0) throw new JuteError(`snapshot: bad path length ${pathLen} at ${at}`);
    o = win.need(at, 4 + pathLen + 4);
    const dataLen = win.view.getInt32(o + 4 + pathLen);
    if (dataLen < -1) throw new JuteError(`snapshot: bad data length ${dataLen} at ${at}`);
    const size = 4 + pathLen + 4 + Math.max(dataLen, 0) + RECORD_TAIL;
    o = win.need(at, size);
    const buf = win.buf;
    const hash = hashBytes(buf, o + 4, o + 4 + pathLen);
    index.hashes[i] = hash;
    let rewrite = everything || underZookeeper(buf, o) ||
      (touchedHashes.has(hash) && touched.has(pathOf(buf, o, pathLen)));
    // Ephemerals of closing sessions are rewritten even when the closeSession txn does not list
    // them. ephemeralOwner is the long before pzxid, the record's last field; 0 for most records.
    const owner = o + size - 16;
    if (
      !rewrite && closing.size > 0 &&
      (win.view.getInt32(owner) !== 0 || win.view.getInt32(owner + 4) !== 0) &&
      closing.has(win.view.getBigInt64(owner))
    ) {
      rewrite = true;
      // Its parent came before it: if the parent was copied, it is fetched after the scan.
      const parent = parentOf(pathOf(buf, o, pathLen));
      if (!touched.has(parent)) lateParents.add(parent);
    }
    if (rewrite) restore(i, buf, o, o + size);
    else copiedDigest.add(recordDigest(buf, o, pathLen, dataLen));
    crc.update(buf, o, o + size);
    at += size;
  }
  // The seal, the checksum of everything before it, the seal again.
  const o = win.need(at, 5 + 8 + 5);
  crc.update(win.buf, o, o + 5);
  const stored = win.view.getBigInt64(o + 5);
  if (stored !== BigInt(crc.value) || win.view.getInt32(o + 13) !== 1 || win.buf[o + 17] !== 0x2f) {
    throw new JuteError(`snapshot checksum mismatch or missing seal in ${s.path}`);
  }

  // Parents of closing sessions' ephemerals that were copied: found by hash, read again.
  const n = index.count - 1;
  for (const parent of lateParents) {
    if (touched.has(parent)) continue;
    const b = enc.encode(parent === "/" ? "" : parent);
    const h = hashBytes(b, 0, b.length);
    for (let i = 0; i < n; i++) {
      if (index.hashes[i] !== h || index.rewrite[i] === 1) continue;
      const from = index.starts[i];
      const bytes = win.readAt(from, index.starts[i + 1] - from);
      const len = lengthAt(bytes, 0);
      if (pathOf(bytes, 0, len) !== parent) continue;
      copiedDigest.remove(recordDigest(bytes, 0, len, lengthAt(bytes, 4 + len)));
      restore(i, bytes, 0, bytes.length);
    }
  }
  // Linked under the parents rewritten too; a parent that is copied is not in this tree.
  for (const p of rewritten.values()) builder.link(p);
  const tree = builder.partial();

  eachTxn((e) => {
    if (e.hdr.type === OpCode.createSession && e.txn.type === OpCode.createSession) {
      sessions.set(e.hdr.clientId, e.txn.timeOut);
    } else if (e.hdr.type === OpCode.closeSession) {
      sessions.delete(e.hdr.clientId);
    }
    tree.apply(e.hdr, e.txn);
  });
  return {
    path: s.path,
    last,
    txns,
    sessions,
    tree,
    decoded: rewritten.size,
    rewritten,
    copiedDigest,
    starts: index.starts.subarray(0, index.count),
    sumA: index.sumA.subarray(0, index.count),
    sumB: index.sumB.subarray(0, index.count),
    rewrite: index.rewrite.subarray(0, n),
  };
}

/**
 * The second read of the base, writing the new snapshot: its header anew, the untouched records'
 * bytes as they were (their checksum spliced in from the sums noted in the first read), the
 * touched ones from the tree where they still exist, then the znodes created since.
 */
function writePatched(
  snapDir: string,
  file: Deno.FsFile,
  base: Base,
  sync: boolean,
  chunk: number,
): PatchResult {
  const { tree, starts, rewrite } = base;
  const n = starts.length - 1;
  const path = `${snapDir}/${snapshotName(base.last)}`;
  const tmp = `${path}.tmp`;
  const out = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  const win = new FileWindow(file, chunk);
  let count = 0;
  try {
    const crc = new Adler32();
    const w = new JuteWriter(chunk);
    // w.buf[0, checked) is in crc already.
    let checked = 0;
    const write = (b: Uint8Array) => {
      let off = 0;
      while (off < b.length) off += out.writeSync(b.subarray(off));
    };
    const flush = () => {
      crc.update(w.buf, checked, w.pos);
      write(w.buf.subarray(0, w.pos));
      w.reset();
      checked = 0;
    };
    w.int(SNAP_MAGIC);
    w.int(FORMAT_VERSION);
    w.long(-1);
    w.int(base.sessions.size);
    for (const [id, timeout] of base.sessions) {
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
    const copy = (from: number, to: number) => {
      if (from === to) return;
      crc.update(w.buf, checked, w.pos);
      crc.append(
        Adler32.between(
          base.sumA[from],
          base.sumB[from],
          base.sumA[to],
          base.sumB[to],
          starts[to] - starts[from],
        ),
        starts[to] - starts[from],
      );
      for (let at = starts[from]; at < starts[to];) {
        const len = Math.min(starts[to] - at, chunk);
        const o = win.need(at, len);
        // Whole chunks go straight from the window to the file, after whatever w holds.
        const direct = len === chunk;
        if (direct || w.pos + len > w.buf.length) {
          write(w.buf.subarray(0, w.pos));
          w.reset();
        }
        if (direct) write(win.buf.subarray(o, o + len));
        else w.raw(win.buf.subarray(o, o + len));
        at += len;
      }
      checked = w.pos;
    };
    const written = new Set<string>();
    let run = 0;
    for (let i = 0; i < n; i++) {
      if (rewrite[i] === 0) {
        count++;
        continue;
      }
      copy(run, i);
      run = i + 1;
      const p = base.rewritten.get(i)!;
      written.add(p);
      const node = tree.get(p);
      if (node === undefined) continue;
      writeNode(w, p, node);
      count++;
      if (w.pos > w.buf.length >> 1) flush();
    }
    copy(run, n);
    for (const [p, node] of tree.nodes) {
      if (written.has(p)) continue;
      writeNode(w, p, node);
      count++;
      if (w.pos > w.buf.length >> 1) flush();
    }
    w.string("/");
    flush();
    w.long(crc.value);
    w.string("/");
    const digest = BigInt.asIntN(64, base.copiedDigest.value + tree.digest.value);
    writeDigestTrailer(w, {
      zxid: base.last,
      version: DIGEST_VERSION,
      digest: base.last > 0 ? digest : 0n,
    }, crc);
    write(w.bytes());
    if (sync) out.syncDataSync();
  } finally {
    out.close();
  }
  Deno.renameSync(tmp, path);
  return { path, base: base.path, txns: base.txns, decoded: base.decoded, nodes: count };
}

const UNDER_QUOTA_ROOT = QUOTA_ROOT + "/";

/** Bytes of a znode record after its path and data. */
const RECORD_TAIL = 8 * 5 + 4 * 3 + 8 + 8;

/** FNV-1a of `bytes[from, to)`: a path's bytes, compared before the path is decoded. */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/**
 * The digest of the znode record at `o` (see digest.ts), from its bytes: the path, the data, then
 * the stat fields in the digest's order, which is not the record's (pzxid is last on disk).
 */
function recordDigest(buf: Uint8Array, o: number, pathLen: number, dataLen: number): number {
  let c = crc32Bytes(CRC32_START, buf, o + 4, o + 4 + pathLen);
  const data = o + 8 + pathLen;
  if (dataLen > 0) c = crc32Bytes(c, buf, data, data + dataLen);
  const acl = data + Math.max(dataLen, 0);
  c = crc32Bytes(c, buf, acl + 8, acl + 24); // czxid, mzxid
  c = crc32Bytes(c, buf, acl + 60, acl + 68); // pzxid
  c = crc32Bytes(c, buf, acl + 24, acl + 60); // ctime, mtime, version, cversion, aversion, owner
  return crc32Finish(c);
}

/** The length prefix of the jute string at `at`. */
function lengthAt(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
}

const ZOOKEEPER = new TextEncoder().encode("/zookeeper");

/** Is the record at `at` /zookeeper or under it (quota and config nodes are always replayed)? */
function underZookeeper(bytes: Uint8Array, at: number): boolean {
  const len = lengthAt(bytes, at);
  if (len < ZOOKEEPER.length) return false;
  for (let i = 0; i < ZOOKEEPER.length; i++) if (bytes[at + 4 + i] !== ZOOKEEPER[i]) return false;
  return len === ZOOKEEPER.length || bytes[at + 4 + ZOOKEEPER.length] === 0x2f;
}

/** The path of the record at `o` in `buf`, whose path is `len` bytes ("" is the root, "/"). */
function pathOf(buf: Uint8Array, o: number, len: number): string {
  return len === 0 ? "/" : DECODER.decode(buf.subarray(o + 4, o + 4 + len));
}

const DECODER = new TextDecoder();

/**
 * A snapshot's header: magic, version, dbid, sessions with their timeouts, the ACL cache. Parsed
 * from a window grown until it holds it all (a server with many sessions has a long one).
 */
function readHeader(
  win: FileWindow,
): {
  sessions: Map<bigint, number>;
  acls: Map<number, ReturnType<typeof readACLs>>;
  headerEnd: number;
} {
  const size = win.size;
  for (let want = Math.min(size, win.buf.length, 64 * 1024);; want = Math.min(size, want * 2)) {
    const at = win.need(0, want); // first: it may swap win.buf for a bigger one
    const r = new JuteReader(win.buf, at, at + want);
    try {
      if (r.int() !== SNAP_MAGIC) throw new JuteError("not a snapshot (bad magic)");
      r.int();
      r.long();
      const sessions = new Map<bigint, number>();
      const ns = r.count(12);
      for (let i = 0; i < ns; i++) sessions.set(r.bigLong(), r.int());
      const acls = new Map<number, ReturnType<typeof readACLs>>();
      const na = r.count(12);
      for (let i = 0; i < na; i++) acls.set(r.long(), readACLs(r));
      return { sessions, acls, headerEnd: r.pos };
    } catch (e) {
      // Ran off the end of the window: try a bigger one, unless it already held the whole file.
      if (!(e instanceof JuteError) || want === size) throw e;
    }
  }
}
