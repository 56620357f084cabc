/**
 * The election port's shell (Apache's QuorumCnxManager plus the FastLeaderElection threads): it
 * listens on this server's election address, connects to the other voters by the "higher sid
 * connects" rule, frames notifications, keeps one pending message per peer and replays the last
 * one on reconnect, and feeds everything to the pure machine in election.ts, carrying out its
 * effects. Time comes from a Clock; timers are one setTimeout at the machine's wakeAt.
 *
 * @module
 */
import { type Clock, systemClock } from "../../internal/clock.ts";
import { Logger } from "../../internal/log.ts";
import { acceptLoop, listenTcp } from "../../internal/tcp_listener.ts";
import type { QuorumPeerConfig } from "../config/mod.ts";
import { acceptorAction, initiatorAction } from "./connection_rule.ts";
import {
  type ElectionEffect,
  type ElectionInput,
  type ElectionState,
  initialElection,
  stepElection,
} from "./election.ts";
import {
  decodeHandshake,
  decodeNotification,
  encodeHandshake,
  encodeNotification,
  formatElectionAddress,
  frame,
  type Notification,
  OBSERVER_ID,
  parseElectionAddress,
  validFrameLength,
} from "./election_wire.ts";
import { quorumVerifier } from "./quorum_verifier.ts";
import type { Vote } from "./vote.ts";

/** The outcome of an election, as the shell reports it. */
export interface ElectionDecision {
  peerState: "LEADING" | "FOLLOWING" | "OBSERVING";
  leader: number;
  vote: Vote;
  tookMs: number;
}

/** Options for {@link ElectionPeer}. */
export interface ElectionPeerOptions {
  clock?: Clock;
  logger?: Logger;
  /** This server's log position when the election starts (lastLoggedZxid, currentEpoch). */
  lastZxid?: bigint;
  currentEpoch?: bigint;
  /** `plain=…` in the peer thread's name, as Apache prints the client address. */
  clientAddress?: string;
  /**
   * Until ZAB exists, a follower cannot learn on the quorum port that its leader is gone: with
   * this set, losing the election connection to the leader (and failing to reconnect) starts a
   * new election, as Apache's follower does when the leader's socket breaks.
   */
  lookOnLeaderLoss?: boolean;
  onDecided?: (d: ElectionDecision) => void;
}

/**
 * How long a follower waits for the leader's election connection to come back before looking
 * again: a live leader dials back within milliseconds; 500 ms leaves room for a busy JVM.
 */
const LEADER_RECHECK_MS = 500;

/** One live election connection to a peer. */
interface Link {
  sid: number;
  conn: Deno.Conn;
  closed: boolean;
  writing: boolean;
}

/**
 * A server's leader-election endpoint.
 *
 * @example
 * ```ts ignore
 * const peer = new ElectionPeer(quorumPeerConfig(cfg, myid, []), { onDecided: console.log });
 * await peer.start();
 * // … { peerState: "FOLLOWING", leader: 3, … }
 * await peer.stop();
 * ```
 */
export class ElectionPeer {
  readonly #cfg: QuorumPeerConfig;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #opts: ElectionPeerOptions;
  #state: ElectionState;
  #listener?: Deno.TcpListener;
  #timer?: ReturnType<typeof setTimeout>;
  #links = new Map<number, Link>();
  #connecting = new Set<number>();
  /** The newest message for each peer not yet written (a queue of capacity 1, §1.5). */
  #pending = new Map<number, Uint8Array>();
  /** The last message written to each peer, replayed when a new connection starts. */
  #lastSent = new Map<number, Uint8Array>();
  #stopped = false;
  #sockets = new Set<Deno.Conn>();
  #threadName: string;
  #connectThreads = 0;
  /** Unlisted observers announce Long.MAX_VALUE; each gets its own negative sid (§1.3). */
  #observerIds = -1;
  #lastZxid: bigint;
  #currentEpoch: bigint;
  #leaderCheck?: ReturnType<typeof setTimeout>;

  constructor(cfg: QuorumPeerConfig, opts: ElectionPeerOptions = {}) {
    this.#cfg = cfg;
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.logger ?? new Logger(String(cfg.myid));
    this.#state = initialElection({
      myid: cfg.myid,
      qv: quorumVerifier(cfg.servers),
      minNotificationInterval: cfg.election.minNotificationInterval,
      maxNotificationInterval: cfg.election.maxNotificationInterval,
    });
    this.#lastZxid = opts.lastZxid ?? 0n;
    this.#currentEpoch = opts.currentEpoch ?? 0n;
    this.#threadName = `QuorumPeer[myid=${cfg.myid}](plain=${
      opts.clientAddress ?? "disabled"
    })(secure=disabled)`;
  }

  /** The peer's state: LOOKING, FOLLOWING, LEADING or OBSERVING. */
  get peerState(): string {
    return this.#state.peerState;
  }

  /** The current vote: the leader once decided. */
  get currentVote(): Vote {
    return this.#state.currentVote;
  }

  /** The election address this server listens on and announces. */
  get address(): { host: string; port: number } {
    const a = this.#cfg.self.addresses[0];
    return { host: a.host, port: a.electionPort };
  }

  /** Binds the election port (retrying as electionPortBindRetry says) and starts electing. */
  async start(): Promise<void> {
    const { host, port } = this.address;
    const bindHost = this.#cfg.quorumListenOnAllIPs ? "0.0.0.0" : host;
    const retries = this.#cfg.election.portBindRetry;
    this.#log.info(
      "main:QuorumCnxManager$Listener@924",
      `Election port bind maximum retries is ${retries === 0 ? "infinite" : retries}`,
    );
    for (let attempt = 1;; attempt++) {
      try {
        this.#listener = listenTcp(bindHost, port);
        break;
      } catch (e) {
        const where =
          `ListenerHandler-/${bindHost}:${port}:QuorumCnxManager$Listener$ListenerHandler@1093`;
        this.#log.error(where, `Exception while listening to address /${bindHost}:${port}: ${e}`);
        if (retries !== 0 && attempt >= retries) {
          throw new Error(
            `Leaving listener thread for address ${bindHost}:${port} after ${attempt} errors: ` +
              (e as Error).message,
          );
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    const lh = `ListenerHandler-/${bindHost}:${port}:QuorumCnxManager$Listener$ListenerHandler`;
    this.#log.info(
      `${lh}@1071`,
      `${this.#cfg.myid} is accepting connections now, my election bind port: /${bindHost}:${port}`,
    );
    acceptLoop(this.#listener, (conn) => {
      const remote = conn.remoteAddr as Deno.NetAddr;
      this.#log.info(
        `${lh}@1076`,
        `Received connection request from /${remote.hostname}:${remote.port}`,
      );
      this.#accept(conn).catch(() => this.#close(conn));
    }).catch(() => {/* closed by stop() */});
    this.lookAgain(this.#lastZxid, this.#currentEpoch);
  }

  /** Starts a new election (after losing the leader), with the log position it has now. */
  lookAgain(lastZxid: bigint, currentEpoch: bigint): void {
    this.#lastZxid = lastZxid;
    this.#currentEpoch = currentEpoch;
    this.#step({ kind: "look", now: this.#clock.now(), lastZxid, currentEpoch });
  }

  /** Discovery agreed on `peerEpoch`: later answers carry it (ZOOKEEPER-1732). */
  synced(peerEpoch: bigint): void {
    this.#step({ kind: "synced", now: this.#clock.now(), peerEpoch });
  }

  /** Closes the listener and every connection; no more steps run. */
  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#leaderCheck);
    try {
      this.#listener?.close();
    } catch { /* already closed */ }
    for (const c of this.#sockets) this.#close(c);
    return Promise.resolve();
  }

  #step(input: ElectionInput): void {
    if (this.#stopped) return;
    const r = stepElection(this.#state, input);
    this.#state = r.state;
    for (const fx of r.effects) this.#effect(fx);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (r.wakeAt !== undefined) {
      const delay = Math.max(0, r.wakeAt - this.#clock.now());
      this.#timer = setTimeout(() => this.#tick(), delay);
    }
  }

  #tick(): void {
    this.#step({ kind: "tick", now: this.#clock.now(), delivered: this.#haveDelivered() });
  }

  /** QuorumCnxManager.haveDelivered: some peer's send queue is empty (§2.5's quirk). */
  #haveDelivered(): boolean {
    for (const sid of this.#links.keys()) if (!this.#pending.has(sid)) return true;
    return false;
  }

  #effect(fx: ElectionEffect): void {
    switch (fx.kind) {
      case "send":
        return this.#send(fx.to, fx.n);
      case "connectAll":
        for (const sid of this.#state.config.qv.voters) this.#connectOne(sid);
        return;
      case "log": {
        const thread = fx.thread === "QuorumPeer"
          ? this.#threadName
          : `WorkerReceiver[myid=${this.#cfg.myid}]`;
        return this.#log.log(fx.level, `${thread}:${fx.site}`, fx.msg);
      }
      case "decided":
        this.#opts.onDecided?.({
          peerState: fx.peerState as ElectionDecision["peerState"],
          leader: Number(fx.vote.leader),
          vote: fx.vote,
          tookMs: fx.tookMs,
        });
        return;
    }
  }

  #send(to: number, n: Notification): void {
    this.#pending.set(to, frame(encodeNotification(n)));
    const link = this.#links.get(to);
    if (link) void this.#flush(link);
    else this.#connectOne(to);
  }

  /** Writes what is pending for the link's peer, newest only (SendWorker). */
  async #flush(link: Link): Promise<void> {
    if (link.writing) return;
    link.writing = true;
    try {
      for (;;) {
        const bytes = this.#pending.get(link.sid);
        if (bytes === undefined || link.closed) return;
        this.#pending.delete(link.sid);
        this.#lastSent.set(link.sid, bytes);
        await writeAll(link.conn, bytes);
      }
    } catch {
      this.#drop(link);
    } finally {
      link.writing = false;
    }
  }

  /** Connects to a peer unless connected or connecting (at most one attempt per sid). */
  #connectOne(sid: number, address?: { host: string; port: number }): void {
    if (this.#stopped || sid === this.#cfg.myid || this.#links.has(sid)) return;
    if (this.#connecting.has(sid)) return;
    const server = this.#cfg.servers.find((s) => s.id === sid);
    const target = address ??
      (server && { host: server.addresses[0].host, port: server.addresses[0].electionPort });
    const thread = `QuorumConnectionThread-[myid=${this.#cfg.myid}]-${++this.#connectThreads}`;
    if (!target) {
      this.#log.warn(`${thread}:QuorumCnxManager@776`, `Invalid server id: ${sid}`);
      return;
    }
    this.#connecting.add(sid);
    this.#initiate(sid, target, thread).finally(() => this.#connecting.delete(sid));
  }

  async #initiate(sid: number, to: { host: string; port: number }, thread: string): Promise<void> {
    let conn: Deno.Conn;
    try {
      conn = await connectWithTimeout(to.host, to.port, this.#cfg.election.cnxTimeout);
    } catch (e) {
      this.#log.warn(
        `${thread}:QuorumCnxManager@401`,
        `Cannot open channel to ${sid} at election address /${to.host}:${to.port}: ${
          (e as Error).message
        }`,
      );
      this.#onConnectFailed(sid);
      return;
    }
    if (this.#stopped) return void conn.close();
    this.#sockets.add(conn);
    try {
      (conn as Deno.TcpConn).setNoDelay(true);
      const { host, port } = this.address;
      await writeAll(
        conn,
        encodeHandshake(BigInt(this.#cfg.myid), formatElectionAddress(host, port)),
      );
    } catch {
      return this.#close(conn);
    }
    if (initiatorAction(this.#cfg.myid, sid) === "drop") {
      this.#log.info(
        `${thread}:QuorumCnxManager@514`,
        `Have smaller server identifier, so dropping the connection: (myId:${this.#cfg.myid} --> sid:${sid})`,
      );
      return this.#close(conn);
    }
    this.#startLink(sid, conn);
  }

  async #accept(conn: Deno.Conn): Promise<void> {
    this.#sockets.add(conn);
    const reader = new FrameReader(conn);
    const timeout = this.#cfg.tickTime * this.#cfg.syncLimit;
    const header = await withTimeout(reader.handshake(), timeout);
    if (header === undefined) return this.#close(conn);
    const sid = header.sid === OBSERVER_ID ? this.#observerIds-- : Number(header.sid);
    if (!Number.isSafeInteger(sid)) return this.#close(conn);
    switch (acceptorAction(this.#cfg.myid, sid)) {
      case "refuseOwnSid":
        this.#log.warn(
          "ListenerHandler:QuorumCnxManager@662",
          `We got a connection request from a server with our own ID. This should be either a ` +
            `configuration error, or a bug.`,
        );
        return this.#close(conn);
      case "dropAndDialBack": {
        this.#close(conn);
        const addr = header.addresses.map(parseElectionAddress).find((a) => a !== undefined);
        return this.#connectOne(sid, addr);
      }
      case "keep":
        return this.#startLink(sid, conn, reader);
    }
  }

  /** A connection that lives: replaces any older one for the sid, then reads and writes. */
  #startLink(sid: number, conn: Deno.Conn, reader = new FrameReader(conn)): void {
    const old = this.#links.get(sid);
    if (old) this.#drop(old);
    const link: Link = { sid, conn, closed: false, writing: false };
    this.#links.set(sid, link);
    // SendWorker: with nothing queued, the last message goes again (peers tolerate duplicates).
    if (!this.#pending.has(sid)) {
      const last = this.#lastSent.get(sid);
      if (last) this.#pending.set(sid, last);
    }
    void this.#flush(link);
    this.#receive(link, reader);
  }

  async #receive(link: Link, reader: FrameReader): Promise<void> {
    try {
      for (;;) {
        const payload = await reader.frame();
        if (payload === undefined) break;
        const r = decodeNotification(payload);
        if (r.kind === "skip") continue;
        this.#step({
          kind: "notification",
          now: this.#clock.now(),
          sid: link.sid,
          n: r.notification,
        });
      }
    } catch { /* broken */ }
    if (!link.closed && !this.#stopped) {
      this.#log.warn(
        `RecvWorker:${link.sid}:QuorumCnxManager$RecvWorker@1402`,
        `Connection broken for id ${link.sid}, my id = ${this.#cfg.myid}`,
      );
    }
    this.#drop(link);
    this.#onLinkLost(link.sid);
  }

  #drop(link: Link): void {
    if (this.#links.get(link.sid) === link) this.#links.delete(link.sid);
    link.closed = true;
    this.#close(link.conn);
  }

  #close(conn: Deno.Conn): void {
    this.#sockets.delete(conn);
    try {
      conn.close();
    } catch { /* already closed */ }
  }

  #leaderSid(): number | undefined {
    const st = this.#state.peerState;
    return st === "FOLLOWING" || st === "OBSERVING"
      ? Number(this.#state.currentVote.leader)
      : undefined;
  }

  /**
   * The leader's connection broke: see whether it is still there. A refused connect means it is
   * gone; otherwise the connection must be back (ours, or its dial-back) within LEADER_RECHECK_MS
   * (a dying JVM can still accept a connect it never answers).
   */
  #onLinkLost(sid: number): void {
    if (this.#stopped || !this.#opts.lookOnLeaderLoss || this.#leaderSid() !== sid) return;
    this.#connectOne(sid);
    const round = this.#state.round;
    clearTimeout(this.#leaderCheck);
    this.#leaderCheck = setTimeout(() => {
      if (this.#links.has(sid) || this.#state.round !== round) return;
      this.#onConnectFailed(sid);
    }, Math.min(LEADER_RECHECK_MS, this.#cfg.tickTime));
  }

  #onConnectFailed(sid: number): void {
    if (this.#stopped || !this.#opts.lookOnLeaderLoss || this.#leaderSid() !== sid) return;
    this.#log.warn(`${this.#threadName}:QuorumPeer@1585`, "PeerState set to LOOKING");
    this.lookAgain(this.#lastZxid, this.#currentEpoch);
  }
}

/** Reads the handshake, then length-prefixed frames, from a connection. */
class FrameReader {
  #buf = new Uint8Array(4096);
  #len = 0;
  constructor(private readonly conn: Deno.Conn) {}

  /** More bytes into the buffer; false at end of stream. */
  async #fill(): Promise<boolean> {
    if (this.#len === this.#buf.length) {
      const bigger = new Uint8Array(this.#buf.length * 2);
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    const n = await this.conn.read(this.#buf.subarray(this.#len));
    if (n === null) return false;
    this.#len += n;
    return true;
  }

  #consume(n: number): Uint8Array {
    const out = this.#buf.slice(0, n);
    this.#buf.copyWithin(0, n, this.#len);
    this.#len -= n;
    return out;
  }

  async handshake(): Promise<{ sid: bigint; addresses: string[] } | undefined> {
    for (;;) {
      const r = decodeHandshake(this.#buf.subarray(0, this.#len));
      if (r.kind === "handshake") {
        this.#consume(r.size);
        return r.handshake;
      }
      if (r.kind === "invalid" || !(await this.#fill())) return undefined;
    }
  }

  async frame(): Promise<Uint8Array | undefined> {
    while (this.#len < 4) if (!(await this.#fill())) return undefined;
    const length = new DataView(this.#buf.buffer).getInt32(0);
    if (!validFrameLength(length)) {
      throw new Error(`Received packet with invalid packet: ${length}`);
    }
    while (this.#len < 4 + length) if (!(await this.#fill())) return undefined;
    this.#consume(4);
    return this.#consume(length);
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

async function connectWithTimeout(hostname: string, port: number, ms: number): Promise<Deno.Conn> {
  const attempt = Deno.connect({ hostname, port });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`connect timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([attempt, timeout]);
  } catch (e) {
    attempt.then((c) => c.close(), () => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
