/**
 * A learner's client side (Apache's FollowerZooKeeperServer and ObserverZooKeeperServer, with
 * their request processors): reads are answered from the local tree; writes, createSession,
 * closeSession and sync go to the leader as REQUEST packets; committed txns come back from the
 * leader in zxid order and answer the client that asked, matched by (session, cxid), after the
 * tree has changed and its watches fired (quorum-protocol.md §6).
 *
 * Sessions belong to the leader: it expires them and decides on reconnects (REVALIDATE); this
 * server only reports which sessions its clients touched, in its PING replies. Between leaders it
 * serves no one: new connections are refused and every client is closed, as Apache's learner
 * does, so clients move to another server or come back once this one has synced.
 *
 * @module
 */
import type { Id } from "../jute/records.ts";
import type { Request } from "../jute/requests.ts";
import { OpCode } from "../jute/opcodes.ts";
import type { DataTree, TxnResult } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import type { Connection } from "./connection.ts";
import { LOG_SITES } from "./log_sites.ts";
import type { Session } from "./session_tracker.ts";
import { samePassword, sessionPassword } from "./session_password.ts";
import type { ZkServer } from "./server.ts";

/** What the learner's connection to the leader offers the client side. */
export interface LeaderLink {
  /** A REQUEST packet: the client's request as it arrived, with the connection's auth ids. */
  request(sessionId: bigint, cxid: number, type: number, body: Uint8Array, authInfo: Id[]): void;
  /** A REVALIDATE packet for a client reconnecting with an existing session. */
  revalidate(sessionId: bigint, timeoutMs: number): void;
}

/** A forwarded request waiting for its txn. */
interface Pending {
  c: Connection;
  xid: number;
  type: number;
  startedAt: number;
  item: { ready: boolean; run: () => void };
}

/** A connect waiting for the leader: a new session's createSession, or a REVALIDATE. */
interface Connecting {
  c: Connection;
  timeout: number;
  startedAt: number;
}

/**
 * The client side of a learner, plugged into a {@link ZkServer} as its `upstream`.
 *
 * @example
 * ```ts ignore
 * const fwd = new Forwarder(server);
 * server.upstream = fwd;
 * fwd.serve(learner.tree, learner.sessions, link); // after UPTODATE
 * fwd.committed(entry, result); // after the learner applied each txn
 * fwd.lost(); // the leader is gone
 * ```
 */
export class Forwarder {
  /** Between UPTODATE and the loss of the leader. */
  serving = false;
  private link: LeaderLink | null = null;
  /** Forwarded writes by session, then cxid. */
  private readonly writes = new Map<bigint, Map<number, Pending>>();
  private readonly creating = new Map<bigint, Connecting>();
  private readonly revalidating = new Map<bigint, Connecting>();
  /** Forwarded syncs, oldest first: the leader answers them in order (§6). */
  private readonly syncs: { pending: Pending; path: Request }[] = [];
  /** Sessions touched since the last PING reply, with their timeouts. */
  private touched = new Map<bigint, number>();

  constructor(private readonly server: ZkServer) {}

  /** UPTODATE: serve `tree` (the learner's) and its global sessions, talking to `link`. */
  serve(tree: DataTree, sessions: ReadonlyMap<bigint, number>, link: LeaderLink): void {
    const s = this.server;
    s.adoptTree(tree);
    const now = s.clock.now();
    for (const id of [...s.sessions.sessions.keys()]) {
      if (!sessions.has(id)) s.sessions.remove(id);
    }
    for (const [id, timeout] of sessions) {
      if (!s.sessions.get(id)) s.sessions.add(id, timeout, sessionPassword(id), now);
    }
    this.link = link;
    this.serving = true;
  }

  /** The leader is gone: close every client and forget what waited for it. */
  lost(): void {
    this.serving = false;
    this.link = null;
    this.writes.clear();
    this.creating.clear();
    this.revalidating.clear();
    this.syncs.length = 0;
    this.touched.clear();
    const s = this.server;
    for (const c of [...s.connections]) {
      c.session = null;
      c.close();
    }
    s.owners.clear();
  }

  /** A connection while not serving: Apache's "ZooKeeperServer not running". */
  refuse(c: Connection): void {
    this.server.log.warn(
      LOG_SITES.closeOfSession,
      "Close of session 0x0\njava.io.IOException: ZooKeeperServer not running",
    );
    c.close();
  }

  /** A connect request, negotiated: a new session goes to the leader, a known one is revalidated. */
  connect(
    c: Connection,
    sessionId: bigint,
    passwd: Uint8Array | null,
    timeout: number,
    now: number,
  ): void {
    const s = this.server;
    if (sessionId === 0n) {
      const id = s.sessions.newSessionId();
      this.creating.set(id, { c, timeout, startedAt: now });
      const body = new Uint8Array(4);
      new DataView(body.buffer).setInt32(0, timeout);
      this.link?.request(id, 0, OpCode.createSession, body, c.authInfo);
      return;
    }
    // The password is a function of the id, so it is checked here; the leader decides the rest.
    if (!samePassword(sessionPassword(sessionId), passwd)) {
      return this.invalid(c, sessionId);
    }
    this.revalidating.set(sessionId, { c, timeout, startedAt: now });
    this.link?.revalidate(sessionId, timeout);
  }

  private invalid(c: Connection, sessionId: bigint): void {
    this.server.log.info(
      LOG_SITES.invalidSession,
      `Invalid session 0x${sessionId.toString(16)} for client ${c.remote}, probably expired`,
    );
    this.server.connectResponse(c, 0, 0n, new Uint8Array(16));
    c.closeAfterFlush();
  }

  /** The leader's REVALIDATE answer. */
  revalidated(sessionId: bigint, valid: boolean): void {
    const r = this.revalidating.get(sessionId);
    if (r === undefined) return;
    this.revalidating.delete(sessionId);
    if (r.c.closed) return;
    if (!valid) return this.invalid(r.c, sessionId);
    this.establish(r.c, sessionId, r.timeout, false);
  }

  private establish(c: Connection, id: bigint, timeout: number, created: boolean): void {
    const s = this.server;
    const now = s.clock.now();
    const session = s.sessions.get(id) ?? s.sessions.add(id, timeout, sessionPassword(id), now);
    session.timeout = timeout;
    const prev = s.owners.get(id);
    if (prev && prev !== c) {
      prev.session = null;
      prev.close();
    }
    if (created) {
      s.metrics.updateLatency.add(now - (this.creating.get(id)?.startedAt ?? now));
    }
    s.attach(c, session, timeout);
  }

  /** A client request or ping: the leader hears of it in the next PING reply. */
  touch(session: Session): void {
    this.touched.set(session.id, session.timeout);
  }

  /** The sessions touched since the last call (a PING reply's list). */
  takeTouches(): { sessionId: bigint; timeoutMs: number }[] {
    const out = [...this.touched].map(([sessionId, timeoutMs]) => ({ sessionId, timeoutMs }));
    this.touched = new Map();
    return out;
  }

  /** A write: forwarded, answered in the session's order when its txn commits. */
  write(c: Connection, xid: number, type: number, body: Uint8Array, startedAt: number): void {
    const session = c.session!;
    const pending = this.queue(c, xid, type, startedAt);
    let bySession = this.writes.get(session.id);
    if (!bySession) this.writes.set(session.id, bySession = new Map());
    bySession.set(xid, pending);
    this.link?.request(session.id, xid, type, body, c.authInfo);
  }

  /** A sync: forwarded; answered when the leader's SYNC comes back, oldest first. */
  sync(c: Connection, xid: number, req: Request, body: Uint8Array, startedAt: number): void {
    const pending = this.queue(c, xid, OpCode.sync, startedAt);
    this.syncs.push({ pending, path: req });
    this.link?.request(c.session!.id, xid, OpCode.sync, body, c.authInfo);
  }

  private queue(c: Connection, xid: number, type: number, startedAt: number): Pending {
    const item = { ready: false, run: () => {} };
    c.inOrder.push(item);
    return { c, xid, type, startedAt, item };
  }

  /** The leader's SYNC: the oldest forwarded sync is done. */
  syncDone(): void {
    const done = this.syncs.shift();
    if (done === undefined) return;
    const p = done.pending;
    p.item.run = () => this.server.answerRead(p.c, p.xid, p.type, done.path, p.startedAt);
    p.item.ready = true;
    this.server.drain(p.c);
  }

  /** A txn the learner has just applied: answer whoever here asked for it. */
  committed(entry: TxnEntry, result: TxnResult): void {
    const { hdr } = entry;
    const s = this.server;
    if (hdr.type === OpCode.createSession) {
      const waiting = this.creating.get(hdr.clientId);
      const timeout = entry.txn.type === OpCode.createSession ? entry.txn.timeOut : 0;
      if (!s.sessions.get(hdr.clientId)) {
        s.sessions.add(hdr.clientId, timeout, sessionPassword(hdr.clientId), s.clock.now());
      }
      if (waiting !== undefined) {
        if (!waiting.c.closed) this.establish(waiting.c, hdr.clientId, timeout, true);
        this.creating.delete(hdr.clientId);
      }
      return;
    }
    const bySession = this.writes.get(hdr.clientId);
    const p = bySession?.get(hdr.cxid);
    if (p !== undefined) {
      bySession!.delete(hdr.cxid);
      if (bySession!.size === 0) this.writes.delete(hdr.clientId);
      p.item.run = () => this.server.answerWrite(p.c, p.xid, p.type, entry, result, p.startedAt);
      p.item.ready = true;
      s.drain(p.c);
      return;
    }
    if (hdr.type === OpCode.closeSession) {
      // Expired by the leader, or closed through another server: drop the client here.
      this.writes.delete(hdr.clientId);
      s.sessions.remove(hdr.clientId);
      const c = s.owners.get(hdr.clientId);
      s.owners.delete(hdr.clientId);
      if (c) {
        c.session = null;
        c.close();
      }
    }
  }
}
