/**
 * An ensemble member's main loop (Apache's QuorumPeer.run): elect, then lead, or learn from the
 * leader elected — as an observer or a follower — and serve clients through the {@link ZkServer}
 * once synced (a learner) or established (the leader, after a quorum ACKed NEWLEADER); when the
 * leader is lost or leadership ends, stop serving and elect again.
 *
 * The leader's clients go through the same {@link Forwarder} as a learner's, with the leader
 * itself as the "link": their writes meet the learners' REQUESTs in the leader's one prep (one
 * tree, one change view), and are answered when their txn commits on a voter quorum.
 *
 * @module
 */
import { Logger } from "../../internal/log.ts";
import type { QuorumPeerConfig } from "../config/mod.ts";
import { readEpoch } from "../persist/epoch.ts";
import { versionDir } from "../persist/files.ts";
import { recover } from "../persist/recovery.ts";
import { Forwarder, type LeaderLink } from "../server/forwarding.ts";
import type { ZkServer } from "../server/server.ts";
import { type ElectionDecision, ElectionPeer } from "./election_peer.ts";
import type { LearnerRole } from "./learner.ts";
import { LeaderPeer } from "./leader_peer.ts";
import { LearnerPeer } from "./learner_peer.ts";
import { quorumVerifier } from "./quorum_verifier.ts";
import { epochOf } from "./quorum_packet.ts";
import { OpCode } from "../jute/opcodes.ts";

/** Where a {@link QuorumPeer} keeps its data. */
export interface QuorumPeerOptions {
  dataDir: string;
  /** Defaults to dataDir. */
  dataLogDir?: string;
  /** zoo.cfg's snapCount: txns between the learner's snapshots. */
  snapCount?: number;
  logger?: Logger;
}

/**
 * Runs election and learning for one member, with `server` as its client side.
 *
 * @example
 * ```ts ignore
 * const server = new ZkServer({ settings, sessionIdServer: cfg.myid });
 * server.start();
 * const peer = new QuorumPeer(cfg, server, { dataDir });
 * await peer.start();
 * // … later
 * await peer.stop();
 * ```
 */
export class QuorumPeer {
  readonly forwarder: Forwarder;
  private election: ElectionPeer | null = null;
  private learner: LearnerPeer | null = null;
  private leading: LeaderPeer | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private lastZxid = 0;
  private currentEpoch = 0;
  private readonly log: Logger;
  private readonly where: string;

  constructor(
    readonly cfg: QuorumPeerConfig,
    readonly server: ZkServer,
    readonly opts: QuorumPeerOptions,
  ) {
    this.log = opts.logger ?? new Logger(String(cfg.myid));
    this.where = `QuorumPeer[myid=${cfg.myid}]`;
    this.forwarder = new Forwarder(server);
    server.upstream = this.forwarder;
    server.mode = cfg.type === "observer" ? "observer" : "follower";
  }

  /** The learner connected to the leader, if any (tests and status). */
  get learnerPeer(): LearnerPeer | null {
    return this.learner;
  }

  /** Reads the log position from disk, binds the election port and starts electing. */
  async start(): Promise<void> {
    const dataLogDir = this.opts.dataLogDir ?? this.opts.dataDir;
    const r = await recover(this.opts.dataDir, dataLogDir);
    this.lastZxid = r.tree.lastProcessedZxid;
    this.currentEpoch = await readEpoch(versionDir(this.opts.dataDir), "currentEpoch") ??
      epochOf(this.lastZxid);
    const client = this.server.settings;
    this.election = new ElectionPeer(this.cfg, {
      logger: this.log,
      lastZxid: BigInt(this.lastZxid),
      currentEpoch: BigInt(this.currentEpoch),
      clientAddress: `${client.clientPortAddress ?? "0.0.0.0"}:${this.server.port}`,
      onDecided: (d) => this.decided(d),
    });
    await this.election.start();
  }

  /** The leader's shell while this member leads (tests and status). */
  get leaderPeer(): LeaderPeer | null {
    return this.leading;
  }

  /** Stops leading or learning, and electing; the server stops serving. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    this.learner?.stop();
    await this.leading?.stop("shutdown");
    await this.running;
    await this.election?.stop();
  }

  private decided(d: ElectionDecision): void {
    if (this.stopping) return;
    if (d.peerState === "LEADING") return this.lead();
    const leader = this.cfg.servers.find((s) => s.id === d.leader);
    if (leader === undefined) {
      this.log.error(`${this.where}:QuorumPeer`, `Elected leader ${d.leader} has no server line`);
      this.lookAgainIn(this.cfg.tickTime);
      return;
    }
    const role: LearnerRole = d.peerState === "OBSERVING" ? "observer" : "follower";
    this.server.mode = role;
    const verb = role === "observer" ? "observing" : "following";
    this.server.peerState = `${verb} - discovery`;
    const addr = leader.addresses[0];
    const fwd = this.forwarder;
    const peer: LearnerPeer = new LearnerPeer({
      role,
      sid: this.cfg.myid,
      dataDir: this.opts.dataDir,
      dataLogDir: this.opts.dataLogDir,
      leader: { host: addr.host, port: addr.quorumPort },
      tickTime: this.cfg.tickTime,
      initLimit: this.cfg.initLimit,
      syncLimit: this.cfg.syncLimit,
      snapCount: this.opts.snapCount,
      logger: this.log,
      onSynced: (s) => {
        const link: LeaderLink = {
          request: (sessionId, cxid, opType, body, authinfo) =>
            peer.forward({ kind: "request", sessionId, cxid, opType, body, authinfo }),
          revalidate: (sessionId, timeoutMs) =>
            peer.forward({ kind: "revalidate", sessionId, timeoutMs }),
        };
        fwd.serve(peer.tree, peer.sessions, link);
        this.server.peerState = `${verb} - broadcast`;
        this.election?.synced(BigInt(s.epoch));
      },
      onCommitted: (e, r) => fwd.committed(e, r),
      touches: () => fwd.takeTouches(),
      onRevalidated: (id, valid) => fwd.revalidated(id, valid),
      onSyncDone: () => fwd.syncDone(),
    });
    this.learner = peer;
    this.running = peer.run().then(
      (reason) => this.leaderLost(peer, reason),
      (e) => this.leaderLost(peer, (e as Error).message),
    );
  }

  /** Leads until a quorum is lost: the server serves once the leader is established. */
  private lead(): void {
    const self = this.cfg.self.addresses[0];
    this.server.mode = "leader";
    this.server.peerState = "leading - discovery";
    const fwd = this.forwarder;
    const leader: LeaderPeer = new LeaderPeer({
      sid: this.cfg.myid,
      dataDir: this.opts.dataDir,
      dataLogDir: this.opts.dataLogDir,
      listen: {
        host: this.cfg.quorumListenOnAllIPs ? "0.0.0.0" : self.host,
        port: self.quorumPort,
      },
      voters: new Set(this.cfg.voters),
      configText: quorumVerifier(this.cfg.servers).text,
      tickTime: this.cfg.tickTime,
      initLimit: this.cfg.initLimit,
      syncLimit: this.cfg.syncLimit,
      logger: this.log,
      onEstablished: (epoch) => {
        fwd.serve(leader.tree, leader.sessions, {
          request: (sessionId, cxid, opType, body, authinfo) => {
            if (opType === OpCode.sync) leader.sync().then(() => fwd.syncDone());
            else leader.request(sessionId, cxid, opType, body, authinfo);
          },
          // Answered after this call returns, as a learner's REVALIDATE reply would be.
          revalidate: (sessionId, timeoutMs) => {
            const valid = leader.revalidate(sessionId, timeoutMs);
            queueMicrotask(() => fwd.revalidated(sessionId, valid));
          },
        });
        this.server.peerState = "leading - broadcast";
        this.election?.synced(BigInt(epoch));
      },
      onCommitted: (e, r) => fwd.committed(e, r),
      touches: () => fwd.takeTouches(),
      onSessionMoved: (id) => this.server.owners.get(id)?.close(),
    });
    this.leading = leader;
    this.server.leaderFigures = () => leader.figures();
    this.running = leader.start().then(() => leader.done).then(
      (reason) => this.leadingEnded(leader, reason),
      (e) => {
        leader.stop((e as Error).message);
        this.leadingEnded(leader, (e as Error).message);
      },
    );
  }

  private leadingEnded(leader: LeaderPeer, reason: string): void {
    this.forwarder.lost();
    this.server.peerState = "looking";
    this.server.leaderFigures = null;
    const state = leader.leader as LeaderPeer["leader"] | undefined;
    if (state !== undefined) {
      this.lastZxid = Math.max(this.lastZxid, state.lastProposed);
      this.currentEpoch = Math.max(this.currentEpoch, state.currentEpoch);
    }
    if (this.leading === leader) this.leading = null;
    if (this.stopping) return;
    this.log.warn(`${this.where}:QuorumPeer`, `Stopped leading: ${reason}; looking again`);
    this.lookAgainIn(0);
  }

  private leaderLost(peer: LearnerPeer, reason: string): void {
    this.forwarder.lost();
    this.server.peerState = "looking";
    const state = peer.learner;
    if (state !== undefined) {
      this.lastZxid = state.lastZxid;
      this.currentEpoch = state.currentEpoch;
    }
    if (this.learner === peer) this.learner = null;
    if (this.stopping) return;
    this.log.warn(`${this.where}:QuorumPeer`, `Lost the leader: ${reason}; looking again`);
    // An observer waits a random 0–200 ms first (zookeeper.observer.election.DelayMs, §2.5).
    this.lookAgainIn(this.cfg.type === "observer" ? Math.floor(Math.random() * 200) : 0);
  }

  private lookAgainIn(ms: number): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (this.stopping) return;
      this.election?.lookAgain(BigInt(this.lastZxid), BigInt(this.currentEpoch));
    }, ms);
  }
}
