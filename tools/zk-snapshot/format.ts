/**
 * A snapshot as Apache 3.8's SnapshotFormatter prints it: every znode depth-first from "/" (children
 * in java.util.HashSet order) with its StatPersisted, the sessions, the last zxid; or the ncdu JSON
 * export of `-json`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { LoadedSnapshot } from "../../zk/persist/snapshot.ts";
import type { Znode } from "../../zk/tree/znode.ts";
import { javaDateToString, javaHex, javaHex016 } from "../zk-txnlog/java_text.ts";
import { javaHashOrder, javaLongHash, javaStringHash } from "./java_hash.ts";

/** A node's children in the order Apache's DataNode (a HashSet of initial capacity 8) yields them. */
function childrenOf(node: Znode): string[] {
  return node.children === null ? [] : javaHashOrder([...node.children], javaStringHash, 8);
}

const childPath = (parent: string, name: string) => (parent === "/" ? "" : parent) + "/" + name;

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
 * length).
 *
 * @example
 * ```ts
 * formatSnapshot(readSnapshot(bytes, 0), 0, false); // "ZNode Details (count=5):\n----\n/\n…"
 * ```
 */
export function formatSnapshot(snap: LoadedSnapshot, fileZxid: number, dumpData: boolean): string {
  const tree = snap.tree;
  const out: string[] = [`ZNode Details (count=${tree.nodeCount}):\n`];
  let lastZxid = 0;
  const visit = (path: string) => {
    const n = tree.get(path)!;
    out.push(
      "----\n",
      `${path}\n`,
      `  cZxid = ${javaHex016(n.czxid)}\n`,
      `  ctime = ${javaDateToString(n.ctime)}\n`,
      `  mZxid = ${javaHex016(n.mzxid)}\n`,
      `  mtime = ${javaDateToString(n.mtime)}\n`,
      `  pZxid = ${javaHex016(n.pzxid)}\n`,
      `  cversion = ${n.cversion}\n`,
      `  dataVersion = ${n.version}\n`,
      `  aclVersion = ${n.aversion}\n`,
      `  ephemeralOwner = ${javaHex016(n.ephemeralOwner)}\n`,
      dumpData
        ? `  data = ${Buffer.from(n.data).toString("base64")}\n`
        : `  dataLength = ${n.data.length}\n`,
    );
    lastZxid = Math.max(lastZxid, n.mzxid, n.pzxid);
    for (const c of childrenOf(n)) visit(childPath(path, c));
  };
  visit("/");
  out.push("----\n", "Session Details (sid, timeout, ephemeralCount):\n");
  const byId = new Map(snap.sessions.map((s) => [s.id, s.timeout]));
  for (const id of javaHashOrder([...byId.keys()], javaLongHash, 16)) {
    out.push(`${javaHex016(id)}, ${byId.get(id)}, ${tree.ephemeralsOf(id).length}\n`);
  }
  out.push("----\n", `Last zxid: 0x${javaHex(Math.max(fileZxid, lastZxid))}\n`);
  return out.join("");
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
 * formatSnapshotJson(readSnapshot(bytes, 0), Date.now()); // '[1,0,{"progname":…},[{"name":"/",…'
 * ```
 */
export function formatSnapshotJson(snap: LoadedSnapshot, timestamp: number): string {
  const tree = snap.tree;
  let inode = 1000;
  const out: string[] = [
    `[1,0,{"progname":"SnapshotFormatter.java","progver":"0.01","timestamp":${timestamp}}`,
  ];
  const visit = (path: string) => {
    const n = tree.get(path)!;
    const name = path === "/" ? "/" : path.substring(path.lastIndexOf("/") + 1);
    const len = n.data.length;
    const self = `{"name":"${
      jsonEscape(name)
    }","asize":${len},"dsize":${len},"dev":0,"ino":${++inode}}`;
    const children = childrenOf(n);
    out.push(",");
    if (children.length === 0) {
      out.push(self);
      return;
    }
    out.push("[" + self);
    for (const c of children) visit(childPath(path, c));
    out.push("]");
  };
  visit("/");
  out.push("]");
  return out.join("");
}
