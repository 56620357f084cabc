/**
 * `mntr`: every key Apache 3.8.0's standalone server prints, in its order, tab-separated. herd's
 * own numbers fill the keys it measures; the rest print 0 (or -1 for response sizes, Apache's "not
 * measured yet"), so scrapers find every key they expect. The per-namespace read and write
 * summaries come last, one set of five lines per top-level namespace read or written, as in
 * Apache (`zk_avg_a_write_per_namespace` …).
 */
import type { ServerView } from "../server/view.ts";
import {
  BASIC_SUMMARIES,
  COUNTERS,
  GAUGES,
  PERCENTILE_SUMMARIES,
  QUOTA_GAUGE_SETS,
} from "./_monitor_keys.ts";
import { avg4, JavaDouble } from "./_java_format.ts";
import { javaStringOrder } from "./_java_order.ts";
import { type ProcessInfo, processInfo } from "./process_info.ts";
import type { Summary } from "../server/metrics.ts";

/** A monitor value: a Java long (number or bigint), double, or string. */
export type MonitorValue = number | bigint | string | JavaDouble;

/** Where a metric came from, for the Prometheus exposition of the same values. */
export type MetricKind = "info" | "gauge" | "counter" | "summary";

/** One mntr line: key (without `zk_`), value, and the kind of metric Apache registers it as. */
export interface MonitorEntry {
  key: string;
  value: MonitorValue;
  kind: MetricKind;
}

type QuotaSet = typeof QUOTA_GAUGE_SETS[number];

/** Per top-level namespace sums of quota usage and limits (QuotaMetricsUtils). */
function quotaGaugeSets(v: ServerView): Map<QuotaSet, Map<string, number>> {
  const sets = new Map<QuotaSet, Map<string, number>>(QUOTA_GAUGE_SETS.map((s) => [s, new Map()]));
  const add = (set: QuotaSet, ns: string, n: number) => {
    const m = sets.get(set)!;
    m.set(ns, (m.get(ns) ?? 0) + n);
  };
  for (const q of [...v.quotas()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const ns = q.path.split("/")[1];
    if (!ns) continue;
    // A hard limit, when set, takes precedence over the soft one.
    add(
      "quota_count_limit_per_namespace",
      ns,
      q.countHardLimit > -1 ? q.countHardLimit : q.countLimit,
    );
    add(
      "quota_bytes_limit_per_namespace",
      ns,
      q.bytesHardLimit > -1 ? q.bytesHardLimit : q.bytesLimit,
    );
    add("quota_count_usage_per_namespace", ns, q.count);
    add("quota_bytes_usage_per_namespace", ns, q.bytes);
  }
  return sets;
}

function gaugeValues(v: ServerView, proc: ProcessInfo, now: number): Record<string, MonitorValue> {
  const st = v.stats();
  const tables = v.watchTables();
  let watches = 0;
  for (const t of [tables.data, tables.child]) for (const ids of t.values()) watches += ids.length;
  return {
    ephemerals_count: v.ephemeralCount(),
    num_alive_connections: v.connections().length,
    avg_latency: avg4(st.avgLatency),
    outstanding_requests: st.outstanding,
    znode_count: v.nodeCount(),
    global_sessions: v.sessions().length,
    last_client_response_size: -1,
    packets_sent: st.packetsSent,
    packets_received: st.packetsReceived,
    max_client_response_size: -1,
    connection_drop_probability: new JavaDouble(0),
    watch_count: watches,
    auth_failed_count: st.authFailed,
    min_latency: st.minLatency,
    max_file_descriptor_count: proc.maxFileDescriptors,
    approximate_data_size: v.approximateDataSize(),
    open_file_descriptor_count: proc.openFileDescriptors,
    uptime: now - st.startedAt,
    max_latency: st.maxLatency,
    min_client_response_size: -1,
  };
}

/**
 * The monitor values in Apache's order: version and state, gauges, quota gauge sets, counters,
 * then summaries.
 *
 * @example
 * ```ts
 * monitorValues(view)[0]; // { key: "version", value: "3.8.0-…", kind: "info" }
 * ```
 */
export function monitorValues(
  v: ServerView,
  proc: ProcessInfo = processInfo(),
  now: number = Date.now(),
): MonitorEntry[] {
  const out: MonitorEntry[] = [
    { key: "version", value: v.version, kind: "info" },
    { key: "server_state", value: v.mode, kind: "info" },
  ];
  // Apache's QuorumPeer registers it next; a standalone server has no peer.
  if (v.peerState !== undefined) out.push({ key: "peer_state", value: v.peerState, kind: "info" });
  const gauges = gaugeValues(v, proc, now);
  for (const key of GAUGES) out.push({ key, value: gauges[key] ?? 0, kind: "gauge" });
  // The leader's own gauges, in the order Apache 3.8.0's leader mntr listed them
  // (reference/zookeeper/05-zkserver-status-and-cluster.transcript); proposal sizes unmeasured.
  const lf = v.leaderFigures?.() ?? null;
  if (lf !== null) {
    const leaderGauges: [string, number][] = [
      ["min_proposal_size", -1],
      ["max_proposal_size", -1],
      ["synced_followers", lf.syncedFollowers],
      ["synced_non_voting_followers", lf.syncedNonVotingFollowers],
      ["synced_observers", lf.syncedObservers],
      ["last_proposal_size", -1],
      ["pending_syncs", lf.pendingSyncs],
      ["learners", lf.learners],
    ];
    for (const [key, value] of leaderGauges) out.push({ key, value, kind: "gauge" });
  }
  for (const [set, byNs] of quotaGaugeSets(v)) {
    for (const ns of javaStringOrder(byNs.keys())) {
      out.push({ key: `${ns}_${set}`, value: byNs.get(ns)!, kind: "gauge" });
    }
  }
  const m = v.metrics();
  const counters = m.counters();
  for (const key of COUNTERS) out.push({ key, value: counters[key] ?? 0, kind: "counter" });
  for (const name of BASIC_SUMMARIES) pushSummary(out, name, m.summaries.get(name), false);
  for (const name of PERCENTILE_SUMMARIES) pushSummary(out, name, m.summaries.get(name), true);
  for (const [set, byKey] of m.summarySets) {
    for (const ns of javaStringOrder(byKey.byKey.keys())) {
      pushSummary(out, `${ns}_${set}`, byKey.byKey.get(ns), false);
    }
  }
  return out;
}

const QUANTILES: [string, number][] = [["p50", 0.5], ["p95", 0.95], ["p99", 0.99], [
  "p999",
  0.999,
]];

/** One summary's lines: avg, min, max, cnt, sum (and p50…p999 for percentile summaries). */
function pushSummary(
  out: MonitorEntry[],
  name: string,
  s: Summary | undefined,
  percentiles: boolean,
): void {
  out.push({ key: `avg_${name}`, value: avg4(s?.avg ?? 0), kind: "summary" });
  out.push({ key: `min_${name}`, value: s?.min ?? 0, kind: "summary" });
  out.push({ key: `max_${name}`, value: s?.max ?? 0, kind: "summary" });
  out.push({ key: `cnt_${name}`, value: s?.count ?? 0, kind: "summary" });
  out.push({ key: `sum_${name}`, value: s?.sum ?? 0, kind: "summary" });
  if (!percentiles) return;
  for (const [p, q] of QUANTILES) {
    out.push({ key: `${p}_${name}`, value: s?.mntrQuantile(q) ?? 0, kind: "summary" });
  }
}

/** `mntr`: `zk_<key>\t<value>` per monitor value. */
export function mntr(v: ServerView): string {
  let out = "";
  for (const e of monitorValues(v)) out += `zk_${e.key}\t${e.value}\n`;
  return out;
}
