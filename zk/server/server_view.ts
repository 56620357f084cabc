/** The read-only ServerView of a running ZkServer, for four-letter words and admin commands. */
import type {
  ConnectionView,
  LeaderFigures,
  ServerStats,
  ServerView,
  SessionView,
} from "./view.ts";
import type { ZkServer } from "./server.ts";
import type { Connection } from "./connection.ts";
import type { WatchTable } from "./watch_manager.ts";
import type { ServerMetrics } from "./metrics.ts";

export const ZK_VERSION = "3.8.0-herd, built on 2026-11-25 00:00 UTC";

function connView(c: Connection): ConnectionView {
  return {
    remote: c.remote,
    queued: c.queued,
    packetsReceived: c.packetsReceived,
    packetsSent: c.packetsSent,
    sessionId: c.session?.id ?? null,
    sessionTimeout: c.session?.timeout ?? 0,
    lastOp: c.lastOp,
    lastCxid: c.lastCxid,
    lastZxid: c.lastZxid,
    lastResponseTime: c.lastResponseTime,
    lastLatency: c.lastLatency,
    minLatency: c.latencyCount ? c.minLatency : 0,
    avgLatency: c.latencyCount ? c.totalLatency / c.latencyCount : 0,
    maxLatency: c.maxLatency,
    established: c.established,
  };
}

function dirSize(path: string): number {
  let n = 0;
  try {
    for (const e of Deno.readDirSync(path)) {
      if (e.isFile) n += Deno.statSync(`${path}/${e.name}`).size;
    }
  } catch {
    // missing dir: size 0
  }
  return n;
}

export class ServerViewImpl implements ServerView {
  readonly version = ZK_VERSION;
  get mode(): "standalone" | "leader" | "follower" | "observer" {
    return this.s.mode;
  }
  leaderFigures(): LeaderFigures | null {
    return this.s.leaderFigures?.() ?? null;
  }
  get peerState(): string | undefined {
    return this.s.peerState;
  }

  constructor(private readonly s: ZkServer) {}

  get serverId(): number {
    return this.s.settings.serverId;
  }
  get tickTime(): number {
    return this.s.settings.tickTime;
  }
  get fourLetterWhitelist(): Set<string> | "*" {
    return this.s.settings.fourLetterWhitelist;
  }

  lastZxid(): number {
    return this.s.lastZxid();
  }
  nodeCount(): number {
    return this.s.tree.nodeCount;
  }
  approximateDataSize(): number {
    return this.s.tree.approximateDataSize();
  }
  ephemeralCount(): number {
    return this.s.tree.ephemeralCount();
  }
  connections(): ConnectionView[] {
    return [...this.s.connections].map(connView);
  }
  sessions(): SessionView[] {
    return [...this.s.sessions.sessions.values()].map((x) => ({
      id: x.id,
      timeout: x.timeout,
      expireAt: x.expireAt,
      ephemerals: this.s.tree.ephemeralsOf(x.id),
    }));
  }
  stats(): ServerStats {
    const st = this.s.stats;
    return {
      packetsReceived: st.packetsReceived,
      packetsSent: st.packetsSent,
      minLatency: st.latencyCount ? st.minLatency : 0,
      avgLatency: st.latencyCount ? st.totalLatency / st.latencyCount : 0,
      maxLatency: st.maxLatency,
      outstanding: this.s.pipeline.pending,
      startedAt: this.s.startedAt,
      authFailed: st.authFailed,
    };
  }
  resetStats(): void {
    const st = this.s.stats;
    st.packetsReceived = 0;
    st.packetsSent = 0;
    st.minLatency = Number.MAX_SAFE_INTEGER;
    st.maxLatency = 0;
    st.totalLatency = 0;
    st.latencyCount = 0;
    this.s.metrics.reset();
  }
  resetConnectionStats(): void {
    for (const c of this.s.connections) {
      c.packetsReceived = 0;
      c.packetsSent = 0;
      c.minLatency = Number.MAX_SAFE_INTEGER;
      c.maxLatency = 0;
      c.totalLatency = 0;
      c.latencyCount = 0;
      c.lastOp = "NA";
      c.lastCxid = -1;
      c.lastZxid = -1;
      c.lastResponseTime = 0;
      c.lastLatency = 0;
    }
  }
  watchesByPath(): Map<string, bigint[]> {
    const out = new Map<string, bigint[]>();
    for (const [path, set] of this.s.watches.byPath()) {
      out.set(path, [...set].map((c) => c.session?.id ?? 0n));
    }
    return out;
  }
  watchesBySession(): Map<bigint, string[]> {
    const out = new Map<bigint, string[]>();
    for (const [path, set] of this.s.watches.byPath()) {
      for (const c of set) {
        const id = c.session?.id ?? 0n;
        const list = out.get(id) ?? [];
        list.push(path);
        out.set(id, list);
      }
    }
    return out;
  }
  watchCount(): number {
    return this.s.watches.count();
  }
  metrics(): ServerMetrics {
    return this.s.metrics;
  }
  watchTables(): { data: Map<string, bigint[]>; child: Map<string, bigint[]> } {
    const w = this.s.watches;
    const merge = (tables: WatchTable<Connection>[]) => {
      const out = new Map<string, bigint[]>();
      for (const t of tables) {
        for (const [path, set] of t.byPath) {
          const ids = out.get(path) ?? [];
          for (const c of set) {
            const id = c.session?.id ?? 0n;
            if (!ids.includes(id)) ids.push(id);
          }
          out.set(path, ids);
        }
      }
      return out;
    };
    return {
      data: merge([w.data, w.persistent, w.recursive]),
      child: merge([w.child, w.persistent, w.recursive]),
    };
  }
  countFourLetterPackets(
    caller: { remote: string } | undefined,
    received: number,
    sent: number,
  ): void {
    this.s.stats.packetsReceived += received;
    this.s.stats.packetsSent += sent;
    // Apache counts a four-letter word as a packet of 4 bytes (ServerCnxn.packetReceived(4)).
    this.s.metrics.bytesReceived += 4 * received;
    for (const c of this.s.connections) {
      if (c.remote === caller?.remote) c.packetsReceived += received;
    }
  }
  quotas(): ReturnType<ServerView["quotas"]> {
    const out = [];
    for (const path of this.s.tree.quotaPaths) {
      const u = this.s.tree.quotaUsage(path);
      if (u) {
        out.push({
          path,
          count: u.count,
          bytes: u.bytes,
          countLimit: u.limits.count,
          bytesLimit: u.limits.bytes,
          countHardLimit: u.limits.countHardLimit,
          bytesHardLimit: u.limits.byteHardLimit,
        });
      }
    }
    return out;
  }
  conf(): Record<string, string | number> {
    const st = this.s.settings;
    return {
      clientPort: this.s.port,
      secureClientPort: -1,
      dataDir: `${st.dataDir}/version-2`,
      dataDirSize: this.dataDirSize(),
      dataLogDir: `${st.dataLogDir}/version-2`,
      dataLogSize: this.dataLogSize(),
      tickTime: st.tickTime,
      maxClientCnxns: st.maxClientCnxns,
      minSessionTimeout: st.minSessionTimeout,
      maxSessionTimeout: st.maxSessionTimeout,
      clientPortListenBacklog: -1,
      serverId: st.serverId,
      ...(st.confExtras ?? {}),
    };
  }
  // Apache 3.8.0's ZooKeeperServer.getDataDirSize() sums its FileTxnSnapLog's "dataDir", which
  // is the txn log directory, and getLogDirSize() its "snapDir": with a separate dataLogDir,
  // conf/dirs print the log bytes as dataDirSize. Measured on 3.8.0 here: dataDirSize=67108880
  // (log.1, preallocated) and dataLogSize=457 (snapshot.0). herd prints the same.
  dataDirSize(): number {
    return dirSize(`${this.s.settings.dataLogDir}/version-2`);
  }
  dataLogSize(): number {
    return dirSize(`${this.s.settings.dataDir}/version-2`);
  }
}
