/**
 * Snapshots in Apache's format: `version-2/snapshot.<zxid hex>` = FileHeader ("ZKSN", 2, dbid -1),
 * sessions (id, timeout), the ACL cache (id → ACL list), every znode in parent-before-child order
 * (path, data, acl id, StatPersisted) ended by the path "/", then the Adler-32 of all of that and "/"
 * (the seal); then, as Apache 3.6+ writes it, the data-tree digest (a ZxidDigest: zxid, digest
 * version, digest) and a second seal over everything before it. Apache 3.5 and older stop after
 * the first seal; a snapshot without the digest is read too (Apache warns that it met EOF).
 */
import { JuteWriter } from "../jute/writer.ts";
import { JuteError, JuteReader } from "../jute/reader.ts";
import { readACLs, writeACLs } from "../jute/records.ts";
import type { DataTree } from "../tree/data_tree.ts";
import { TreeBuilder } from "../tree/tree_builder.ts";
import { NULL_DATA, Znode } from "../tree/znode.ts";
import { DIGEST_VERSION, type ZxidDigest } from "../tree/digest.ts";
import { Adler32 } from "./checksum.ts";
import { FORMAT_VERSION, SNAP_MAGIC } from "./txn_log.ts";

export interface SnapshotSession {
  id: bigint;
  timeout: number;
}

export function snapshotName(zxid: number): string {
  return `snapshot.${zxid.toString(16)}`;
}

/** One znode record: path ("" for the root), data, ACL id, then StatPersisted. */
export function writeNode(w: JuteWriter, path: string, n: Znode): void {
  w.string(path === "/" ? "" : path);
  // Null stays null (length -1); Apache's built-in nodes hold byte[0], an empty buffer (snapshot.0).
  const d = n.raw;
  if (typeof d === "string") w.binaryBuffer(d);
  else w.buffer(d);
  w.long(n.acl);
  w.long(n.czxid);
  w.long(n.mzxid);
  w.long(n.ctime);
  w.long(n.mtime);
  w.int(n.version);
  w.int(n.cversion);
  w.int(n.aversion);
  w.bigLong(n.ephemeralOwner);
  w.long(n.pzxid);
}

/**
 * Writes a snapshot of `tree` as of now. Nodes are serialised in chunks between which writes go on
 * (a fuzzy snapshot, as Apache's: replaying the log from its zxid fixes it up). If a node picks up
 * an ACL list created after the ACL cache was written, the snapshot is redone in one go.
 *
 * `sync` fsyncs the file before it is renamed into place. Apache fsyncs only the snapshot a
 * follower takes from its leader (ZOOKEEPER-2872); its periodic ones are not, and neither are
 * herd's: the txn log is what makes writes durable, a snapshot torn by a power cut fails its
 * checksum and recovery starts from an older one (purging keeps at least three), and flushing a
 * large snapshot at once would stall the log's fsyncs behind it.
 */
export async function writeSnapshot(
  dir: string,
  tree: DataTree,
  sessions: SnapshotSession[],
  chunk = 4000, // ~2 ms of serialising between yields, so client requests are not held up
  sync = false,
): Promise<string> {
  const zxid = tree.lastProcessedZxid;
  const path = `${dir}/${snapshotName(zxid)}`;
  const tmp = `${path}.tmp`;
  const ok = await writeTo(tmp, tree, sessions, chunk, sync);
  if (!ok) await writeTo(tmp, tree, sessions, Number.MAX_SAFE_INTEGER, sync);
  await Deno.rename(tmp, path);
  return path;
}

async function writeTo(
  file: string,
  tree: DataTree,
  sessions: SnapshotSession[],
  chunk: number,
  sync: boolean,
): Promise<boolean> {
  // Opened synchronously so that nothing runs between reading lastProcessedZxid (the file's name)
  // and serialising the first chunk: a tree that fits in one chunk is written exactly as of that
  // zxid. A snapshot whose content runs ahead of its name is still valid but makes Apache replay
  // creates over existing nodes, and Apache fixes the parent's cversion only for plain creates.
  const f = Deno.openSync(file, { write: true, create: true, truncate: true });
  const crc = new Adler32();
  const w = new JuteWriter(1 << 20);
  const flush = async () => {
    const b = w.buf.subarray(0, w.pos);
    crc.update(b);
    let off = 0;
    while (off < b.length) off += await f.write(b.subarray(off));
    w.reset();
  };
  try {
    w.int(SNAP_MAGIC);
    w.int(FORMAT_VERSION);
    w.long(-1);
    w.int(sessions.length);
    for (const s of sessions) {
      w.bigLong(s.id);
      w.int(s.timeout);
    }
    const acls = new Set<number>();
    w.int(tree.acls.byId.size);
    for (const [id, list] of tree.acls.byId) {
      acls.add(id);
      w.long(id);
      writeACLs(w, list);
    }
    let n = 0;
    let consistent = true;
    for (const [p, node] of tree.nodes) {
      if (node.acl !== -1 && !acls.has(node.acl)) consistent = false;
      writeNode(w, p, node);
      if (++n % chunk === 0) {
        await flush();
        if (!consistent) return false;
      }
    }
    if (!consistent) return false;
    // Taken with the last record, before anything else can run: the digest of the tree as of
    // this zxid. A fuzzy snapshot's records may predate it; a replay up to it catches them up, and
    // that is when Apache compares (DataTree.compareSnapshotDigests).
    const digest = currentDigest(tree);
    w.string("/");
    await flush();
    w.long(crc.value);
    w.string("/");
    writeDigestTrailer(w, digest, crc);
    const b = w.bytes();
    let off = 0;
    while (off < b.length) off += await f.write(b.subarray(off));
    if (sync) await f.syncData();
    return true;
  } finally {
    f.close();
  }
}

/**
 * What a snapshot of `tree` records as its digest: the tree's digest with the zxid it is at, or
 * the empty record (zxid 0) Apache writes for a tree at zxid 0 and ignores when it reads one.
 */
export function currentDigest(tree: DataTree): ZxidDigest {
  const zxid = tree.lastProcessedZxid;
  return { zxid, version: DIGEST_VERSION, digest: zxid > 0 ? tree.digest.value : 0n };
}

/**
 * Appends the ZxidDigest and the second seal to `w`, whose bytes so far are all in `crc` except
 * the first seal (the long and "/" just written from `w.pos - 13`).
 */
export function writeDigestTrailer(w: JuteWriter, d: ZxidDigest, crc: Adler32): void {
  const from = w.pos - 13;
  w.long(d.zxid);
  w.int(d.version);
  w.bigLong(d.digest);
  crc.update(w.buf, from, w.pos);
  w.long(crc.value);
  w.string("/");
}

/** Whether the next string is the "/" that ends the znode records (the root is stored as ""). */
export function atSeal(r: JuteReader): boolean {
  return r.remaining >= 5 && r.view.getInt32(r.pos) === 1 && r.buf[r.pos + 4] === 0x2f;
}

/** Reads one znode record as writeNode wrote it. */
export function readNode(r: JuteReader): { path: string; node: Znode } {
  const p = r.str();
  const path = p === "" ? "/" : p;
  const data = r.buffer() ?? NULL_DATA;
  const acl = r.long();
  const node = new Znode(
    data,
    acl,
    r.long(),
    r.long(),
    r.long(),
    r.long(),
    r.int(),
    r.int(),
    r.int(),
    r.bigLong(),
    r.long(),
  );
  return { path, node };
}

export interface LoadedSnapshot {
  tree: DataTree;
  sessions: SnapshotSession[];
  zxid: number;
  /** The digest recorded after the seal; undefined when the file ends there (Apache 3.5-). */
  digest?: ZxidDigest;
}

/** Reads and verifies a snapshot; throws JuteError if it is truncated or its checksum is wrong. */
export function readSnapshot(bytes: Uint8Array, zxid: number): LoadedSnapshot {
  const r = new JuteReader(bytes);
  if (r.int() !== SNAP_MAGIC) throw new JuteError("not a snapshot (bad magic)");
  r.int();
  r.long();
  const sessions: SnapshotSession[] = [];
  const ns = r.count(12);
  for (let i = 0; i < ns; i++) sessions.push({ id: r.bigLong(), timeout: r.int() });
  const builder = new TreeBuilder();
  const na = r.count(12);
  for (let i = 0; i < na; i++) {
    const id = r.long();
    builder.acl(id, readACLs(r) ?? []);
  }
  for (;;) {
    if (atSeal(r)) {
      r.str();
      break;
    }
    const { path, node } = readNode(r);
    builder.node(path, node);
    if (!builder.link(path)) throw new JuteError(`snapshot: parent of ${path} missing`);
  }
  const crc = new Adler32().update(bytes, 0, r.pos);
  const expected = crc.value;
  const sealAt = r.pos;
  const stored = r.long();
  if (r.str() !== "/") throw new JuteError("snapshot: missing seal");
  if ((stored >>> 0) !== expected || stored > 0xffffffff) {
    throw new JuteError(`snapshot checksum mismatch (stored ${stored}, computed ${expected})`);
  }
  const digest = readDigestTrailer(r, crc.update(bytes, sealAt, r.pos));
  return { tree: builder.finish(zxid), sessions, zxid, digest };
}

/**
 * The ZxidDigest after the first seal and the second seal that checks it, as FileSnap.deserialize
 * reads them: a file that ends before the digest has none (Apache logs the EOF and goes on); one
 * whose second seal is missing or wrong is corrupt, as Apache's "CRC corruption" makes it.
 */
function readDigestTrailer(r: JuteReader, crc: Adler32): ZxidDigest | undefined {
  if (r.remaining < 8 + 4 + 8) return undefined;
  const from = r.pos;
  const zxid = r.long();
  const version = r.int();
  const digest = version < 2 ? hexDigest(r.string()) : r.bigLong();
  const expected = crc.update(r.buf, from, r.pos).value;
  const stored = r.long();
  if (r.str() !== "/" || stored !== expected) {
    throw new JuteError(`snapshot digest seal mismatch (stored ${stored}, computed ${expected})`);
  }
  return { zxid, version, digest };
}

/** Digest version 1 wrote the digest as a hex string (Long.parseLong(d, 16)). */
function hexDigest(s: string | null): bigint {
  if (s === null) return 0n;
  const m = /^([-+]?)([0-9a-fA-F]{1,16})$/.exec(s);
  if (!m) throw new JuteError(`snapshot: bad digest ${JSON.stringify(s)}`);
  const v = BigInt(`0x${m[2]}`);
  return BigInt.asIntN(64, m[1] === "-" ? -v : v);
}
