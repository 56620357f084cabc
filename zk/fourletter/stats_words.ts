/**
 * Server statistics words: srvr, stat, cons, crst, srst. Output follows Apache 3.8.0's
 * StatCommand, ConsCommand and ServerCnxn.dumpConnectionInfo byte for byte.
 */
import type { ConnectionView, ServerView } from "../server/view.ts";
import type { Caller } from "./_caller.ts";
import { avg4, javaHex } from "./_java_format.ts";

/**
 * NIO interest ops as Apache prints them: a connection answering a four-letter word has cancelled
 * its selection key (0); every other connection is waiting to read (1).
 */
export function interestOps(c: ConnectionView, caller?: Caller): number {
  return caller !== undefined && c.remote === caller.remote ? 0 : 1;
}

/**
 * One connection, as `stat` (brief) and `cons` (long, for connections with a session) print it:
 * ` /127.0.0.1:59712[1](queued=0,recved=2,sent=2,sid=0x…,lop=CREA,est=…,to=10000,…)`.
 *
 * @example
 * ```ts
 * connectionLine(conn, true); // " /127.0.0.1:36786[1](queued=0,recved=1,sent=0)"
 * ```
 */
export function connectionLine(c: ConnectionView, brief: boolean, caller?: Caller): string {
  let s =
    ` ${c.remote}[${interestOps(c, caller)}](queued=${c.queued},recved=${c.packetsReceived},` +
    `sent=${c.packetsSent}`;
  if (!brief && c.sessionId !== null && c.sessionId !== 0n) {
    s += `,sid=0x${javaHex(c.sessionId)},lop=${c.lastOp},est=${c.established},` +
      `to=${c.sessionTimeout}`;
    if (c.lastCxid >= 0) s += `,lcxid=0x${javaHex(c.lastCxid)}`;
    s += `,lzxid=0x${javaHex(c.lastZxid)},lresp=${c.lastResponseTime},llat=${c.lastLatency},` +
      `minlat=${c.minLatency},avglat=${Math.floor(c.avgLatency)},maxlat=${c.maxLatency}`;
  }
  return `${s})`;
}

function statText(v: ServerView, withClients: boolean, caller?: Caller): string {
  const st = v.stats();
  const conns = v.connections();
  let out = `Zookeeper version: ${v.version}\n`;
  if (v.mode === "read-only") out += "READ-ONLY mode; serving only read-only clients\n";
  if (withClients) {
    out += "Clients:\n";
    for (const c of conns) out += `${connectionLine(c, true, caller)}\n`;
    out += "\n";
  }
  out += `Latency min/avg/max: ${st.minLatency}/${avg4(st.avgLatency)}/${st.maxLatency}\n` +
    `Received: ${st.packetsReceived}\nSent: ${st.packetsSent}\n` +
    `Connections: ${conns.length}\nOutstanding: ${st.outstanding}\n` +
    `Zxid: 0x${javaHex(v.lastZxid())}\nMode: ${v.mode}\nNode count: ${v.nodeCount()}\n`;
  // herd keeps no proposal size statistics; -1 is what Apache prints before the first proposal.
  if (v.mode === "leader") out += "Proposal sizes last/min/max: -1/-1/-1\n";
  return out;
}

/**
 * `srvr`: version, latency, packet counts, connections, zxid, mode and node count.
 *
 * @example
 * ```ts
 * srvr(view).split("\n")[0]; // "Zookeeper version: 3.8.0-…"
 * ```
 */
export function srvr(v: ServerView): string {
  return statText(v, false);
}

/** `stat`: srvr plus a `Clients:` list of every connection (brief form). */
export function stat(v: ServerView, caller?: Caller): string {
  return statText(v, true, caller);
}

/** `cons`: every connection in the long form, then an empty line. */
export function cons(v: ServerView, caller?: Caller): string {
  let out = "";
  for (const c of v.connections()) out += `${connectionLine(c, false, caller)}\n`;
  return `${out}\n`;
}

/** `crst`: resets every connection's counters. */
export function crst(v: ServerView): string {
  v.resetConnectionStats();
  return "Connection stats reset.\n";
}

/** `srst`: resets the server's latency and packet counters. */
export function srst(v: ServerView): string {
  v.resetStats();
  return "Server stats reset.\n";
}
