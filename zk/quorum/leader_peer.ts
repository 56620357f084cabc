/**
 * The leader's shell (Apache's Leader and LearnerHandler threads): it recovers the tree and the
 * committed log from dataDir, listens on the quorum port, feeds every learner's packets and a
 * tick every tickTime/2 to the pure machine in leader.ts, and carries out its effects one after
 * another — epoch files, the txn log and its fsync, snapshots streamed after SNAP, the tree —
 * so nothing is sent or applied ahead of what is durable. Forwarded client writes (REQUEST) go
 * through zk/server's prep stage, as the leader's own writes do ({@link LeaderPeer.submit}).
 *
 * @module
 */
import { Logger } from "../../internal/log.ts";
import { acceptLoop, listenTcp } from "../../internal/tcp_listener.ts";
import { JuteReader } from "../jute/reader.ts";
import { JuteWriter } from "../jute/writer.ts";
import { OpCode } from "../jute/opcodes.ts";
import type { Id } from "../jute/records.ts";
import { readRequest, type Request } from "../jute/requests.ts";
import { readEpoch, writeEpoch } from "../persist/epoch.ts";
import { listZxidFiles, logsAfter, versionDir } from "../persist/files.ts";
import { recover } from "../persist/recovery.ts";
import { readLogBytes, readLogFile, TxnLogWriter } from "../persist/txn_log.ts";
import { ChangeView } from "../server/changes.ts";
import { prepare, type PrepContext } from "../server/prep.ts";
import { LOG_SITES } from "../server/log_sites.ts";
import type { LeaderFigures } from "../server/view.ts";
import type { DataTree, TxnResult } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import {
  initialLeader,
  type LeaderEffect,
  type LeaderInput,
  type LeaderState,
  nextZxid,
  stepLeader,
} from "./leader.ts";
import { LearnerStreamDecoder } from "./learner_stream.ts";
import {
  decodeLearnerPacket,
  encodeLeaderMessage,
  type LeaderMessage,
  QuorumMessageError,
  type SessionTouch,
} from "./quorum_message.ts";
import { epochOf, hexZxid, PacketType, writeQuorumPacket } from "./quorum_packet.ts";
import { writeSnapStream } from "./snap_stream.ts";

/** Where and how a {@link LeaderPeer} runs. */
export interface LeaderPeerOptions {
  sid: number;
  dataDir: string;
  /** Defaults to dataDir. */
  dataLogDir?: string;
  /** This server's quorum address (host and quorum port of its server.N line). */
  listen: { host: string; port: number };
  voters: ReadonlySet<number>;
  /** NEWLEADER's data: the config text (quorum_verifier.ts), or null. */
  configText?: string | null;
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  logger?: Logger;
  /** Told when a quorum has ACKed NEWLEADER: the leader serves from here on. */
  onEstablished?: (epoch: number) => void;
  /** Told of each txn just applied to the tree, with its result: the client side answers. */
  onCommitted?: (entry: TxnEntry, result: TxnResult) => void;
  /** The sessions the leader's own clients touched since the last call (asked every tick). */
  touches?: () => readonly SessionTouch[];
  /** A session of the leader's own clients was revalidated through a learner: it moved there. */
  onSessionMoved?: (sessionId: bigint) => void;
}

/** Who holds a session: a learner's connection, or {@link LOCAL} for the leader's own clients. */
const LOCAL = 0;

/** A session's expiry as the leader keeps it (Apache's SessionTrackerImpl, without buckets). */
interface Expiry {
  deadline: number;
  timeoutMs: number;
}

/** A write waiting for its commit. */
interface Waiter {
  resolve: (e: TxnEntry) => void;
  reject: (e: Error) => void;
}

/** One learner's socket and its ordered output. */
interface Link {
  id: number;
  conn: Deno.TcpConn;
  out: Uint8Array[];
  writing: boolean;
  closed: boolean;
}

/** A forwarded or local write, before prep. */
interface Pending {
  sessionId: bigint;
  cxid: number;
  type: number;
  body: Uint8Array | null;
  request: Request | null;
  authinfo: readonly Id[];
  waiter?: Waiter;
}

/**
 * One term of leadership: recover, listen, lead until a quorum is lost or {@link stop} is
 * called. A new election means a new LeaderPeer on the same dirs.
 *
 * @example
 * ```ts ignore
 * const leader = new LeaderPeer({ sid: 3, dataDir: "/var/lib/herd", voters: new Set([1, 2, 3]),
 *   listen: { host: "127.0.0.14", port: 2888 }, tickTime: 2000, initLimit: 10, syncLimit: 5 });
 * await leader.start();
 * const why = await leader.done; // the reason it stopped leading
 * ```
 */
export class LeaderPeer {
  tree!: DataTree;
  readonly sessions = new Map<bigint, number>();
  /** Resolves with the reason the leader stopped. */
  readonly done: Promise<string>;
  /** Txns committed, and the fsyncs of the leader's own log. */
  readonly stats = { committed: 0, logged: 0, logFsyncs: 0, snapshotsSent: 0 };
  #state!: LeaderState;
  #resolveDone!: (why: string) => void;
  #log!: TxnLogWriter;
  #view!: ChangeView;
  #listener: Deno.TcpListener | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #links = new Map<number, Link>();
  #nextLink = 1;
  #chain: Promise<void> = Promise.resolve();
  #waiters = new Map<number, Waiter>();
  #writes: Pending[] = [];
  #nextSession = 0n;
  /** Session deadlines, from establishment on (the leader decides expiry). */
  #expiry = new Map<bigint, Expiry>();
  /** Sessions whose closeSession is proposed: no longer valid, not expired twice. */
  #closing = new Set<bigint>();
  /** Which link holds each session (REVALIDATE moves it), {@link LOCAL} for the leader's own. */
  #owners = new Map<bigint, number>();
  /** Local syncs waiting for the commit of the zxid proposed last when they were asked. */
  #syncs: { zxid: number; resolve: () => void }[] = [];
  #stopped = false;
  readonly #logger: Logger;
  readonly #where: string;

  constructor(readonly opts: LeaderPeerOptions) {
    this.#logger = opts.logger ?? new Logger(String(opts.sid));
    this.#where = `QuorumPeer[myid=${opts.sid}]`;
    this.done = new Promise((r) => this.#resolveDone = r);
  }

  /** The machine's state (read-only view for tests and status). */
  get leader(): LeaderState {
    return this.#state;
  }

  get #dataLogDir(): string {
    return this.opts.dataLogDir ?? this.opts.dataDir;
  }

  /** mntr's leader gauges, counted as Apache's Leader counts them. */
  figures(): LeaderFigures {
    const f: LeaderFigures = {
      learners: 0,
      syncedFollowers: 0,
      syncedNonVotingFollowers: 0,
      syncedObservers: 0,
      pendingSyncs: 0,
    };
    if (this.#state === undefined) return f;
    for (const h of this.#state.handlers.values()) {
      if (h.sid < 0) continue; // no LearnerInfo yet: not a learner to Apache either
      f.learners++;
      if (h.phase !== "newLeaderAcked" && h.phase !== "upToDate") continue;
      if (h.role === "observer") f.syncedObservers++;
      else if (h.voter) f.syncedFollowers++;
      else f.syncedNonVotingFollowers++;
    }
    f.pendingSyncs = this.#state.pendingSyncs.length + this.#syncs.length;
    return f;
  }

  /** Recovers from disk, binds the quorum port and starts the ticks. */
  async start(): Promise<void> {
    const r = await recover(this.opts.dataDir, this.#dataLogDir);
    for (const n of r.notes) this.#logger.warn(`${this.#where}:FileTxnSnapLog`, n);
    this.tree = r.tree;
    for (const [id, t] of r.sessions) this.sessions.set(id, t);
    this.#view = new ChangeView(this.tree);
    const lastZxid = this.tree.lastProcessedZxid;
    const dir = versionDir(this.opts.dataDir);
    const current = await readEpoch(dir, "currentEpoch") ?? epochOf(lastZxid);
    const accepted = await readEpoch(dir, "acceptedEpoch") ?? current;
    this.#state = initialLeader(
      {
        sid: this.opts.sid,
        voters: this.opts.voters,
        configText: this.opts.configText ?? null,
        initLimit: this.opts.initLimit,
        syncLimit: this.opts.syncLimit,
      },
      {
        acceptedEpoch: accepted,
        currentEpoch: current,
        history: this.#committedLog(r.snapshotZxid, lastZxid),
        lastZxid,
      },
    );
    this.#log = new TxnLogWriter(versionDir(this.#dataLogDir), 64 * 1024 * 1024, true);
    // Session ids as Apache's SessionTrackerImpl.initializeNextSession makes them: sid in the
    // top byte, then the time (here the start time) shifted in.
    this.#nextSession = (BigInt(this.opts.sid) << 56n) |
      ((BigInt(Date.now()) << 24n) & 0x00ffffffffffffffn);
    this.#listener = listenTcp(this.opts.listen.host, this.opts.listen.port);
    this.#logger.info(
      `${this.#where}:Leader`,
      `LEADING - LEADER ELECTION TOOK - 0 MS; last zxid ${hexZxid(lastZxid)}, epoch ${current}`,
    );
    acceptLoop(this.#listener, (c) => this.#accept(c as Deno.TcpConn)).catch(() => {});
    this.#timer = setInterval(() => {
      this.#enqueue({ kind: "tick" });
      this.#chain = this.#chain.then(() => this.#expireSessions()).catch((e) => this.#fatal(e));
    }, this.opts.tickTime / 2);
  }

  /** The txns of the log after the snapshot: the committed log the leader syncs learners from. */
  #committedLog(snapshotZxid: number, lastZxid: number): TxnEntry[] {
    const out: TxnEntry[] = [];
    const logs = logsAfter(listZxidFiles(versionDir(this.#dataLogDir), "log"), snapshotZxid);
    for (const f of logs) {
      for (const e of readLogFile(readLogBytes(f.path)).entries) {
        if (e.hdr.zxid > snapshotZxid && e.hdr.zxid <= lastZxid) out.push(e);
      }
    }
    return out.slice(-500);
  }

  /** Stops leading: closes every learner and the port. */
  stop(reason = "stopped"): Promise<void> {
    this.#enqueue({ kind: "stop", reason });
    return this.#chain;
  }

  /** Opens a session of the leader's own (a createSession txn); resolves with its id. */
  async createSession(timeoutMs: number): Promise<bigint> {
    const sessionId = this.#nextSession++;
    const body = new JuteWriter(4);
    body.int(timeoutMs);
    await this.#submit({
      sessionId,
      cxid: 0,
      type: OpCode.createSession,
      body: body.bytes(),
      request: null,
      authinfo: [],
    });
    return sessionId;
  }

  /** Prepares a client write as the leader's own, proposes it, and resolves once committed. */
  submit(sessionId: bigint, cxid: number, request: Request): Promise<TxnEntry> {
    return this.#submit({
      sessionId,
      cxid,
      type: request.type,
      body: null,
      request,
      authinfo: [],
    });
  }

  /**
   * A request of the leader's own clients, as a learner would forward it (the body as it came
   * from the client); its txn comes back through `onCommitted`. A sync goes to {@link sync}.
   */
  request(sessionId: bigint, cxid: number, opType: number, body: Uint8Array, authinfo: Id[]): void {
    if (opType === OpCode.createSession) this.#owners.set(sessionId, LOCAL);
    this.#writes.push({ sessionId, cxid, type: opType, body, request: null, authinfo });
    this.#chain = this.#chain.then(() => this.#proposeWrites()).catch((e) => this.#fatal(e));
  }

  /** Resolves once every write proposed so far (or asked for before) has committed. */
  sync(): Promise<void> {
    return new Promise((resolve) => {
      this.#chain = this.#chain.then(() => this.#proposeWrites()).then(() => {
        const zxid = this.#state.lastProposed;
        if (this.tree.lastProcessedZxid >= zxid || this.#stopped) return resolve();
        this.#syncs.push({ zxid, resolve });
      }).catch((e) => this.#fatal(e));
    });
  }

  /**
   * A reconnect to one of the leader's own clients with an existing session: valid while the
   * session is neither expired nor closing; the leader owns it from now on, and it is touched.
   */
  revalidate(sessionId: bigint, timeoutMs: number): boolean {
    return this.#revalidate(sessionId, timeoutMs, LOCAL);
  }

  #revalidate(sessionId: bigint, timeoutMs: number, owner: number): boolean {
    const valid = this.sessions.has(sessionId) && !this.#closing.has(sessionId);
    if (!valid) return false;
    this.#touch(sessionId, timeoutMs);
    const prev = this.#owners.get(sessionId);
    this.#owners.set(sessionId, owner);
    if (prev === LOCAL && owner !== LOCAL) this.opts.onSessionMoved?.(sessionId);
    return true;
  }

  #touch(sessionId: bigint, timeoutMs: number): void {
    if (!this.sessions.has(sessionId) || this.#closing.has(sessionId)) return;
    this.#expiry.set(sessionId, { deadline: Date.now() + timeoutMs, timeoutMs });
  }

  /** Every tick in broadcast: the leader's own touches, then closeSession for the expired. */
  async #expireSessions(): Promise<void> {
    if (this.#stopped || this.#state.phase !== "broadcast") return;
    for (const t of this.opts.touches?.() ?? []) this.#touch(t.sessionId, t.timeoutMs);
    const now = Date.now();
    for (const [id, e] of this.#expiry) {
      if (e.deadline > now || this.#closing.has(id)) continue;
      this.#closing.add(id);
      this.#expiry.delete(id);
      this.#logger.info(
        LOG_SITES.expiring,
        `Expiring session 0x${id.toString(16)}, timeout of ${e.timeoutMs}ms exceeded`,
      );
      this.#writes.push({
        sessionId: id,
        cxid: 0,
        type: OpCode.closeSession,
        body: null,
        request: { type: OpCode.closeSession },
        authinfo: [],
      });
    }
    await this.#proposeWrites();
  }

  #submit(p: Omit<Pending, "waiter">): Promise<TxnEntry> {
    return new Promise((resolve, reject) => {
      this.#writes.push({ ...p, waiter: { resolve, reject } });
      this.#chain = this.#chain.then(() => this.#proposeWrites()).catch((e) => this.#fatal(e));
    });
  }

  #enqueue(input: LeaderInput): void {
    this.#chain = this.#chain.then(() => this.#feed(input)).catch((e) => this.#fatal(e));
  }

  #fatal(e: unknown): void {
    // A failed fsync or an invariant broken: Apache's leader exits; herd stops leading.
    this.#logger.error(`${this.#where}:Leader`, `Leader fails: ${(e as Error).stack ?? e}`);
    this.#shutdown(`error: ${(e as Error).message}`);
  }

  async #feed(input: LeaderInput): Promise<void> {
    if (this.#stopped) return;
    const { state, effects } = stepLeader(this.#state, input);
    this.#state = state;
    for (const fx of effects) await this.#effect(fx);
  }

  #accept(conn: Deno.TcpConn): void {
    if (this.#stopped) {
      conn.close();
      return;
    }
    const link: Link = { id: this.#nextLink++, conn, out: [], writing: false, closed: false };
    this.#links.set(link.id, link);
    this.#enqueue({ kind: "connected", conn: link.id });
    this.#readLoop(link).catch(() => {});
  }

  async #readLoop(link: Link): Promise<void> {
    const decoder = new LearnerStreamDecoder();
    const buf = new Uint8Array(64 * 1024);
    let reason = "the learner closed the connection";
    try {
      for (;;) {
        const n = await link.conn.read(buf);
        if (n === null) break;
        for (const p of decoder.push(buf.subarray(0, n))) {
          this.#enqueue({ kind: "message", conn: link.id, message: decodeLearnerPacket(p) });
        }
        // Forwarded writes of this read go to prep and the log together (one fsync).
        this.#chain = this.#chain.then(() => this.#proposeWrites()).catch((e) => this.#fatal(e));
      }
    } catch (e) {
      if (!link.closed) {
        reason = e instanceof QuorumMessageError ? e.message : (e as Error).message;
        this.#logger.warn(`${this.#where}:LearnerHandler`, `Unexpected exception: ${reason}`);
      }
    }
    this.#closeLink(link);
    this.#enqueue({ kind: "disconnected", conn: link.id, reason });
  }

  async #effect(fx: LeaderEffect): Promise<void> {
    const where = `${this.#where}:LearnerHandler`;
    switch (fx.kind) {
      case "send":
        return this.#send(fx.conn, fx.message);
      case "sendSnapshot": {
        // Serialised here, between two effects: the tree is exactly at fx.zxid.
        const w = new JuteWriter(64 * 1024);
        writeQuorumPacket(w, { type: PacketType.SNAP, zxid: fx.zxid, data: null, authinfo: null });
        const sessions = [...this.sessions].map(([id, timeout]) => ({ id, timeout }));
        writeSnapStream(w, this.tree, sessions);
        this.stats.snapshotsSent++;
        return this.#write(fx.conn, w.bytes());
      }
      case "writeEpoch":
        return await writeEpoch(versionDir(this.opts.dataDir), fx.name, fx.epoch);
      case "log":
        this.stats.logged += fx.entries.length;
        this.stats.logFsyncs++;
        return await this.#log.append(fx.entries);
      case "apply":
        return this.#apply(fx.entry);
      case "established":
        this.tree.lastProcessedZxid = fx.zxid;
        // Every session known starts a full timeout now (Apache's leader touches them all).
        for (const [id, timeoutMs] of this.sessions) this.#touch(id, timeoutMs);
        this.#logger.info(`${this.#where}:QuorumPeer`, "Peer state changed: leading - broadcast");
        this.opts.onEstablished?.(fx.epoch);
        return;
      case "touch":
        for (const t of fx.touches) this.#touch(t.sessionId, t.timeoutMs);
        return;
      case "request":
        if (fx.opType === OpCode.createSession) this.#owners.set(fx.sessionId, fx.conn);
        this.#writes.push({
          sessionId: fx.sessionId,
          cxid: fx.cxid,
          type: fx.opType,
          body: fx.body,
          request: null,
          authinfo: fx.authinfo,
        });
        return;
      case "revalidate":
        return this.#send(fx.conn, {
          kind: "revalidateReply",
          sessionId: fx.sessionId,
          valid: this.#revalidate(fx.sessionId, fx.timeoutMs, fx.conn),
        });
      case "close": {
        this.#logger.warn(where, `Closing connection ${fx.conn}: ${fx.reason}`);
        const link = this.#links.get(fx.conn);
        if (link) this.#closeLink(link);
        return;
      }
      case "stepDown":
        this.#logger.info(`${this.#where}:Leader`, `Shutting down: ${fx.reason}`);
        return this.#shutdown(fx.reason);
      case "info":
        return this.#logger.info(where, fx.text);
      case "warn":
        return this.#logger.warn(where, fx.text);
    }
  }

  /** Prep for the writes gathered so far, then one proposal (group commit). */
  async #proposeWrites(): Promise<void> {
    if (this.#writes.length === 0 || this.#stopped) return;
    const writes = this.#writes;
    this.#writes = [];
    if (this.#state.phase !== "broadcast") {
      for (const w of writes) w.waiter?.reject(new Error(`the leader is in ${this.#state.phase}`));
      return;
    }
    const ctx: PrepContext = {
      view: this.#view,
      extendedTypesEnabled: false,
      reconfigEnabled: false,
      skipACL: false,
    };
    const entries: TxnEntry[] = [];
    let zxid = nextZxid(this.#state);
    const time = Date.now();
    for (const w of writes) {
      const e = this.#prep(ctx, w, zxid, time);
      if (e === null) continue;
      entries.push(e);
      if (w.waiter) this.#waiters.set(zxid, w.waiter);
      zxid++;
    }
    await this.#feed({ kind: "propose", entries });
  }

  /** One write as a txn; null (logged) when its body does not decode. */
  #prep(ctx: PrepContext, w: Pending, zxid: number, time: number): TxnEntry | null {
    const hdr = { clientId: w.sessionId, cxid: w.cxid, zxid, time, type: w.type };
    if (w.type === OpCode.createSession) {
      const timeOut = new JuteReader(w.body ?? new Uint8Array(4)).int();
      return { hdr, txn: { type: OpCode.createSession, timeOut } };
    }
    let req = w.request;
    try {
      req ??= w.type === OpCode.closeSession
        ? { type: OpCode.closeSession }
        : readRequest(w.type, new JuteReader(w.body ?? new Uint8Array(0)));
    } catch (e) {
      this.#logger.warn(
        `${this.#where}:PrepRequestProcessor`,
        `Dropping request 0x${w.sessionId.toString(16)}:${w.cxid} of type ${w.type}: ${
          (e as Error).message
        }`,
      );
      w.waiter?.reject(e as Error);
      return null;
    }
    return prepare(ctx, { sessionId: w.sessionId, authInfo: w.authinfo }, w.cxid, zxid, time, req);
  }

  #apply(e: TxnEntry): void {
    const { hdr, txn } = e;
    if (txn.type === OpCode.createSession) {
      this.sessions.set(hdr.clientId, txn.timeOut);
      if (this.#state.phase === "broadcast") this.#touch(hdr.clientId, txn.timeOut);
    } else if (hdr.type === OpCode.closeSession) {
      this.sessions.delete(hdr.clientId);
      this.#expiry.delete(hdr.clientId);
      this.#closing.delete(hdr.clientId);
      this.#owners.delete(hdr.clientId);
    }
    const result = this.tree.apply(hdr, txn);
    this.#view.applied(hdr.zxid);
    this.stats.committed++;
    this.opts.onCommitted?.(e, result);
    while (this.#syncs.length > 0 && this.#syncs[0].zxid <= hdr.zxid) {
      this.#syncs.shift()!.resolve();
    }
    const w = this.#waiters.get(hdr.zxid);
    if (w) {
      this.#waiters.delete(hdr.zxid);
      w.resolve(e);
    }
  }

  #send(conn: number, m: LeaderMessage): void {
    const w = new JuteWriter(64);
    writeQuorumPacket(w, encodeLeaderMessage(m));
    this.#write(conn, w.bytes());
  }

  /** Queues bytes on a learner's socket; one writer per socket keeps them in order. */
  #write(conn: number, bytes: Uint8Array): void {
    const link = this.#links.get(conn);
    if (link === undefined || link.closed) return;
    link.out.push(bytes);
    if (!link.writing) this.#flush(link);
  }

  async #flush(link: Link): Promise<void> {
    link.writing = true;
    try {
      while (link.out.length > 0 && !link.closed) {
        const chunks = link.out.splice(0);
        const total = chunks.reduce((n, c) => n + c.length, 0);
        const bytes = chunks.length === 1 ? chunks[0] : new Uint8Array(total);
        if (chunks.length > 1) {
          let off = 0;
          for (const c of chunks) {
            bytes.set(c, off);
            off += c.length;
          }
        }
        let off = 0;
        while (off < bytes.length) off += await link.conn.write(bytes.subarray(off));
      }
    } catch {
      this.#closeLink(link); // the read loop reports the disconnection
    } finally {
      link.writing = false;
    }
  }

  #closeLink(link: Link): void {
    if (link.closed) return;
    link.closed = true;
    this.#links.delete(link.id);
    try {
      link.conn.close();
    } catch { /* already closed */ }
  }

  #shutdown(reason: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    try {
      this.#listener?.close();
    } catch { /* closed */ }
    for (const link of [...this.#links.values()]) this.#closeLink(link);
    for (const w of this.#waiters.values()) w.reject(new Error(`not leading: ${reason}`));
    this.#waiters.clear();
    this.#syncs = []; // the client side closes its clients: no one waits for these
    this.#log?.close();
    this.#resolveDone(reason);
  }
}
