/**
 * An ensemble member's main loop (Apache's QuorumPeer.run): elect, then learn from the leader
 * elected — as an observer or a follower — and serve clients through the {@link ZkServer} once
 * synced; when the leader is lost, stop serving and elect again.
 *
 * herd cannot lead yet (issue 16 step 3). It votes honestly: its vote carries its real epoch and
 * last zxid, so the ensemble never elects a leader that lacks a txn herd acknowledged (a committed
 * txn is on a quorum, and election picks the most up-to-date candidate). With the lowest sid it is
 * never the best candidate while the others are as up to date as it is. Should it be elected all
 * the same — it alone holds the newest txns — it says so in the log and looks again a tick later:
 * the ensemble waits, as it would for a leader that cannot start, rather than lose those txns.
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
import { LearnerPeer } from "./learner_peer.ts";
import { epochOf } from "./quorum_packet.ts";

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

  /** Stops learning and electing; the server stops serving. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    this.learner?.stop();
    await this.running;
    await this.election?.stop();
  }

  private decided(d: ElectionDecision): void {
    if (this.stopping) return;
    if (d.peerState === "LEADING") {
      this.log.warn(
        `${this.where}:QuorumPeer`,
        `Elected leader, but herd cannot lead yet (issue 16 step 3): looking again in ` +
          `${this.cfg.tickTime} ms for a leader among the other servers`,
      );
      this.lookAgainIn(this.cfg.tickTime);
      return;
    }
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
