/**
 * The standalone ZooKeeper server: listener, sessions and the request stages
 * (prep → durability → apply → reply). Everything here is the shell around the pure parts.
 */
import type { JuteReader } from "../jute/reader.ts";
import { readRequest, UnknownOpError } from "../jute/requests.ts";
import { isWrite } from "../jute/requests.ts";
import { OpCode, opShortName, Xid } from "../jute/opcodes.ts";
import { Err, ZkError } from "../jute/errors.ts";
import { DataTree, type TxnResult } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { ChangeView } from "./changes.ts";
import { CommitPipeline } from "./pipeline.ts";
import { type Durability, inMemory } from "../persist/durability.ts";
import { type PrepContext, PrepStage } from "./prep.ts";
import { processRead } from "./read_ops.ts";
import { Connection, type ConnectionHost } from "./connection.ts";
import { HalfClosedSockets } from "../../internal/half_closed.ts";
import { acceptLoop, listenTcp } from "../../internal/tcp_listener.ts";
import { addAuth } from "./add_auth.ts";
import { type Session, SessionTracker } from "./session_tracker.ts";
import { WatchManager } from "./watch_manager.ts";
import { Logger } from "../../internal/log.ts";
import { JuteError } from "../jute/reader.ts";
import type { Request } from "../jute/requests.ts";
import type { Response } from "../jute/responses.ts";
import { ServerViewImpl } from "./server_view.ts";
import { ContainerManager } from "./container_manager.ts";
import { fourLetterCode, runFourLetterWord } from "../fourletter/mod.ts";
import { RateLogger } from "./rate_logger.ts";
import { enforceQuota } from "./quota_check.ts";
import { samePassword, sessionPassword } from "./session_password.ts";
import { hashId, SlotMap } from "../../internal/slot_map.ts";
import { SlotSet } from "../../internal/slot_set.ts";
import { ServerMetrics } from "./metrics.ts";
import { herdLine, javaSocketAddress, LOG_SITES, requestString } from "./log_sites.ts";
import { type Clock, systemClock } from "../../internal/clock.ts";
import type { Forwarder } from "./forwarding.ts";
import type { LeaderFigures } from "./view.ts";

/** What the server needs from zoo.cfg (the config module maps a ZkConfig onto this). */
export interface ServerSettings {
  clientPort: number;
  clientPortAddress?: string;
  tickTime: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  maxClientCnxns: number;
  juteMaxBuffer: number;
  extendedTypesEnabled: boolean;
  reconfigEnabled: boolean;
  skipACL: boolean;
  fourLetterWhitelist: Set<string> | "*";
  /** "super:base64hash" from DigestAuthenticationProvider.superDigest. */
  superDigest?: string;
  enforceQuota: boolean;
  containerCheckIntervalMs: number;
  dataDir: string;
  dataLogDir: string;
  serverId: number;
  /** Extra conf lines for the `conf` word. */
  confExtras?: Record<string, string | number>;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  clientPort: 2181,
  tickTime: 2000,
  minSessionTimeout: 4000,
  maxSessionTimeout: 40000,
  maxClientCnxns: 60,
  juteMaxBuffer: 0xfffff,
  extendedTypesEnabled: false,
  reconfigEnabled: false,
  skipACL: false,
  fourLetterWhitelist: new Set(["srvr"]),
  enforceQuota: false,
  containerCheckIntervalMs: 60000,
  dataDir: "./data/zk",
  dataLogDir: "./data/zk",
  serverId: 0,
};

export interface ServerOptions {
  settings: Partial<ServerSettings>;
  durability?: Durability;
  logger?: Logger;
  /** A tree recovered from disk; a fresh one otherwise. */
  tree?: DataTree;
  /** Sessions recovered from disk (id → timeout): they live on until they expire. */
  sessions?: Map<bigint, number>;
  /**
   * Where the server reads the time: request times, latencies, session and container expiry
   * (systemClock unless a test or the simulator drives it).
   */
  clock?: Clock;
  /**
   * The server id in new session ids (`sid << 56`, as Apache's SessionTrackerImpl): an ensemble
   * member's myid; 1 for a standalone server, as before.
   */
  sessionIdServer?: number;
}

const PASSWORD_LEN = 16;

export class ZkServer implements ConnectionHost {
  readonly settings: ServerSettings;
  /** The tree served; a learner's changes when its leader sends a SNAP or TRUNC (adoptTree). */
  tree: DataTree;
  /** What srvr, stat, mntr and `zk-server status` print as the Mode. */
  mode: "standalone" | "leader" | "follower" | "observer" = "standalone";
  /** Set while this server leads: mntr's leader gauges. */
  leaderFigures: (() => LeaderFigures) | null = null;
  /** An ensemble member's state for mntr's zk_peer_state (`observing - broadcast`). */
  peerState: string | undefined = undefined;
  /**
   * Set on a learner (follower or observer): writes, sessions and syncs go to the leader, and
   * committed txns come back through it. Null on a standalone server.
   */
  upstream: Forwarder | null = null;
  readonly view: ChangeView;
  readonly sessions: SessionTracker;
  readonly watches: WatchManager<Connection> = new WatchManager<Connection>();
  readonly pipeline: CommitPipeline;
  readonly log: Logger;
  readonly connections: SlotSet<Connection> = new SlotSet();
  readonly halfClosed: HalfClosedSockets<Connection> = new HalfClosedSockets();
  /** Which connection currently holds each session. */
  readonly owners: SlotMap<bigint, Connection> = new SlotMap(hashId);
  readonly clock: Clock;
  readonly startedAt: number;
  readonly maxBuffer: number;
  /** Apache's ServerMetrics: what mntr and /metrics report beyond the stats below. */
  readonly metrics: ServerMetrics = new ServerMetrics();
  readonly stats = {
    packetsReceived: 0,
    packetsSent: 0,
    minLatency: Number.MAX_SAFE_INTEGER,
    maxLatency: 0,
    totalLatency: 0,
    latencyCount: 0,
    authFailed: 0,
  };
  private listener: Deno.Listener | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  /** Builds every txn and assigns every zxid. */
  readonly prep: PrepStage;
  private containers: ContainerManager;
  private stopped = false;
  private acceptErrors: RateLogger | null = null;
  readonly viewImpl: ServerViewImpl;
  private readonly treeSink: DataTree["sink"];

  constructor(opts: ServerOptions) {
    this.settings = { ...DEFAULT_SETTINGS, ...opts.settings };
    this.log = opts.logger ?? new Logger();
    this.clock = opts.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.tree = opts.tree ?? new DataTree();
    this.view = new ChangeView(this.tree);
    const now = this.clock.now();
    this.sessions = new SessionTracker(
      this.settings.tickTime,
      BigInt(opts.sessionIdServer ?? 1),
      now,
    );
    for (const [id, timeout] of opts.sessions ?? []) {
      this.sessions.add(id, timeout, sessionPassword(id), now);
    }
    this.pipeline = new CommitPipeline(
      this.tree,
      this.view,
      opts.durability ?? inMemory,
      this.metrics,
      this.clock,
    );
    this.pipeline.onFatal = (e) => {
      // Apache exits at once (ExitCode.UNEXPECTED_ERROR): serving on would answer from a tree
      // the log no longer matches, or leave a server that looks healthy but can take no write.
      this.log.error(
        LOG_SITES.severeError,
        `Severe unrecoverable error, from thread : SyncThread:0, exiting abnormally: ${
          (e as Error)?.message ?? e
        }`,
      );
      Deno.exit(1);
    };
    this.maxBuffer = this.settings.juteMaxBuffer;
    const prepCtx: PrepContext = {
      view: this.view,
      extendedTypesEnabled: this.settings.extendedTypesEnabled,
      reconfigEnabled: this.settings.reconfigEnabled,
      skipACL: this.settings.skipACL,
    };
    if (this.settings.enforceQuota) {
      const rate = new RateLogger(
        (where, line) => this.log.warn(where, line),
        (line) =>
          `ProcessThread(sid:${this.settings.serverId} cport:${this.port})::RateLogger@${line}`,
      );
      prepCtx.checkQuota = (path, oldLength, data, op) =>
        enforceQuota(this.tree, rate, path, oldLength, data, op);
    }
    const writes = this.metrics.writePerNamespace;
    this.treeSink = {
      trigger: (path, type) => this.watches.trigger(path, type),
      // Apache's DataTree.updateWriteStat: the path's length plus the data's.
      written: (path, bytes) => writes.addForPath(path, path.length + bytes),
      // With enforceQuota, Apache 3.8's prep-time checks log instead (DECISIONS.md).
      quotaExceeded: this.settings.enforceQuota ? undefined : (q) => {
        // The seed's (3.7) soft-quota line; DECISIONS.md keeps it as herd's default.
        const line = q.kind === "count" ? 301 : 347;
        this.log.warn(
          `SyncThread:0:DataTree@${line}`,
          `Quota exceeded: ${q.path} ${q.kind}=${q.current} limit=${q.limit}`,
        );
      },
    };
    this.tree.sink = this.treeSink;
    this.prep = new PrepStage(prepCtx, this.tree.lastProcessedZxid);
    this.containers = new ContainerManager(this.tree);
    this.viewImpl = new ServerViewImpl(this);
  }

  /** The port actually bound (useful with clientPort=0). */
  get port(): number {
    return (this.listener?.addr as Deno.NetAddr | undefined)?.port ?? this.settings.clientPort;
  }

  get skipACL(): boolean {
    return this.settings.skipACL;
  }

  lastZxid(): number {
    return this.tree.lastProcessedZxid;
  }

  /**
   * Serves `tree` from now on, with the watch and metrics sink (a learner, when its leader's SNAP
   * or TRUNC gave it a new tree; only while no client is connected).
   */
  adoptTree(tree: DataTree): void {
    if (tree === this.tree) return;
    this.tree.sink = { trigger: () => {} };
    this.tree = tree;
    tree.sink = this.treeSink;
  }

  start(): void {
    const configured = this.settings.clientPortAddress;
    this.listener = listenTcp(configured ?? "0.0.0.0", this.settings.clientPort);
    const bound = this.listener.addr as Deno.NetAddr;
    const address = javaSocketAddress(configured, bound.hostname, bound.port);
    this.log.info(LOG_SITES.binding, `binding to port ${address}`);
    // Apache's acceptor rate-limits its errors (NIOServerCnxnFactory.acceptErrorLogger).
    const acceptThread = `NIOServerCxnFactory.AcceptThread:${address}`;
    this.acceptErrors = new RateLogger(
      (where, line) => this.log.warn(where, line),
      (line) => `${acceptThread}:RateLogger@${line}`,
    );
    this.acceptLoop(this.listener);
    this.timers.push(setInterval(() => {
      this.expireSessions();
      // Sockets are stamped half-closed by internal/framed_connection in real time, not the clock.
      this.halfClosed.sweep(Date.now(), this.settings.tickTime);
    }, this.settings.tickTime));
    this.timers.push(
      setInterval(() => this.checkContainers(), this.settings.containerCheckIntervalMs),
    );
  }

  private async acceptLoop(listener: Deno.Listener): Promise<void> {
    try {
      await acceptLoop(listener, (conn) => {
        const c = new Connection(conn, this);
        const perHost = this.settings.maxClientCnxns;
        if (perHost > 0) {
          let n = 0;
          for (const o of this.connections) if (o.remoteHost === c.remoteHost) n++;
          if (n >= perHost) {
            this.acceptErrors?.log(
              `Error accepting new connection: Too many connections from /${c.remoteHost} - ` +
                `max is ${perHost}`,
            );
            conn.close();
            return;
          }
        }
        this.connections.add(c);
        c.run();
      });
    } catch (e) {
      if (!this.stopped) {
        this.log.error(herdLine("main:NIOServerCnxnFactory"), `accept failed: ${e}`);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    try {
      this.listener?.close();
    } catch { /* already closed */ }
    for (const c of [...this.connections]) c.close();
    this.halfClosed.releaseAll();
    await new Promise((r) => setTimeout(r, 0));
  }

  // ---- connection host ----

  fourLetter(code: number, c: Connection): string | null {
    const word = fourLetterCode(code);
    if (word === null) return null;
    if (this.upstream !== null && !this.upstream.serving && word !== "ruok" && word !== "envi") {
      // A learner between leaders (Apache's isZKServerRunning false).
      return "This ZooKeeper instance is not currently serving requests\n";
    }
    return runFourLetterWord(word, this.viewImpl, c);
  }

  onClose(c: Connection): void {
    this.connections.delete(c);
    this.watches.removeWatcher(c);
    if (c.session && this.owners.get(c.session.id) === c) this.owners.delete(c.session.id);
  }

  onConnect(c: Connection, r: JuteReader): void {
    if (this.upstream !== null && !this.upstream.serving) return this.upstream.refuse(c);
    this.stats.packetsReceived++;
    let timeOut: number, sessionId: bigint, passwd: Uint8Array | null, lastZxidSeen: number;
    try {
      r.int(); // protocolVersion
      lastZxidSeen = r.long();
      timeOut = r.int();
      sessionId = r.bigLong();
      passwd = r.buffer();
      if (r.remaining > 0) {
        r.bool();
        c.sentReadOnlyFlag = true;
      }
    } catch (e) {
      // Apache: the ConnectRequest's deserialize throws, and doIO logs the session and cause.
      this.log.warn(LOG_SITES.closeOfSession, `Close of session 0x0\n${e}`);
      c.close();
      return;
    }
    if (lastZxidSeen > this.lastZxid()) {
      this.log.info(
        LOG_SITES.refusingSession,
        `Refusing session request for client ${c.remote} as it has seen zxid 0x${
          lastZxidSeen.toString(16)
        } our last zxid is 0x${this.lastZxid().toString(16)} client must try another server`,
      );
      c.close();
      return;
    }
    const s = this.settings;
    const timeout = Math.min(Math.max(timeOut, s.minSessionTimeout), s.maxSessionTimeout);
    const now = this.clock.now();
    if (this.upstream !== null) return this.upstream.connect(c, sessionId, passwd, timeout, now);
    if (sessionId === 0n) {
      const id = this.sessions.newSessionId();
      const password = sessionPassword(id);
      const session = this.sessions.add(id, timeout, password, now);
      this.pipeline.submit(this.prep.createSession(id, timeout, now), () => {
        // Apache's FinalRequestProcessor counts createSession as an update.
        this.metrics.updateLatency.add(this.clock.now() - now);
        // DEBUG in Apache 3.8: an INFO log shows no line per session (and builds none here).
        if (this.log.level === "DEBUG") {
          this.log.log(
            "DEBUG",
            LOG_SITES.established,
            `Established session 0x${
              id.toString(16)
            } with negotiated timeout ${timeout} for client ${c.remote}`,
          );
        }
        this.attach(c, session, timeout);
      });
      return;
    }
    const session = this.sessions.get(sessionId);
    if (!session || session.closing || !samePassword(session.password, passwd)) {
      this.log.info(
        LOG_SITES.invalidSession,
        `Invalid session 0x${sessionId.toString(16)} for client ${c.remote}, probably expired`,
      );
      this.connectResponse(c, 0, 0n, new Uint8Array(PASSWORD_LEN));
      c.closeAfterFlush();
      return;
    }
    const prev = this.owners.get(sessionId);
    if (prev && prev !== c) {
      prev.session = null;
      prev.close();
    }
    session.timeout = timeout;
    this.sessions.touch(sessionId, now);
    this.attach(c, session, timeout);
  }

  /** @internal Answers the connect request: the session is established on `c`. */
  attach(c: Connection, session: Session, timeout: number): void {
    if (c.closed) return;
    c.session = session;
    this.owners.set(session.id, c);
    this.connectResponse(c, timeout, session.id, session.password);
  }

  /** @internal */
  connectResponse(c: Connection, timeout: number, id: bigint, password: Uint8Array): void {
    c.frame((w) => {
      w.int(0);
      w.int(timeout);
      w.bigLong(id);
      w.buffer(password);
      if (c.sentReadOnlyFlag) w.bool(false);
    });
  }

  onRequest(c: Connection, r: JuteReader): void {
    const session = c.session;
    if (session === null) {
      // Requests before the session is established: Apache closes such connections.
      c.close();
      return;
    }
    this.stats.packetsReceived++;
    const startedAt = this.clock.now();
    let xid: number, type: number;
    try {
      xid = r.int();
      type = r.int();
    } catch {
      c.close();
      return;
    }
    const bodyStart = r.pos;
    this.sessions.touch(session.id, startedAt);
    this.upstream?.touch(session);
    let req: Request;
    try {
      req = readRequest(type, r);
    } catch (e) {
      if (e instanceof UnknownOpError) {
        // Apache's UnimplementedRequestProcessor: answer UNIMPLEMENTED, then drop the connection.
        this.log.warn(LOG_SITES.unknownType, `Received packet at server of unknown type ${type}`);
        this.reply(c, xid, type, Err.UNIMPLEMENTED, null, startedAt);
        c.closeAfterFlush();
        return;
      }
      if (!(e instanceof JuteError)) throw e;
      if (this.upstream !== null && isWrite(type)) {
        // The leader's prep finds the body bad and answers with its error txn.
        const body = r.buf.slice(bodyStart, r.end);
        return this.upstream.write(c, xid, type, body, startedAt);
      }
      // A body that does not decode: MARSHALLINGERROR for this request, as Apache answers.
      if (isWrite(type)) {
        const entry = this.prep.marshallingError(session.id, xid, startedAt);
        this.log.error(
          `ProcessThread(sid:${this.settings.serverId} cport:${this.port})::${LOG_SITES.prepFailed}`,
          `Failed to process ${
            requestString(session.id, type, xid, { zxid: entry.hdr.zxid, type })
          }\n${e}`,
        );
        this.submitWrite(c, entry, (res) => this.answerWrite(c, xid, type, entry, res, startedAt));
      } else {
        this.log.error(
          `SyncThread:0:${LOG_SITES.finalFailed}`,
          `Failed to process ${requestString(session.id, type, xid)}\n${e}`,
        );
        this.inOrder(c, () => this.reply(c, xid, type, Err.MARSHALLINGERROR, null, startedAt));
      }
      return;
    }
    if (type === OpCode.auth) return this.auth(c, req);
    if (isWrite(type)) {
      if (type === OpCode.closeSession) {
        session.closing = true;
        c.stopReading();
      }
      if (this.upstream !== null) {
        return this.upstream.write(c, xid, type, r.buf.slice(bodyStart, r.end), startedAt);
      }
      const entry = this.prep.request(
        { sessionId: session.id, authInfo: c.authInfo },
        xid,
        startedAt,
        req,
      );
      this.submitWrite(c, entry, (res) => this.answerWrite(c, xid, type, entry, res, startedAt));
      return;
    }
    if (type === OpCode.sync && this.upstream !== null) {
      return this.upstream.sync(c, xid, req, r.buf.slice(bodyStart, r.end), startedAt);
    }
    this.inOrder(c, () => this.answerRead(c, xid, type, req, startedAt));
  }

  /**
   * A session's replies go out in request order (Apache's CommitProcessor): a write waits for its
   * txn to be applied, and every request after it waits for it; a read with nothing before it is
   * answered at once, from the applied tree.
   */
  private submitWrite(c: Connection, entry: TxnEntry, answer: (r: TxnResult) => void): void {
    const item = { ready: false, run: () => {} };
    c.inOrder.push(item);
    this.pipeline.submit(entry, (res) => {
      item.run = () => answer(res);
      item.ready = true;
      this.drain(c);
    });
  }

  /** @internal */
  inOrder(c: Connection, run: () => void): void {
    if (c.inOrder.length === 0) run();
    else c.inOrder.push({ ready: true, run });
  }

  /** @internal Runs the session's replies that are ready, in order. */
  drain(c: Connection): void {
    const q = c.inOrder;
    let i = 0;
    while (i < q.length && q[i].ready) q[i++].run();
    q.splice(0, i);
  }

  /** @internal */
  answerRead(
    c: Connection,
    xid: number,
    type: number,
    req: Request,
    startedAt: number,
  ): void {
    let body: Response | null;
    try {
      body = processRead(this, c, req);
    } catch (e) {
      if (!(e instanceof ZkError)) throw e;
      this.reply(c, xid, type, e.code, null, startedAt);
      return;
    }
    // Replies to pings and setWatches carry their reserved xids.
    if (type === OpCode.ping) xid = Xid.ping;
    this.reply(c, xid, type, Err.OK, body, startedAt);
  }

  /** @internal */
  answerWrite(
    c: Connection,
    xid: number,
    type: number,
    entry: TxnEntry,
    res: TxnResult,
    startedAt: number,
  ): void {
    if (type === OpCode.closeSession) {
      const id = entry.hdr.clientId;
      this.sessions.remove(id);
      this.owners.delete(id);
      if (this.log.level === "DEBUG") {
        this.log.log(
          "DEBUG",
          LOG_SITES.closedSocket,
          `Closed socket connection for client ${c.remote} which had sessionid 0x${
            id.toString(16)
          }`,
        );
      }
      this.reply(c, xid, type, Err.OK, null, startedAt, entry.hdr.zxid);
      c.session = null;
      c.closeAfterFlush();
      return;
    }
    if (res.type === OpCode.multi) {
      // A multi's failure is in its results; the header says OK (Apache's FinalRequestProcessor).
      // Apache answers container and TTL creates inside a multi as create2 results.
      const results = res.results!.map((r) =>
        r.type === OpCode.createContainer || r.type === OpCode.createTTL
          ? { ...r, type: OpCode.create2 }
          : r
      );
      this.reply(c, xid, type, Err.OK, { results }, startedAt, entry.hdr.zxid);
      return;
    }
    const body: Response | null = res.err === Err.OK ? { path: res.path, stat: res.stat } : null;
    this.reply(c, xid, type, res.err, body, startedAt, entry.hdr.zxid);
  }

  /** @internal */
  reply(
    c: Connection,
    xid: number,
    type: number,
    err: number,
    body: Response | null,
    startedAt: number,
    zxid: number = this.lastZxid(),
  ): void {
    c.reply(xid, zxid, err, type, body);
    this.stats.packetsSent++;
    const lat = this.clock.now() - startedAt;
    const s = this.stats;
    if (lat < s.minLatency) s.minLatency = lat;
    if (lat > s.maxLatency) s.maxLatency = lat;
    s.totalLatency += lat;
    s.latencyCount++;
    // Apache's ServerStats.updateLatency: requests that carry a txn are updates, the rest reads.
    if (isWrite(type)) this.metrics.updateLatency.add(lat);
    else this.metrics.readLatency.add(lat);
    c.recordLatency(opShortName[type] ?? "NA", xid, zxid, startedAt);
  }

  private auth(c: Connection, req: Request): void {
    if (req.type !== OpCode.auth) return;
    if (addAuth(c.authInfo, req.scheme, req.auth, this.settings.superDigest)) {
      c.reply(Xid.auth, 0, Err.OK, OpCode.auth, null);
      return;
    }
    this.stats.authFailed++;
    if (req.scheme === "digest" || req.scheme === "ip") {
      this.log.warn(LOG_SITES.authFailed, `Authentication failed for scheme: ${req.scheme}`);
    } else {
      this.log.warn(
        LOG_SITES.noAuthProvider,
        `No authentication provider for scheme: ${req.scheme} has ip digest`,
      );
    }
    c.reply(Xid.auth, 0, Err.AUTHFAILED, OpCode.auth, null);
    c.closeAfterFlush();
  }

  /** Submits a server-originated write (session expiry, container cleanup). */
  submitInternal(sessionId: bigint, req: Request, done?: (r: TxnResult) => void): void {
    const entry = this.prep.request(
      { sessionId, authInfo: [{ scheme: "super", id: "" }] },
      0,
      this.clock.now(),
      req,
    );
    this.pipeline.submit(entry, (r) => done?.(r));
  }

  /** Expires the sessions whose time is up by the clock (run every tick). */
  expireSessions(): void {
    if (this.upstream !== null) return; // the leader expires sessions
    for (const s of this.sessions.expired(this.clock.now())) {
      this.metrics.staleSessionsExpired++;
      this.log.info(
        LOG_SITES.expiring,
        `Expiring session 0x${s.id.toString(16)}, timeout of ${s.timeout}ms exceeded`,
      );
      this.submitInternal(s.id, { type: OpCode.closeSession }, () => {
        this.sessions.remove(s.id);
        const c = this.owners.get(s.id);
        this.owners.delete(s.id);
        if (c) {
          c.session = null;
          c.close();
        }
      });
    }
  }

  /** Deletes empty containers and expired TTL nodes, as of the clock. */
  checkContainers(): void {
    if (this.upstream !== null) return; // the leader deletes them
    for (const path of this.containers.candidates(this.clock.now())) {
      this.submitInternal(0n, { type: OpCode.deleteContainer, path, version: -1 });
    }
  }
}
