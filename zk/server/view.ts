/** Read-only views of a running server, for four-letter words and the admin endpoints. */
import type { ServerMetrics } from "./metrics.ts";

export interface ConnectionView {
  remote: string;
  /** Requests waiting in the pipeline. */
  queued: number;
  packetsReceived: number;
  packetsSent: number;
  sessionId: bigint | null;
  sessionTimeout: number;
  lastOp: string;
  lastCxid: number;
  lastZxid: number;
  lastResponseTime: number;
  lastLatency: number;
  minLatency: number;
  avgLatency: number;
  maxLatency: number;
  established: number;
}

export interface SessionView {
  id: bigint;
  timeout: number;
  expireAt: number;
  ephemerals: string[];
}

export interface ServerStats {
  packetsReceived: number;
  packetsSent: number;
  minLatency: number;
  avgLatency: number;
  maxLatency: number;
  outstanding: number;
  startedAt: number;
  authFailed: number;
}

/** What mntr adds on a leader: Apache's Leader gauges. */
export interface LeaderFigures {
  /** Learners past their LearnerInfo (zk_learners). */
  learners: number;
  /** Synced voting followers (zk_synced_followers). */
  syncedFollowers: number;
  syncedNonVotingFollowers: number;
  syncedObservers: number;
  /** Syncs waiting for their commits (zk_pending_syncs). */
  pendingSyncs: number;
}

export interface ServerView {
  version: string;
  mode: "standalone" | "leader" | "follower" | "observer" | "read-only";
  /** An ensemble member's state in Apache's words (`following - broadcast`); none standalone. */
  peerState?: string;
  /** The leader's gauges while this server leads; null or absent otherwise. */
  leaderFigures?(): LeaderFigures | null;
  serverId: number;
  lastZxid(): number;
  nodeCount(): number;
  approximateDataSize(): number;
  ephemeralCount(): number;
  connections(): ConnectionView[];
  sessions(): SessionView[];
  stats(): ServerStats;
  resetStats(): void;
  resetConnectionStats(): void;
  /** path → session ids watching it (wchp). */
  watchesByPath(): Map<string, bigint[]>;
  /** session id → watched paths (wchc). */
  watchesBySession(): Map<bigint, string[]>;
  watchCount(): number;
  /** Apache's ServerMetrics that herd measures: counters, summaries and per-namespace sets. */
  metrics(): ServerMetrics;
  /** Quota'd paths with their usage and limits, for mntr. */
  quotas(): {
    path: string;
    count: number;
    bytes: number;
    countLimit: number;
    bytesLimit: number;
    /** Hard limits (`setquota -N` / `-B`); -1 when unset. */
    countHardLimit: number;
    bytesHardLimit: number;
  }[];
  /**
   * Apache's two watch tables, path → session ids: `data` holds getData/exists watches, `child`
   * getChildren ones; persistent and persistent-recursive watches are in both (as in 3.8.0).
   * wchs/wchc/wchp show only `data`; mntr's zk_watch_count is the sum of both.
   */
  watchTables(): { data: Map<string, bigint[]>; child: Map<string, bigint[]> };
  /**
   * Counts a four-letter word's packets as Apache does: the word itself as one packet received
   * (by the server and by the connection `caller`, matched on its remote address), and each reply
   * chunk as a packet sent by the server.
   */
  countFourLetterPackets(
    caller: { remote: string } | undefined,
    received: number,
    sent: number,
  ): void;
  /** zoo.cfg-derived settings shown by `conf`. */
  conf(): Record<string, string | number>;
  /**
   * `dirs`' sizes as Apache 3.8.0 reports them, which is crossed over: `dataDirSize()` is the
   * bytes under dataLogDir (the txn logs) and `dataLogSize()` those under dataDir (snapshots).
   */
  dataDirSize(): number;
  dataLogSize(): number;
  tickTime: number;
  fourLetterWhitelist: Set<string> | "*";
}
