/**
 * The session's connection: handshake, pipelined requests, pings, and reconnecting across the
 * ensemble with the same session. It knows requests only as jute records and reports
 * notifications and state changes through hooks; path and watch semantics live in client.ts.
 *
 * Apache-compatible behaviour kept on purpose: replies match requests in xid order (a mismatch
 * drops the connection); auth replies (xid -4) are answered out of band by the server, so they
 * have their own queue; after a reconnect the client re-sends its auth and SetWatches2 before
 * any queued request; requests made while disconnected wait for the next connection attempt
 * and fail with CONNECTIONLOSS if it fails; after close or expiry everything fails with
 * SESSIONEXPIRED.
 */
import { Err, KeeperState, OpCode, type Request, writeRequest, Xid, ZkError } from "../jute/mod.ts";
import type { JuteReader } from "../jute/mod.ts";
import { readConnectResponse, writeConnectRequest } from "./_connect_codec.ts";
import { Fifo } from "./_fifo.ts";
import { type Done, InFlight } from "./_in_flight.ts";
import type { HostList, HostPort } from "./host_list.ts";
import { dialTcp, PacketSocket } from "./packet_socket.ts";
import { setWatchesBatches } from "./set_watches.ts";
import type { ZkState } from "./types.ts";
import type { WatchPaths } from "./watches.ts";

/** What a Connection needs from its owner. */
export interface ConnectionOptions {
  hosts: HostList;
  sessionTimeout: number;
  readOnly: boolean;
  sessionId: bigint;
  password: Uint8Array;
  reconnectDelay: number;
  /** A session state to announce (a KeeperState value). */
  onState: (state: number) => void;
  /** A watch notification, with the server's path. */
  onNotification: (type: number, state: number, path: string) => void;
  /** Server paths of all registered watches, re-sent after a reconnect; null when none. */
  watchPaths: () => WatchPaths | null;
  /** Progress messages (connecting, connected, lost, expired). */
  log: (message: string) => void;
}

interface AuthEntry {
  scheme: string;
  auth: Uint8Array | null;
  /** The addAuth caller still waiting, when it was called while disconnected. */
  waiter: Done | null;
}

/** A ZooKeeper session over a sequence of TCP connections. */
export class Connection {
  #o: ConnectionOptions;
  #state: ZkState = "CONNECTING";
  #sessionId: bigint;
  #password: Uint8Array;
  #timeout = 0;
  #lastZxid = 0;
  #sock: PacketSocket | null = null;
  /** True once #sock completed the handshake. */
  #live = false;
  #inFlight = new InFlight();
  #queued: Array<{ req: Request; done: Done }> = [];
  #auth: AuthEntry[] = [];
  #authWaiters = new Fifo<Done | null>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dialing: AbortController | null = null;
  #tasks = new Set<Promise<void>>();
  #stopped = false;
  #closingFlag = false;
  #closing: Promise<void> | null = null;
  #deadCode: number = Err.SESSIONEXPIRED;
  #ready = Promise.withResolvers<void>();

  constructor(opts: ConnectionOptions) {
    this.#o = opts;
    this.#sessionId = opts.sessionId;
    this.#password = opts.password;
    this.#ready.promise.catch(() => {});
  }

  /** Starts connecting; resolves on the first session, rejects with a ZkError if it ends first. */
  start(): Promise<void> {
    this.#connectNext();
    return this.#ready.promise;
  }

  /** The client state. */
  get state(): ZkState {
    return this.#state;
  }
  /** The session id (0n until the first connection). */
  get sessionId(): bigint {
    return this.#sessionId;
  }
  /** A copy of the session password. */
  get sessionPassword(): Uint8Array {
    return this.#password.slice();
  }
  /** The session timeout the server granted, in ms (0 until connected). */
  get negotiatedTimeout(): number {
    return this.#timeout;
  }
  /** The highest zxid seen in a reply. */
  get lastZxid(): number {
    return this.#lastZxid;
  }

  /** Sends a request (or queues it until connected); `done` runs when it is answered or fails. */
  submit(req: Request, done: Done): void {
    if (this.#stopped || this.#closingFlag) return done(this.#deadCode, null);
    if (this.#live && this.#sock !== null) this.#write(this.#sock, req, done);
    else this.#queued.push({ req, done });
  }

  /** Adds auth info for this session (kept and re-sent after every reconnect). */
  addAuth(scheme: string, auth: Uint8Array | null, done: Done): void {
    if (this.#stopped || this.#closingFlag) return done(this.#deadCode, null);
    const entry: AuthEntry = { scheme, auth, waiter: null };
    this.#auth.push(entry);
    if (this.#live && this.#sock !== null) this.#sendAuth(this.#sock, entry, done);
    else entry.waiter = done;
  }

  /** Closes the session on the server (if connected) and stops; idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  async #doClose(): Promise<void> {
    const sock = this.#sock;
    if (!this.#stopped && this.#live && sock !== null) {
      this.#closingFlag = true;
      await new Promise<void>((resolve) => {
        const guard = setTimeout(resolve, Math.max(1000, this.#timeout));
        this.#write(sock, { type: OpCode.closeSession }, () => {
          clearTimeout(guard);
          resolve();
        });
      });
    }
    this.#terminate("CLOSED", KeeperState.Closed, Err.SESSIONEXPIRED);
    while (this.#tasks.size > 0) await Promise.all([...this.#tasks]);
  }

  #track(p: Promise<void>): void {
    const tracked: Promise<void> = p
      .catch((e) => console.error("zk client: internal error", e))
      .finally(() => this.#tasks.delete(tracked));
    this.#tasks.add(tracked);
  }

  #setTimer(ms: number, fn: () => void): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      fn();
    }, ms);
  }

  #connectNext(): void {
    if (this.#stopped || this.#closingFlag) return;
    const { host, backoff } = this.#o.hosts.next();
    if (backoff) this.#setTimer(this.#o.reconnectDelay, () => this.#dial(host));
    else this.#dial(host);
  }

  /** Apache's connect timeout: the session timeout shared among the hosts. */
  #attemptTimeout(): number {
    return (this.#timeout || this.#o.sessionTimeout) / this.#o.hosts.size;
  }

  #dial(host: HostPort): void {
    const abort = new AbortController();
    this.#dialing = abort;
    const timeout = this.#attemptTimeout();
    const started = performance.now();
    this.#track((async () => {
      let conn: Deno.TcpConn;
      this.#o.log(`opening socket connection to ${hostName(host)}`);
      try {
        conn = await dialTcp(host.host, host.port, timeout, abort.signal);
      } catch (e) {
        if (this.#dialing === abort) {
          this.#o.log(`connection to ${hostName(host)} failed: ${errorText(e)}`);
          this.#dialing = null;
          this.#attemptFailed();
          this.#connectNext();
        }
        return;
      }
      if (this.#dialing !== abort) return conn.close();
      this.#dialing = null;
      const sock: PacketSocket = new PacketSocket(
        conn,
        (r) => this.#onFrame(sock, r, host),
        () => this.#onClosed(sock, host),
      );
      this.#sock = sock;
      this.#live = false;
      this.#track(sock.done);
      sock.send((w) =>
        writeConnectRequest(w, {
          lastZxidSeen: this.#lastZxid,
          timeOut: this.#o.sessionTimeout,
          sessionId: this.#sessionId,
          passwd: this.#password,
          readOnly: this.#o.readOnly,
        })
      );
      this.#setTimer(Math.max(1, timeout - (performance.now() - started)), () => sock.close());
    })());
  }

  #onFrame(sock: PacketSocket, r: JuteReader, host: HostPort): void {
    if (sock !== this.#sock) return;
    try {
      if (this.#live) this.#onReply(r);
      else this.#onHandshake(sock, r, host);
    } catch (e) {
      console.warn(`zk client: bad frame from server, reconnecting: ${e}`);
      throw e;
    }
  }

  #onHandshake(sock: PacketSocket, r: JuteReader, host: HostPort): void {
    const resp = readConnectResponse(r);
    clearTimeout(this.#timer);
    if (resp.timeOut <= 0) {
      this.#o.log(`session 0x${this.#sessionId.toString(16)} expired (told by ${hostName(host)})`);
      this.#terminate("CLOSED", KeeperState.Expired, Err.SESSIONEXPIRED);
      return;
    }
    this.#live = true;
    this.#timeout = resp.timeOut;
    this.#sessionId = resp.sessionId;
    this.#password = resp.passwd;
    this.#o.hosts.connected();
    this.#state = resp.readOnly ? "CONNECTEDREADONLY" : "CONNECTED";
    this.#o.log(
      `session 0x${resp.sessionId.toString(16)} established with ${hostName(host)}, ` +
        `timeout ${resp.timeOut}ms${resp.readOnly ? " (read-only)" : ""}`,
    );
    for (const a of this.#auth) {
      this.#sendAuth(sock, a, a.waiter);
      a.waiter = null;
    }
    const paths = this.#o.watchPaths();
    if (paths !== null) this.#sendSetWatches(sock, paths);
    const queued = this.#queued;
    this.#queued = [];
    for (const q of queued) this.#write(sock, q.req, q.done);
    this.#tick();
    this.#o.onState(resp.readOnly ? KeeperState.ConnectedReadOnly : KeeperState.SyncConnected);
    this.#ready.resolve();
  }

  #onReply(r: JuteReader): void {
    const xid = r.int();
    const zxid = r.long();
    const err = r.int();
    switch (xid) {
      case Xid.ping:
      case Xid.setWatches:
        return;
      case Xid.notification: {
        const type = r.int();
        const state = r.int();
        this.#o.onNotification(type, state, r.str());
        return;
      }
      case Xid.auth: {
        const waiter = this.#authWaiters.shift();
        waiter?.(err, null);
        if (err === Err.AUTHFAILED) {
          this.#terminate("AUTH_FAILED", KeeperState.AuthFailed, Err.AUTHFAILED);
        }
        return;
      }
    }
    if (zxid > 0) this.#lastZxid = zxid;
    this.#inFlight.complete(xid, err, r);
  }

  #write(sock: PacketSocket, req: Request, done: Done): void {
    const xid = this.#inFlight.nextXid();
    try {
      sock.send((w) => {
        w.int(xid);
        w.int(req.type);
        writeRequest(w, req);
      });
    } catch {
      return done(Err.MARSHALLINGERROR, null);
    }
    this.#inFlight.add(xid, req.type, done);
  }

  #sendAuth(sock: PacketSocket, a: AuthEntry, waiter: Done | null): void {
    sock.send((w) => {
      w.int(Xid.auth);
      w.int(OpCode.auth);
      writeRequest(w, { type: OpCode.auth, authType: 0, scheme: a.scheme, auth: a.auth });
    });
    this.#authWaiters.push(waiter);
  }

  #sendSetWatches(sock: PacketSocket, paths: WatchPaths): void {
    for (const req of setWatchesBatches(paths, this.#lastZxid)) {
      sock.send((w) => {
        w.int(Xid.setWatches);
        w.int(OpCode.setWatches2);
        writeRequest(w, req);
      });
    }
  }

  /** Pings when the connection has been idle for a third of the timeout; drops it when the
   * server has been silent for two thirds (Apache's readTimeout), so a dead peer is noticed. */
  #tick(): void {
    const sock = this.#sock;
    if (sock === null || !this.#live) return;
    const now = performance.now();
    const readTimeout = this.#timeout * 2 / 3;
    const pingEvery = this.#timeout / 3;
    if (now - sock.lastRecv >= readTimeout) return sock.close();
    if (now - sock.lastSend >= pingEvery) {
      sock.send((w) => {
        w.int(Xid.ping);
        w.int(OpCode.ping);
      });
      sock.lastSend = now;
    }
    const wait = Math.min(pingEvery - (now - sock.lastSend), readTimeout - (now - sock.lastRecv));
    this.#setTimer(Math.max(10, wait), () => this.#tick());
  }

  #onClosed(sock: PacketSocket, host: HostPort): void {
    if (sock !== this.#sock) return;
    const why = sock.error === null ? "closed" : errorText(sock.error);
    this.#o.log(`connection to ${hostName(host)} ${this.#live ? "lost" : "failed"}: ${why}`);
    this.#sock = null;
    clearTimeout(this.#timer);
    const wasLive = this.#live;
    this.#live = false;
    this.#inFlight.failAll(Err.CONNECTIONLOSS);
    for (const w of this.#authWaiters.drain()) w?.(Err.CONNECTIONLOSS, null);
    if (this.#stopped || this.#closingFlag) return;
    if (wasLive) {
      this.#state = "CONNECTING";
      this.#o.onState(KeeperState.Disconnected);
    } else {
      this.#attemptFailed();
    }
    this.#connectNext();
  }

  /** A connection attempt failed: what waited for it fails too, as in Apache. */
  #attemptFailed(): void {
    const queued = this.#queued;
    this.#queued = [];
    for (const q of queued) q.done(Err.CONNECTIONLOSS, null);
    for (const a of this.#auth) {
      const w = a.waiter;
      a.waiter = null;
      w?.(Err.CONNECTIONLOSS, null);
    }
  }

  /** Ends the session for good: closed, expired or auth failed. */
  #terminate(state: ZkState, keeperState: number, code: number): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#state = state;
    this.#deadCode = code;
    clearTimeout(this.#timer);
    this.#dialing?.abort();
    this.#dialing = null;
    const sock = this.#sock;
    this.#sock = null;
    this.#live = false;
    sock?.close();
    this.#inFlight.failAll(code);
    for (const w of this.#authWaiters.drain()) w?.(code, null);
    const queued = this.#queued;
    this.#queued = [];
    for (const q of queued) q.done(code, null);
    for (const a of this.#auth) {
      a.waiter?.(code, null);
      a.waiter = null;
    }
    this.#o.onState(keeperState);
    this.#ready.reject(new ZkError(code));
  }
}

function hostName(h: HostPort): string {
  return h.host.includes(":") ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
