/** A fake ServerView for tests of the four-letter words and the admin app. */
import type { ConnectionView, ServerStats, ServerView, SessionView } from "../server/view.ts";
import { ServerMetrics } from "../server/metrics.ts";

/** A connection with a session, as a ConnectionView; override any field. */
export function fakeConnection(over: Partial<ConnectionView> = {}): ConnectionView {
  return {
    remote: "/127.0.0.1:59712",
    queued: 0,
    packetsReceived: 2,
    packetsSent: 2,
    sessionId: 0x10000a175100000n,
    sessionTimeout: 10000,
    lastOp: "CREA",
    lastCxid: 1,
    lastZxid: 2,
    lastResponseTime: 1795568712890,
    lastLatency: 12,
    minLatency: 0,
    avgLatency: 14.5,
    maxLatency: 16,
    established: 1795568712875,
    ...over,
  };
}

type Quota = ReturnType<ServerView["quotas"]>[number];

/** Every field of the fake is public and writable; the counters record the calls it got. */
export class FakeView implements ServerView {
  version = "3.8.0-herd, built on 2026-11-25 00:00 UTC";
  mode: ServerView["mode"] = "standalone";
  serverId = 0;
  tickTime = 2000;
  fourLetterWhitelist: Set<string> | "*" = "*";
  zxid = 0x28;
  nodes = 20;
  dataSize = 553;
  conns: ConnectionView[] = [];
  sessionList: SessionView[] = [];
  statsValue: ServerStats = {
    packetsReceived: 110,
    packetsSent: 109,
    minLatency: 0,
    avgLatency: 1.43934,
    maxLatency: 11,
    outstanding: 0,
    startedAt: 1795568000000,
    authFailed: 0,
  };
  data = new Map<string, bigint[]>();
  child = new Map<string, bigint[]>();
  quotaList: Quota[] = [];
  confValue: Record<string, string | number> = {
    clientPort: 2181,
    secureClientPort: -1,
    dataDir: "/tmp/zk/data/version-2",
    dataDirSize: 67108880,
    dataLogDir: "/tmp/zk/log/version-2",
    dataLogSize: 457,
    tickTime: 2000,
    maxClientCnxns: 60,
    minSessionTimeout: 4000,
    maxSessionTimeout: 40000,
    clientPortListenBacklog: -1,
    serverId: 0,
  };
  metricsValue: ServerMetrics = Object.assign(new ServerMetrics(), { bytesReceived: 5158 });
  resets = { stats: 0, connections: 0 };
  counted = { received: 0, sent: 0 };

  lastZxid(): number {
    return this.zxid;
  }
  nodeCount(): number {
    return this.nodes;
  }
  approximateDataSize(): number {
    return this.dataSize;
  }
  ephemeralCount(): number {
    return this.sessionList.reduce((n, s) => n + s.ephemerals.length, 0);
  }
  connections(): ConnectionView[] {
    return this.conns;
  }
  sessions(): SessionView[] {
    return this.sessionList;
  }
  stats(): ServerStats {
    return this.statsValue;
  }
  resetStats(): void {
    this.resets.stats++;
  }
  resetConnectionStats(): void {
    this.resets.connections++;
  }
  watchesByPath(): Map<string, bigint[]> {
    return this.data;
  }
  watchesBySession(): Map<bigint, string[]> {
    return new Map();
  }
  watchCount(): number {
    return 0;
  }
  metrics(): ServerMetrics {
    return this.metricsValue;
  }
  watchTables(): { data: Map<string, bigint[]>; child: Map<string, bigint[]> } {
    return { data: this.data, child: this.child };
  }
  countFourLetterPackets(_caller: unknown, received: number, sent: number): void {
    this.counted.received += received;
    this.counted.sent += sent;
  }
  quotas(): Quota[] {
    return this.quotaList;
  }
  conf(): Record<string, string | number> {
    return this.confValue;
  }
  dataDirSize(): number {
    return 67108880;
  }
  dataLogSize(): number {
    return 457;
  }
}
