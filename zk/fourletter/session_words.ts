/**
 * `dump`: sessions by expiry bucket, ephemerals per session and connections by expiry bucket, in
 * the layout of Apache 3.8.0's DumpCommand (SessionTrackerImpl, DataTree and
 * NIOServerCnxnFactory dumps).
 */
import type { ConnectionView, ServerView } from "../server/view.ts";
import type { Caller } from "./_caller.ts";
import { javaLongOrder, javaStringOrder } from "./_java_order.ts";
import { javaDate, javaHex } from "./_java_format.ts";

/**
 * Apache's NIO factory expires idle connections in buckets of `zookeeper.nio.sessionlessCnxnTimeout`
 * (10 s), and gives connections without a session that timeout.
 */
export const SESSIONLESS_CNXN_TIMEOUT = 10000;

/** Session expiry time (ms, bucketed by tick) → session ids, in ascending time. */
export function sessionExpiryMap(v: ServerView): Map<number, bigint[]> {
  const byTime = new Map<number, bigint[]>();
  for (const s of v.sessions()) {
    const ids = byTime.get(s.expireAt) ?? [];
    ids.push(s.id);
    byTime.set(s.expireAt, ids);
  }
  return new Map([...byTime].sort((a, b) => a[0] - b[0]));
}

/**
 * Session id → its ephemeral paths, for sessions that own any, in the order Apache's
 * `ConcurrentHashMap<Long, HashSet<String>>` iterates them.
 */
export function ephemeralsBySession(v: ServerView): Map<bigint, string[]> {
  const paths = new Map<bigint, string[]>();
  for (const s of v.sessions()) if (s.ephemerals.length > 0) paths.set(s.id, s.ephemerals);
  const out = new Map<bigint, string[]>();
  for (const id of javaLongOrder(paths.keys())) out.set(id, javaStringOrder(paths.get(id)!));
  return out;
}

function connectionExpiry(c: ConnectionView, now: number, caller?: Caller): number {
  const lastActive = caller?.remote === c.remote
    ? now
    : Math.max(c.established, c.lastResponseTime);
  const timeout = c.sessionId !== null && c.sessionTimeout > 0
    ? c.sessionTimeout
    : SESSIONLESS_CNXN_TIMEOUT;
  // ExpiryQueue.roundToNextInterval: the next multiple of the bucket interval.
  return (Math.floor((lastActive + timeout) / SESSIONLESS_CNXN_TIMEOUT) + 1) *
    SESSIONLESS_CNXN_TIMEOUT;
}

function bucketLines<T>(buckets: Map<number, T[]>, line: (t: T) => string): string {
  let out = "";
  for (const [time, items] of buckets) {
    out += `${items.length} expire at ${javaDate(time)}:\n`;
    for (const item of items) out += `\t${line(item)}\n`;
  }
  return out;
}

/**
 * `dump`. herd prints only the buckets that hold something; Apache also lists buckets its
 * sessions have already moved out of (`0 expire at …:`) until they pass.
 *
 * @example
 * ```ts
 * dump(view).split("\n")[0]; // "SessionTracker dump:"
 * ```
 */
export function dump(v: ServerView, caller?: Caller, now: number = Date.now()): string {
  const sessions = sessionExpiryMap(v);
  const nSessions = [...sessions.values()].reduce((n, ids) => n + ids.length, 0);
  let out = "SessionTracker dump:\n" + `Session Sets (${sessions.size})/(${nSessions}):\n` +
    bucketLines(sessions, (id) => `0x${javaHex(id)}`);
  const eph = ephemeralsBySession(v);
  out += `ephemeral nodes dump:\nSessions with Ephemerals (${eph.size}):\n`;
  for (const [id, paths] of eph) {
    out += `0x${javaHex(id)}:\n`;
    for (const p of paths) out += `\t${p}\n`;
  }
  const conns = v.connections();
  const byTime = new Map<number, ConnectionView[]>();
  for (const c of conns) {
    const t = connectionExpiry(c, now, caller);
    byTime.set(t, [...(byTime.get(t) ?? []), c]);
  }
  const buckets = new Map([...byTime].sort((a, b) => a[0] - b[0]));
  out += `Connections dump:\nConnections Sets (${buckets.size})/(${conns.length}):\n` +
    bucketLines(buckets, (c) => `ip: ${c.remote} sessionId: 0x${javaHex(c.sessionId ?? 0n)}`);
  return out;
}
