/**
 * `/metrics`: herd's monitor values in the Prometheus text format (version 0.0.4), laid out as
 * Apache's Prometheus metrics provider (simpleclient) writes them: gauges and counters as doubles,
 * summaries as `_count`/`_sum` (plus quantiles for the percentile ones), per-namespace quota
 * gauges labelled `key`.
 */
import type { ServerView } from "../server/view.ts";
import { type MonitorEntry, monitorValues } from "../fourletter/mod.ts";

const QUOTA_SET = /^(.+)_(quota_(?:count|bytes)_(?:limit|usage)_per_namespace)$/;
const QUANTILES: [string, string][] = [["p50", "0.5"], ["p95", "0.95"], ["p99", "0.99"], [
  "p999",
  "0.999",
]];

/** A sample value as simpleclient prints it (a Java double). */
function sample(v: number): string {
  if (Number.isInteger(v)) return `${v}.0`;
  return String(v);
}

function block(name: string, type: string, lines: string[]): string {
  return `# HELP ${name} ${name}\n# TYPE ${name} ${type}\n${lines.join("\n")}\n`;
}

/**
 * The Prometheus exposition of the server's metrics.
 *
 * @example
 * ```ts
 * prometheusMetrics(view).includes("# TYPE znode_count gauge\nznode_count 5.0"); // true
 * ```
 */
export function prometheusMetrics(view: ServerView): string {
  const entries = monitorValues(view);
  const values = new Map<string, number>();
  for (const e of entries) values.set(e.key, Number(String(e.value)));
  let out = "";
  const quota = new Map<string, string[]>();
  const summaries = new Set<string>();
  for (const e of entries as MonitorEntry[]) {
    const num = values.get(e.key)!;
    if (e.kind === "info" || Number.isNaN(num)) continue;
    const q = QUOTA_SET.exec(e.key);
    if (e.kind === "gauge" && q) {
      quota.set(q[2], [...(quota.get(q[2]) ?? []), `${q[2]}{key="${q[1]}",} ${sample(num)}`]);
    } else if (e.kind === "gauge" || e.kind === "counter") {
      out += block(e.key, e.kind, [`${e.key} ${sample(num)}`]);
    } else if (e.key.startsWith("cnt_")) {
      summaries.add(e.key.substring(4));
    }
  }
  for (const [name, lines] of quota) out += block(name, "gauge", lines);
  for (const name of summaries) {
    const lines = QUANTILES.filter(([p]) => values.has(`${p}_${name}`))
      .map(([p, q]) => `${name}{quantile="${q}",} ${sample(values.get(`${p}_${name}`)!)}`);
    lines.push(`${name}_count ${sample(values.get(`cnt_${name}`)!)}`);
    lines.push(`${name}_sum ${sample(values.get(`sum_${name}`)!)}`);
    out += block(name, "summary", lines);
  }
  return out;
}
