/**
 * Watch words: wchs, wchc, wchp. Like Apache 3.8.0 they show the data-watch table only
 * (getData/exists, persistent and persistent-recursive watches), not getChildren watches.
 */
import type { ServerView } from "../server/view.ts";
import { copiedCapacity, javaLongOrder, javaStringOrder } from "./_java_order.ts";
import { javaHex } from "./_java_format.ts";

/** Session id → watched paths, sessions in first-seen order, paths in Java HashSet order. */
export function watchesBySession(v: ServerView): Map<bigint, string[]> {
  const bySession = new Map<bigint, string[]>();
  for (const [path, ids] of v.watchTables().data) {
    for (const id of ids) bySession.set(id, [...(bySession.get(id) ?? []), path]);
  }
  for (const [id, paths] of bySession) bySession.set(id, javaStringOrder(paths));
  return bySession;
}

/** Path → watching session ids, paths in Java HashMap order. */
export function watchesByPath(v: ServerView): Map<string, bigint[]> {
  const data = v.watchTables().data;
  return new Map(javaStringOrder(data.keys()).map((p) => [p, data.get(p)!]));
}

/** The numbers `wchs` prints: watching sessions, watched paths, watches. */
export function watchSummary(
  v: ServerView,
): { connections: number; paths: number; watches: number } {
  const data = v.watchTables().data;
  const sessions = new Set<bigint>();
  let watches = 0;
  for (const ids of data.values()) {
    for (const id of ids) sessions.add(id);
    watches += ids.length;
  }
  return { connections: sessions.size, paths: data.size, watches };
}

/**
 * The admin app's `watches` map: Apache copies its tables into a `HashMap<Long, HashSet<String>>`,
 * so both sessions and paths come out in Java hash order.
 */
export function watchesBySessionReport(v: ServerView): Map<bigint, string[]> {
  const bySession = watchesBySession(v);
  const out = new Map<bigint, string[]>();
  for (const id of javaLongOrder(bySession.keys())) {
    const paths = bySession.get(id)!;
    out.set(id, javaStringOrder(paths, copiedCapacity(paths.length)));
  }
  return out;
}

/** The admin app's `watches_by_path` map: session ids per path in Java HashSet order. */
export function watchesByPathReport(v: ServerView): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  for (const [path, ids] of watchesByPath(v)) out.set(path, javaLongOrder(ids));
  return out;
}

/**
 * `wchs`: `N connections watching M paths` and `Total watches:T`.
 *
 * @example
 * ```ts
 * wchs(view); // "0 connections watching 0 paths\nTotal watches:0\n"
 * ```
 */
export function wchs(v: ServerView): string {
  const s = watchSummary(v);
  return `${s.connections} connections watching ${s.paths} paths\nTotal watches:${s.watches}\n`;
}

/** `wchc`: each watching session, then its paths indented by a tab; then an empty line. */
export function wchc(v: ServerView): string {
  let out = "";
  for (const [id, paths] of watchesBySession(v)) {
    out += `0x${javaHex(id)}\n`;
    for (const p of paths) out += `\t${p}\n`;
  }
  return `${out}\n`;
}

/** `wchp`: each watched path, then its sessions indented by a tab; then an empty line. */
export function wchp(v: ServerView): string {
  let out = "";
  for (const [path, ids] of watchesByPath(v)) {
    out += `${path}\n`;
    for (const id of ids) out += `\t0x${javaHex(id)}\n`;
  }
  return `${out}\n`;
}
