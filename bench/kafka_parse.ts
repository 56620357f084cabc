/**
 * Readers for the summaries Apache Kafka 2.8.2's load tools print on stdout: ProducerPerformance
 * (kafka-producer-perf-test.sh), ConsumerPerformance (kafka-consumer-perf-test.sh),
 * kafka.tools.EndToEndLatency and kafka.tools.GetOffsetShell. Each takes the tool's whole stdout and returns null when the
 * summary is not there (the tool died or printed something else), never a half-read result.
 *
 * The tools' "MB" is 1024 × 1024 bytes (ProducerPerformance divides by 1024.0 * 1024.0,
 * ConsumerPerformance by 1024 * 1024).
 */

/** The last line of kafka-producer-perf-test: totals and latency percentiles over all records. */
export interface ProducerSummary {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgMs: number;
  maxMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

const NUM = String.raw`(\d+(?:\.\d+)?)`;

// "100000 records sent, 10399.334443 records/sec (10.16 MB/sec), 2505.72 ms avg latency,
//  4254.00 ms max latency, 2333 ms 50th, 3949 ms 95th, 4196 ms 99th, 4247 ms 99.9th."
// The periodic lines printed while running have the same start but no percentiles.
const PRODUCER = new RegExp(
  String.raw`^(\d+) records sent, ${NUM} records/sec \(${NUM} MB/sec\), ${NUM} ms avg latency, ` +
    String
      .raw`${NUM} ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.?$`,
);

/** The final summary of kafka-producer-perf-test, or null when it did not print one. */
export function parseProducerPerf(stdout: string): ProducerSummary | null {
  const lines = stdout.split("\n").map((l) => l.trim()).filter((l) => l.includes(" 50th"));
  const m = PRODUCER.exec(lines.at(-1) ?? "");
  if (!m) return null;
  const n = m.slice(1).map(Number);
  return {
    records: n[0],
    recordsPerSec: n[1],
    mbPerSec: n[2],
    avgMs: n[3],
    maxMs: n[4],
    p50Ms: n[5],
    p95Ms: n[6],
    p99Ms: n[7],
    p999Ms: n[8],
  };
}

/**
 * kafka-consumer-perf-test's one result line. `mbPerSec` counts from the consumer's start, the
 * group join included (`rebalanceMs`); `fetchMbPerSec` counts from the first fetched record.
 */
export interface ConsumerSummary {
  mb: number;
  mbPerSec: number;
  messages: number;
  messagesPerSec: number;
  rebalanceMs: number;
  fetchMs: number;
  fetchMbPerSec: number;
  fetchMessagesPerSec: number;
}

const CONSUMER_COLUMNS: Record<string, keyof ConsumerSummary> = {
  "data.consumed.in.MB": "mb",
  "MB.sec": "mbPerSec",
  "data.consumed.in.nMsg": "messages",
  "nMsg.sec": "messagesPerSec",
  "rebalance.time.ms": "rebalanceMs",
  "fetch.time.ms": "fetchMs",
  "fetch.MB.sec": "fetchMbPerSec",
  "fetch.nMsg.sec": "fetchMessagesPerSec",
};

/**
 * The result line of kafka-consumer-perf-test (without --show-detailed-stats), read by the names
 * in its header line, or null when either is missing or a value is not a number.
 */
export function parseConsumerPerf(stdout: string): ConsumerSummary | null {
  const lines = stdout.split("\n").map((l) => l.trim());
  const h = lines.findLastIndex((l) => l.startsWith("start.time,"));
  if (h < 0 || h + 1 >= lines.length) return null;
  const names = lines[h].split(",").map((s) => s.trim());
  const values = lines[h + 1].split(",").map((s) => s.trim());
  if (values.length !== names.length) return null;
  const out: Partial<ConsumerSummary> = {};
  for (const [column, key] of Object.entries(CONSUMER_COLUMNS)) {
    const i = names.indexOf(column);
    // A consumer that fetched nothing prints NaN or Infinity for the rates; that is no figure.
    const v = i < 0 ? NaN : Number(values[i]);
    if (!Number.isFinite(v)) return null;
    out[key] = v;
  }
  return out as ConsumerSummary;
}

/**
 * What kafka.tools.EndToEndLatency prints at the end. The tool keeps each latency in whole
 * milliseconds (nanoseconds / 1000 / 1000 as a Long), so its percentiles are truncated to the
 * millisecond; only the average has decimals.
 */
export interface EndToEndSummary {
  avgMs: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
}

/** "Avg latency: 2.0992 ms" and "Percentiles: 50th = 0, 99th = 14, 99.9th = 82", or null. */
export function parseEndToEnd(stdout: string): EndToEndSummary | null {
  const avg = new RegExp(String.raw`^Avg latency: ${NUM} ms$`, "m").exec(stdout);
  const pct = new RegExp(
    String.raw`^Percentiles: 50th = (\d+), 99th = (\d+), 99\.9th = (\d+)$`,
    "m",
  ).exec(stdout);
  if (!avg || !pct) return null;
  return {
    avgMs: Number(avg[1]),
    p50Ms: Number(pct[1]),
    p99Ms: Number(pct[2]),
    p999Ms: Number(pct[3]),
  };
}

/**
 * GetOffsetShell's `topic:partition:offset` lines for `topic` (with `--time -1`, each partition's
 * log end offset), as partition → offset; null when none is there.
 */
export function parseOffsets(stdout: string, topic: string): Map<number, number> | null {
  const out = new Map<number, number>();
  for (const line of stdout.split("\n")) {
    const m = /^(.+):(\d+):(\d+)$/.exec(line.trim());
    if (m && m[1] === topic) out.set(Number(m[2]), Number(m[3]));
  }
  return out.size === 0 ? null : out;
}

/** The first line of a tool's stderr that says what went wrong, for a note; "" when none. */
export function firstError(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const pick = lines.find((l) => /Exception|ERROR|Error:/.test(l)) ?? lines[0] ?? "";
  return pick.length > 200 ? `${pick.slice(0, 200)}…` : pick;
}
