/**
 * BENCHMARKS.md's Kafka section: how the brokers were run, the machine's limits, the herd vs
 * Apache table, and notes saying how far each throughput is from what the machine can carry.
 */
import type { KafkaOutcome, KafkaPlan } from "./kafka.ts";
import type { MachineLimits } from "./machine.ts";
import type { ToolCeiling } from "./kafka_ceiling.ts";
import { gridTable, markdownTable, type Results } from "./report.ts";
import type { TargetName } from "./targets.ts";

const NAMES: Record<TargetName, string> = { herd: "herd", apache: "Apache" };

const MIB = 1024 * 1024;

function num(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1);
}

function pct(v: number, of: number): string {
  const p = (100 * v) / of;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** The limits as a small table: the machine's, then the load tool's against a sink. */
export function limitsTable(m: MachineLimits, c: ToolCeiling | null = null): string {
  const rows = [
    ["sequential write, 1 KiB + fdatasync each", "writes/s", num(m.fsyncWritesPerSec)],
    ["sequential write, 1 KiB + fdatasync each", "MB/s", num(m.fsyncMbPerSec)],
    ["sequential write, 1 MiB writes, no fsync", "MB/s", num(m.writeMbPerSec)],
    ["fdatasync of those writes afterwards", "s", m.writeFlushSeconds.toFixed(2)],
    ["loopback TCP copy, Deno to Deno", "MB/s", num(m.loopbackMbPerSec)],
  ];
  if (c !== null) {
    rows.push(
      ["producer perf tool to a sink, 100 B, acks=1", "records/s", num(c.produce100RecordsPerSec)],
      ["producer perf tool to a sink, 1 KiB, acks=1", "MB/s", num(c.produce1kMbPerSec)],
    );
  }
  return gridTable(["Limit (no broker running)", "Unit", "Value"], rows, [false, false, true]);
}

function value(results: Results, figure: string, unit: string, name: TargetName): number {
  const v = results.rows.find((r) => r.figure === figure && r.unit === unit)?.values[name];
  return v === undefined ? NaN : v;
}

/**
 * One note per throughput figure: each broker's value as a share of the machine limit that bounds
 * it (page-cache writes and loopback for produce, loopback for consume, fdatasyncs for a flush per
 * message).
 */
export function limitNotes(
  results: Results,
  m: MachineLimits,
  names: TargetName[],
  c: ToolCeiling | null = null,
): string[] {
  const notes: string[] = [];
  /** "figure: herd v unit = …; Apache n/a.", or nothing when no broker has the figure. */
  const note = (figure: string, unit: string, show: (v: number) => string, after = "") => {
    const vs = names.map((n) => [n, value(results, figure, unit, n)] as const);
    if (vs.every(([, v]) => Number.isNaN(v))) return;
    const parts = vs.map(([n, v]) =>
      Number.isNaN(v) ? `${NAMES[n]} n/a` : `${NAMES[n]} ${num(v)} ${unit} ${show(v)}`
    );
    notes.push(`${figure}: ${parts.join("; ")}.${after}`);
  };
  for (const size of ["1 KiB", "100 B"]) {
    // The tool's own ceiling, in the unit it was measured in: what no broker can exceed.
    const tool = c === null
      ? NaN
      : size === "1 KiB"
      ? c.produce1kMbPerSec
      : c.produce100RecordsPerSec;
    const unit = size === "1 KiB" ? "MB/s" : "records/s";
    for (const acks of ["1", "all"]) {
      note(
        `produce ${size} acks=${acks} throughput`,
        unit,
        (v) =>
          (Number.isNaN(tool) ? "" : `= ${pct(v, tool)} of the perf tool's rate to a sink, `) +
          (unit === "MB/s"
            ? `${pct(v, m.writeMbPerSec)} of the 1 MiB write rate, ` +
              `${pct(v, m.loopbackMbPerSec)} of loopback`
            : `${pct(v * 100 / MIB, m.loopbackMbPerSec)} of loopback`),
      );
    }
  }
  for (const size of ["1 KiB", "100 B"]) {
    note(`consume ${size} records`, "MB/s", (v) => `= ${pct(v, m.loopbackMbPerSec)} of loopback`);
  }
  note(
    "produce 1 KiB acks=all, flush every message throughput",
    "records/s",
    (v) => `= ${(v / m.fsyncWritesPerSec).toFixed(1)}× the machine's 1 KiB fdatasyncs/s`,
    " Above 1× means several records per fsync: a broker flushes once per appended batch, " +
      "and the producer sends batches of up to 16 KiB.",
  );
  return notes;
}

/** The CPU line for each broker that ran. */
export function cpuNotes(out: KafkaOutcome): string[] {
  return Object.entries(out.cpu).map(([name, c]) =>
    `CPU from ${name}'s warm-up to its RSS reading: the broker used ${c.server.toFixed(2)} ` +
    `cores on average, the bench process ${c.generator.toFixed(2)}, everything else (Apache's ` +
    `load tools and other processes) ${c.others.toFixed(2)} (of ${navigator.hardwareConcurrency}).`
  );
}

/** The Kafka section of BENCHMARKS.md. */
export function kafkaSection(opts: {
  machine: string;
  command: string;
  plan: KafkaPlan;
  out: KafkaOutcome;
  notes: string[];
}): string {
  const p = opts.plan;
  const n = (v: number) => v.toLocaleString("en-US");
  const limits = opts.out.limits === null
    ? "The machine's limits were not measured (see the notes)."
    : limitsTable(opts.out.limits, opts.out.ceiling);
  return `## Kafka: herd vs Apache Kafka 2.8.2

**Machine:** ${opts.machine}

**Command:** \`${opts.command}\`

One ZooKeeper (herd's zk-server) serves both brokers in turn, each in a chroot of its own; each
broker runs from the same server.properties in a fresh temp dir: \`broker.id=0\`, a
\`PLAINTEXT://127.0.0.1:<free port>\` listener, \`log.dirs\` in the temp dir,
\`offsets.topic.replication.factor=1\`, \`transaction.state.log.replication.factor=1\`,
\`transaction.state.log.min.isr=1\`, \`group.initial.rebalance.delay.ms=0\`, everything else
default (no flush, so records reach the page cache and the OS writes them back). herd is
\`bin/kafka-server-start.sh server.properties\`; Apache is its kafka-server-start.sh
(conformance/apache/bin) with the heap and JVM options Apache's scripts default to
(\`-Xmx1G -Xms1G\`, G1). The load is Apache 2.8.2's own tools with the JVM options Apache's scripts
give them: topics created with
\`kafka-topics.sh --bootstrap-server … --partitions 1 --replication-factor 1\` (one partition
each, so one partition carries each figure),
\`kafka-producer-perf-test.sh --throughput -1\` with default producer settings but \`acks\`
(${n(p.records1k)} records of 1 KiB, ${n(p.records100)} of 100 B per figure, after
${n(p.warmRecords)} unrecorded 1 KiB records), \`kafka-consumer-perf-test.sh\` reading each topic's
two produce runs back in a new group (its fetch.MB.sec and fetch.nMsg.sec, counted from the first
record; joining the group is the separate rebalance.time.ms row), and
\`kafka-run-class.sh kafka.tools.EndToEndLatency\` (${n(p.e2eMessages)} records of 1 KiB, acks=all,
one at a time; the tool truncates each latency to whole milliseconds, so only its average has
decimals). Produce latency is the perf tool's, from send() to the acknowledgement: with no
throttle it is mostly time queued in the producer's buffer. The restart figure: ${
    n(p.restartRecords)
  } records of
1 KiB produced into a fresh topic, SIGTERM and wait for the exit (the clean stop row), then the
time from spawning the start script to the first Metadata answer that lists the broker and a leader
for every bench topic (the same rule for both brokers); afterwards GetOffsetShell must find every
record of that topic still there, or the figure is n/a. The flush figure restarts the broker with
\`log.flush.interval.messages=1\` and produces ${n(p.fsyncRecords)} records of 1 KiB with acks=all.
RSS is every process the start script left running (herd: \`deno task\` and the broker; Apache: the
JVM), read after the end-to-end latency run; the broker CPU time is what the broker process used
from the warm-up to that reading, the same work for both. On 2 cores the load tools' JVMs take most
of the CPU while they run (the CPU lines in the notes), so the throughput figures are bounded by the
tools as much as by the broker: the CPU time row is the brokers' own cost, and the limits table
has the producer perf tool's own ceiling: the same runs (after the same warm-up) against a sink in
the bench's process that parses and validates every batch as herd's broker does and keeps nothing.
${
    p.rounds > 1
      ? `Each figure is the best of ${p.rounds} runs (brokers alternating);`
      : "Each figure is one run;"
  }
"n/a" means the broker could not serve it, and the notes say why. MB is 1024 × 1024 bytes, as the
tools count it.

${limits}

${markdownTable(opts.out.results, "Apache 2.8.2")}

${opts.notes.map((x) => `- ${x}`).join("\n")}
`;
}
