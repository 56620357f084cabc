/**
 * A snapshot as Apache 3.8's SnapshotFormatter prints it: every znode depth-first from "/" (children
 * in java.util.HashSet order) with its StatPersisted, the sessions, the last zxid; or the ncdu JSON
 * export of `-json`.
 *
 * @module
 */
import { javaDateToString, javaHex, javaHexOfHalves } from "../zk-txnlog/java_text.ts";
import type { OutBuffer } from "../zk-txnlog/out_buffer.ts";
import { javaHashOrderOf, spread } from "../../internal/java_hash.ts";
import { ownerKey, type SnapNode, type SnapTree } from "./snapshot_tree.ts";

/** A node's children in the order Apache's DataNode (a HashSet of initial capacity 8) yields them. */
function childrenOf(node: SnapNode): SnapNode[] {
  const c = node.children;
  if (c === null || c.length < 2) return c ?? [];
  return Array.from(javaHashOrderOf(c.map((n) => n.nameHash), 8), (i) => c[i]);
}

/** `String.format("%#016x", v)` of a zxid. */
const hex016 = (v: number) => "0x" + javaHex(v).padStart(14, "0");

/**
 * Visits the tree depth-first from the root, children in HashSet order, without recursion (a
 * deep tree must not overflow the stack): `enter` per node; `leave` after a node's children.
 */
function walk(root: SnapNode, enter: (n: SnapNode, kids: SnapNode[]) => void, leave?: () => void) {
  const LEAVE = null;
  const stack: (SnapNode | null)[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === LEAVE) {
      leave!();
      continue;
    }
    const kids = childrenOf(n);
    enter(n, kids);
    if (leave !== undefined && kids.length > 0) stack.push(LEAVE);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/**
 * The zxid in a snapshot's file name as Apache's Util.getZxidFromName reads it: the hex between
 * the first and second dot, or -1.
 *
 * @example
 * ```ts
 * zxidFromName("snapshot.800000001"); // 0x800000001
 * ```
 */
export function zxidFromName(name: string): number {
  const parts = name.split(".");
  if (parts.length < 2 || parts[0] !== "snapshot" || !/^[0-9a-fA-F]+$/.test(parts[1])) return -1;
  return parseInt(parts[1], 16);
}

/**
 * SnapshotFormatter's default output (`dumpData`: `-d`, each node's data in base64 instead of its
 * length), written to `out`.
 *
 * @example
 * ```ts
 * printSnapshot(readSnapshotTree(window, false), 0, false, out); // "ZNode Details (count=5):\n…"
 * ```
 */
export function printSnapshot(
  tree: SnapTree,
  fileZxid: number,
  dumpData: boolean,
  out: OutBuffer,
): void {
  out.text(`ZNode Details (count=${tree.count}):\n`);
  let lastZxid = 0;
  walk(tree.root, (n) => {
    if (out.broken) return;
    const owner = "0x" + javaHexOfHalves(n.ownerHi, n.ownerLo).padStart(14, "0");
    const data = dumpData
      ? `  data = ${n.data === null ? "" : n.data.toBase64()}\n`
      : `  dataLength = ${n.dataLength}\n`;
    out.text(
      `----\n${n.path}\n  cZxid = ${hex016(n.czxid)}\n  ctime = ${javaDateToString(n.ctime)}\n` +
        `  mZxid = ${hex016(n.mzxid)}\n  mtime = ${javaDateToString(n.mtime)}\n` +
        `  pZxid = ${hex016(n.pzxid)}\n  cversion = ${n.cversion}\n` +
        `  dataVersion = ${n.version}\n  aclVersion = ${n.aversion}\n` +
        `  ephemeralOwner = ${owner}\n${data}`,
    );
    lastZxid = Math.max(lastZxid, n.mzxid, n.pzxid);
  });
  out.text("----\nSession Details (sid, timeout, ephemeralCount):\n");
  // A HashMap<Long, Integer>: a session listed twice keeps its place and takes the later timeout.
  const byId = new Map<string, { hi: number; lo: number; timeout: number }>();
  for (const s of tree.sessions) {
    byId.set(ownerKey(s.idHi, s.idLo), { hi: s.idHi, lo: s.idLo, timeout: s.timeout });
  }
  const sessions = [...byId.values()];
  // Long.hashCode: the two halves xor-ed.
  for (const i of javaHashOrderOf(sessions.map((s) => spread(s.hi ^ s.lo)), 16)) {
    const s = sessions[i];
    const id = "0x" + javaHexOfHalves(s.hi, s.lo).padStart(14, "0");
    out.text(`${id}, ${s.timeout}, ${tree.ephemerals.get(ownerKey(s.hi, s.lo)) ?? 0}\n`);
  }
  out.text(`----\nLast zxid: 0x${javaHex(Math.max(fileZxid, lastZxid))}\n`);
}

/** Jackson's JsonStringEncoder.quoteAsString (3.8.0's escaping): quotes, backslashes, controls. */
function jsonEscape(s: string): string {
  const named: Record<string, string> = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
  };
  return s.replace(
    // deno-lint-ignore no-control-regex -- control characters are exactly what gets escaped
    /["\\\x00-\x1f]/g,
    (ch) => named[ch] ?? "\\u" + ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0"),
  );
}

/**
 * SnapshotFormatter's `-json`: the ncdu export format (https://dev.yorhel.nl/ncdu/jsonfmt), each
 * znode a "file" of its data size, numbered from inode 1001; `timestamp` is the time of the dump.
 *
 * @example
 * ```ts
 * printSnapshotJson(readSnapshotTree(window, false), Date.now(), out); // '[1,0,{"progname":…'
 * ```
 */
export function printSnapshotJson(tree: SnapTree, timestamp: number, out: OutBuffer): void {
  let inode = 1000;
  out.text(
    `[1,0,{"progname":"SnapshotFormatter.java","progver":"0.01","timestamp":${timestamp}}`,
  );
  walk(tree.root, (n, kids) => {
    const name = n.path === "/" ? "/" : n.path.substring(n.path.lastIndexOf("/") + 1);
    const len = n.dataLength;
    out.text(
      `${kids.length === 0 ? "," : ",["}{"name":"${
        jsonEscape(name)
      }","asize":${len},"dsize":${len},"dev":0,"ino":${++inode}}`,
    );
  }, () => out.text("]"));
  out.text("]");
}
