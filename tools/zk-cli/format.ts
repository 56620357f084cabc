/**
 * zkCli's printed forms: the stat block (StatPrinter), ACL entries (the jute `Id` record's CSV
 * form, then `: cdrwa`), Java's `List.toString()` and the watcher's event lines.
 *
 * @module
 */
import type { ACL, Stat, WatchedEvent } from "../../zk/client/mod.ts";
import { EventType, KeeperState, Perms } from "../../zk/client/mod.ts";
import { javaDateToString, javaHex } from "../zk-txnlog/java_text.ts";

/**
 * The eleven lines StatPrinter prints, dates in the local time zone as the JVM shows them.
 *
 * @example
 * ```ts
 * statLines(stat)[0]; // "cZxid = 0x2"
 * ```
 */
export function statLines(stat: Stat): string[] {
  return [
    `cZxid = 0x${javaHex(stat.czxid)}`,
    `ctime = ${javaDateToString(stat.ctime)}`,
    `mZxid = 0x${javaHex(stat.mzxid)}`,
    `mtime = ${javaDateToString(stat.mtime)}`,
    `pZxid = 0x${javaHex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = 0x${javaHex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ];
}

/** ZKUtil.getPermString: the granted permissions as letters, in the order c d r w a. */
export function permString(perms: number): string {
  let s = "";
  if (perms & Perms.CREATE) s += "c";
  if (perms & Perms.DELETE) s += "d";
  if (perms & Perms.READ) s += "r";
  if (perms & Perms.WRITE) s += "w";
  if (perms & Perms.ADMIN) s += "a";
  return s;
}

/** jute's CSV string form: a leading quote, and `\0 \n \r , } %` escaped. */
function csvString(s: string): string {
  const escapes: Record<string, string> = {
    "\0": "%00",
    "\n": "%0A",
    "\r": "%0D",
    ",": "%2C",
    "}": "%7D",
    "%": "%25",
  };
  return "'" + s.replace(/[\0\n\r,}%]/g, (c) => escapes[c]);
}

/**
 * What getAcl prints per entry: the `Id` record's toString (which ends in a newline), then
 * `: perms`.
 *
 * @example
 * ```ts
 * aclText({ perms: 31, id: { scheme: "world", id: "anyone" } }); // "'world,'anyone\n: cdrwa"
 * ```
 */
export function aclText(acl: ACL): string {
  return `${csvString(acl.id.scheme)},${csvString(acl.id.id)}\n: ${permString(acl.perms)}`;
}

/**
 * Java's `AbstractCollection.toString()`: "[a, b]".
 *
 * @example
 * ```ts
 * javaList(["a", "b"]); // "[a, b]"
 * ```
 */
export function javaList(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}

function nameOf(table: Record<string, number>, value: number, unknown: string): string {
  for (const [name, v] of Object.entries(table)) if (v === value) return name;
  return unknown;
}

/**
 * `WatchedEvent.toString()` in 3.8: "WatchedEvent state:SyncConnected type:None path:null".
 *
 * @example
 * ```ts
 * eventString({ type: -1, state: 3, path: null });
 * ```
 */
export function eventString(e: WatchedEvent): string {
  const state = nameOf(KeeperState, e.state, "Unknown");
  const type = nameOf(EventType, e.type, "None");
  return `WatchedEvent state:${state} type:${type} path:${e.path}`;
}

/**
 * What zkCli's watcher prints for an event: each line preceded by an empty one
 * (ZooKeeperMain.printMessage), as one piece of text.
 */
export function watcherText(e: WatchedEvent): string {
  return `\nWATCHER::\n\n${eventString(e)}\n`;
}
