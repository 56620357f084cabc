/**
 * `/metrics`: herd's monitor values in the Prometheus text format (version 0.0.4), laid out as
 * Apache 3.8.0's PrometheusMetricsProvider (simpleclient 0.9) writes them, as captured from it:
 * gauges and counters as Java doubles; every summary with its quantiles (0.5, 0.9 and 0.99 for
 * the percentile ones, 0.5 for the others; `NaN` before the first value), `_count` and `_sum`;
 * the per-namespace quota gauges and read/write summaries labelled `key`; and, as its
 * `exportJvmInfo` default does, the Prometheus client's `process_*` series.
 */
import type { ServerView } from "../server/view.ts";
import type { Summary } from "../server/metrics.ts";
import { javaDouble, type ProcessInfo, processInfo } from "../fourletter/mod.ts";
import { type MonitorEntry, monitorValues } from "../fourletter/mod.ts";

const QUOTA_SETS = [
  "quota_bytes_limit_per_namespace",
  "quota_count_usage_per_namespace",
  "quota_count_limit_per_namespace",
  "quota_bytes_usage_per_namespace",
];
const QUOTA_SET = /^(.+)_(quota_(?:count|bytes)_(?:limit|usage)_per_namespace)$/;
/** simpleclient's quantiles for Apache's ADVANCED (percentile) and BASIC summaries. */
const ADVANCED = [0.5, 0.9, 0.99];
const BASIC = [0.5];

function header(name: string, type: string, help = name): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

/** `{key="a",quantile="0.5",}` as simpleclient writes labels (each followed by a comma). */
function labels(pairs: [string, string][]): string {
  return pairs.length === 0 ? "" : `{${pairs.map(([k, v]) => `${k}="${v}",`).join("")}}`;
}

function summaryLines(name: string, s: Summary | undefined, qs: number[], key?: string): string {
  const base: [string, string][] = key === undefined ? [] : [["key", key]];
  let out = "";
  for (const q of qs) {
    const v = s === undefined ? NaN : s.rankQuantile(q);
    out += `${name}${labels([...base, ["quantile", String(q)]])} ${javaDouble(v)}\n`;
  }
  out += `${name}_count${labels(base)} ${javaDouble(s?.count ?? 0)}\n`;
  out += `${name}_sum${labels(base)} ${javaDouble(s?.sum ?? 0)}\n`;
  return out;
}

/** The Prometheus Java client's StandardExports, with its help texts; unknown values left out. */
function processSeries(p: ProcessInfo): string {
  const series: [string, string, string, number][] = [
    [
      "process_cpu_seconds_total",
      "counter",
      "Total user and system CPU time spent in seconds.",
      p.cpuSeconds,
    ],
    [
      "process_start_time_seconds",
      "gauge",
      "Start time of the process since unix epoch in seconds.",
      p.startTimeSeconds,
    ],
    ["process_open_fds", "gauge", "Number of open file descriptors.", p.openFileDescriptors],
    ["process_max_fds", "gauge", "Maximum number of open file descriptors.", p.maxFileDescriptors],
    [
      "process_virtual_memory_bytes",
      "gauge",
      "Virtual memory size in bytes.",
      p.virtualMemoryBytes,
    ],
    [
      "process_resident_memory_bytes",
      "gauge",
      "Resident memory size in bytes.",
      p.residentMemoryBytes,
    ],
  ];
  let out = "";
  for (const [name, type, help, v] of series) {
    if (v < 0) continue;
    out += header(name, type, help) + `${name} ${javaDouble(v)}\n`;
  }
  return out;
}

/** Options for {@link prometheusMetrics}. */
export interface PrometheusOptions {
  /** Add the `process_*` series (Apache's `metricsProvider.exportJvmInfo`, default true). */
  exportProcessInfo?: boolean;
  /** The process reading to use (tests); read now by default. */
  process?: ProcessInfo;
}

/**
 * The Prometheus exposition of the server's metrics.
 *
 * @example
 * ```ts
 * prometheusMetrics(view).includes("# TYPE znode_count gauge\nznode_count 5.0"); // true
 * ```
 */
export function prometheusMetrics(view: ServerView, opts: PrometheusOptions = {}): string {
  const proc = opts.process ?? processInfo();
  const entries: MonitorEntry[] = monitorValues(view, proc);
  const quota = new Map<string, string>(QUOTA_SETS.map((s) => [s, ""]));
  const m = view.metrics();
  const setSuffixes = [...m.summarySets.keys()].map((name) => `_${name}`);
  // mntr's summaries, named by their cnt_ line; p50_ marks the percentile ones.
  const summaries = new Map<string, number[]>();
  let out = "";
  for (const e of entries) {
    if (e.kind === "summary" && e.key.startsWith("cnt_")) {
      const name = e.key.substring(4);
      if (!setSuffixes.some((s) => name.endsWith(s))) summaries.set(name, BASIC);
    } else if (e.kind === "summary" && e.key.startsWith("p50_")) {
      summaries.set(e.key.substring(4), ADVANCED);
    }
    if (e.kind !== "gauge" && e.kind !== "counter") continue;
    const num = Number(String(e.value));
    if (Number.isNaN(num)) continue;
    const q = QUOTA_SET.exec(e.key);
    if (e.kind === "gauge" && q) {
      quota.set(q[2], quota.get(q[2]) + `${q[2]}${labels([["key", q[1]]])} ${javaDouble(num)}\n`);
    } else {
      out += header(e.key, e.kind) + `${e.key} ${javaDouble(num)}\n`;
    }
  }
  for (const [name, lines] of quota) out += header(name, "gauge") + lines;
  for (const [name, qs] of summaries) {
    out += header(name, "summary") + summaryLines(name, m.summaries.get(name), qs);
  }
  for (const [name, set] of m.summarySets) {
    out += header(name, "summary");
    for (const [key, s] of set.byKey) out += summaryLines(name, s, BASIC, key);
  }
  if (opts.exportProcessInfo !== false) out += processSeries(proc);
  return out;
}
