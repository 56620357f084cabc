/**
 * `deno task bench`: herd and Apache ZooKeeper 3.8.0 side by side on this machine. Starts each
 * server in turn, drives it over the wire, prints the table and writes it into BENCHMARKS.md.
 */
import { parseArgs } from "node:util";
import { runLoad } from "./load.ts";
import {
  CpuMeter,
  herdBehind,
  machineLine,
  markdownTable,
  replaceSection,
  Results,
  zookeeperSection,
} from "./report.ts";
import { benchKafka, type KafkaOutcome, type KafkaPlan, kafkaPlan } from "./kafka.ts";
import { cpuNotes, kafkaSection, limitNotes } from "./kafka_report.ts";
import { ensureNodes, memoryFill, sessionRate, watchFanout } from "./scenarios.ts";
import { apacheMissing, startTarget, type Target, type TargetName } from "./targets.ts";
import { benchToolkits } from "./toolkits.ts";
import type { BenchOp } from "./wire.ts";

const USAGE = `Usage: deno task bench [options]
  --quick            shorter runs and 100k znodes for the memory figure (does not write
                     BENCHMARKS.md unless --write)
  --only=herd|apache bench one server
  --skip=a,b         leave out figure groups: serial, pipelined, watch, sessions, memory,
                     toolkits (ZooKeeper), kafka (herd's and Apache 2.8.2's brokers)
  --groups=a,b       run only these figure groups (e.g. --groups=kafka); a run that measures
                     a whole section (all ZooKeeper groups, or kafka) rewrites only that
                     section of BENCHMARKS.md
  --rounds=N         run the ZooKeeper figures N times per server, alternating servers, and
                     keep each figure's best round (default 2; 1 with --quick); the Kafka
                     group has its own --kafka-rounds
  --kafka-rounds=N   run each broker's Kafka sequence N times, alternating brokers, and keep
                     each figure's best run (default 3, 1 with --quick: a round is ~1.5 min
                     per broker)
  --workers=N        Deno workers for the pipelined load (default 0: the main thread)
  --write            write BENCHMARKS.md even for --quick/--only/--skip runs
  --help             this text`;

const ZK_GROUPS = ["serial", "pipelined", "watch", "sessions", "memory", "toolkits"] as const;
const GROUPS = [...ZK_GROUPS, "kafka"] as const;
type Group = typeof GROUPS[number];

interface Plan {
  warmupAllMs: number;
  warmupMs: number;
  durationMs: number;
  watchers: number;
  watchRounds: number;
  /** Fan-out rounds run before the recorded ones. */
  watchWarmupRounds: number;
  sessionLoops: number;
  znodes: number;
  /** Quiet time before the second RSS reading of the memory figure. */
  settleMs: number;
  workers: number;
  rounds: number;
  skip: Set<Group>;
}

/** A pipelined figure: label, op, node, sessions, in flight each, group. */
type Figure = [string, BenchOp, string, number, number, Group];

const PIPELINED: Figure[] = [
  ["create 1×1", "create", "/bench/c1", 1, 1, "serial"],
  ["setData 1×1", "setData", "/bench/s", 1, 1, "serial"],
  ["create 16×64", "create", "/bench/c", 16, 64, "pipelined"],
  ["setData 16×64", "setData", "/bench/s", 16, 64, "pipelined"],
  ["getData 16×64", "getData", "/bench/r", 16, 64, "pipelined"],
  ["90% get/10% set 16×64", "mix", "/bench/r", 16, 64, "pipelined"],
];

const ms = (us: number) => Math.round(us / 10) / 100;
const say = (s: string) => console.log(s);

/** Runs reads, writes and creates for a while so both servers' JITs have settled. */
async function warmUp(port: number, plan: Plan): Promise<void> {
  say(`   warm-up ${plan.warmupAllMs / 1000} s of reads, writes and creates`);
  const base = { port, warmupMs: 0, durationMs: plan.warmupAllMs / 2, workers: plan.workers };
  const pipe = { connections: 16, inFlight: 64, tag: "w" };
  const data = { dataSize: 100 };
  await runLoad({ ...base, ...pipe, workload: { op: "mix", path: "/bench/r", ...data } });
  await runLoad({ ...base, ...pipe, workload: { op: "create", path: "/bench/warm", ...data } });
}

/** One pipelined figure: throughput and latency p50/p99, with errors and reordering noted. */
async function pipelined(
  name: TargetName,
  port: number,
  [label, op, path, connections, inFlight]: Figure,
  plan: Plan,
  results: Results,
  notes: string[],
): Promise<void> {
  const r = await runLoad({
    port,
    workload: { op, path, dataSize: 100 },
    connections,
    inFlight,
    warmupMs: plan.warmupMs,
    durationMs: plan.durationMs,
    tag: "r",
    workers: plan.workers,
  });
  const rate = r.ops / r.seconds;
  const [p50, p99] = [ms(r.hist.percentile(50)), ms(r.hist.percentile(99))];
  results.add(name, `${label} throughput`, "ops/s", true, rate);
  results.add(name, `${label} latency p50`, "ms", false, p50);
  results.add(name, `${label} latency p99`, "ms", false, p99);
  say(`   ${label}: ${Math.round(rate)} ops/s, p50 ${p50} ms, p99 ${p99} ms`);
  if (r.errors > 0) {
    say(`   !! ${r.errors} replies carried an error`);
    notes.push(`${name}: ${r.errors} error replies in "${label}".`);
  }
  if (r.reordered > 0) {
    say(`   !! ${r.reordered} replies came back out of request order`);
    notes.push(
      `${name} answered ${r.reordered.toLocaleString("en-US")} requests out of order ` +
        `in "${label}" (a reply after the reply to a later request of the same session; ` +
        `ZooKeeper promises per-session FIFO order).`,
    );
  }
}

/** Throughput, latency, watch and session figures, on one server started for them. */
async function benchFigures(
  name: TargetName,
  round: number,
  plan: Plan,
  results: Results,
  notes: string[],
): Promise<void> {
  const active = PIPELINED.filter((f) => !plan.skip.has(f[5]));
  const others = ["watch", "sessions"].some((g) => !plan.skip.has(g as Group));
  if (active.length === 0 && !others) return;
  say(`\n== ${name}: starting (round ${round} of ${plan.rounds})`);
  const target = await startTarget(name);
  say(`   pid ${target.pid}, port ${target.port}`);
  const meter = await CpuMeter.start(target.pid);
  try {
    const nodes = ["/bench", "/bench/r", "/bench/s", "/bench/c", "/bench/c1", "/bench/warm"];
    await ensureNodes(target.port, nodes, 100);
    await warmUp(target.port, plan);
    for (const figure of active) await pipelined(name, target.port, figure, plan, results, notes);
    if (!plan.skip.has("watch")) {
      const h = await watchFanout(
        target.port,
        "/bench/w",
        plan.watchers,
        plan.watchRounds,
        plan.watchWarmupRounds,
      );
      const label = `watch fan-out to ${plan.watchers} sessions`;
      results.add(name, `${label} p50`, "ms", false, ms(h.percentile(50)));
      results.add(name, `${label} p99`, "ms", false, ms(h.percentile(99)));
      say(`   ${label}: p50 ${ms(h.percentile(50))} ms, p99 ${ms(h.percentile(99))} ms`);
    }
    if (!plan.skip.has("sessions")) {
      const s = await sessionRate(target.port, plan.sessionLoops, plan.warmupMs, plan.durationMs);
      const label = `session create+close (${plan.sessionLoops} parallel)`;
      results.add(name, label, "sessions/s", true, s.perSecond);
      results.add(name, `${label} p99`, "ms", false, ms(s.hist.percentile(99)));
      say(`   ${label}: ${Math.round(s.perSecond)}/s, p99 ${ms(s.hist.percentile(99))} ms`);
    }
    const cpu = await meter.stop();
    const line =
      `${name}'s figures, round ${round}: on average the server used ${cpu.server.toFixed(2)} ` +
      `cores, the load generator ${cpu.generator.toFixed(2)}, other processes on the machine ` +
      `${cpu.others.toFixed(2)} (of ${navigator.hardwareConcurrency}).`;
    say(`   ${line}`);
    notes.push(`CPU during ${line}`);
  } finally {
    await target.stop();
  }
}

/** Resident memory before and after filling a fresh server with `plan.znodes` znodes. */
async function benchMemory(name: TargetName, plan: Plan, results: Results): Promise<void> {
  say(`\n== ${name}: memory with ${plan.znodes.toLocaleString("en-US")} znodes (fresh server)`);
  const target = await startTarget(name);
  try {
    const m = await memoryFill(target, plan.znodes, 10, plan.workers, (n, s) => {
      say(`   ${n.toLocaleString("en-US")} znodes created (${s.toFixed(0)} s)`);
    });
    const k = `${plan.znodes / 1000}k`.replace("000k", "M");
    results.add(name, "RSS idle", "MiB", false, m.rssBeforeKb / 1024);
    results.add(name, `RSS with ${k} znodes, just filled`, "MiB", false, m.rssAfterKb / 1024);
    results.add(name, "memory per znode, just filled", "bytes", false, m.bytesPerZnode);
    say(
      `   RSS ${Math.round(m.rssBeforeKb / 1024)} → ${Math.round(m.rssAfterKb / 1024)} MiB, ` +
        `${Math.round(m.bytesPerZnode)} bytes/znode, srvr node count ${m.nodeCount}`,
    );
    // A server holding a large tree spends most of its life like this, not just after a burst of
    // creates: both servers get the same quiet time before RSS is read again (V8's memory reducer
    // compacts the heap some seconds after the load stops; the JVM keeps what it grew).
    const settled = await rssAfterQuiet(target, plan.settleMs);
    const settledLabel = `idle ${plan.settleMs / 1000} s`;
    results.add(name, `RSS with ${k} znodes, ${settledLabel}`, "MiB", false, settled / 1024);
    const perZnode = ((settled - m.rssBeforeKb) * 1024) / m.znodes;
    results.add(name, `memory per znode, ${settledLabel}`, "bytes", false, perZnode);
    results.add(name, `create rate filling ${k} znodes`, "ops/s", true, m.znodes / m.seconds);
    say(
      `   after ${settledLabel}: RSS ${Math.round(settled / 1024)} MiB, ` +
        `${Math.round(perZnode)} bytes/znode`,
    );
  } finally {
    await target.stop();
  }
}

/** The server's RSS (KiB) after `ms` with no requests, read at the end of that time. */
async function rssAfterQuiet(target: Target, ms: number): Promise<number> {
  await new Promise((r) => setTimeout(r, ms));
  return await target.rssKb();
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean" },
      only: { type: "string" },
      skip: { type: "string" },
      groups: { type: "string" },
      workers: { type: "string" },
      rounds: { type: "string" },
      "kafka-rounds": { type: "string" },
      write: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    say(USAGE);
    return 0;
  }
  const list = (flag: string, v: string | undefined) => {
    const gs = (v ?? "").split(",").filter((s) => s !== "") as Group[];
    for (const g of gs) {
      if (!GROUPS.includes(g)) {
        throw new Error(`${flag}: unknown group '${g}' (${GROUPS.join(", ")})`);
      }
    }
    return gs;
  };
  const skip = new Set(list("--skip", values.skip));
  if (values.groups !== undefined) {
    const only = list("--groups", values.groups);
    for (const g of GROUPS) if (!only.includes(g)) skip.add(g);
  }
  const quick = values.quick ?? false;
  const plan: Plan = {
    warmupAllMs: quick ? 1000 : 5000,
    warmupMs: quick ? 500 : 2000,
    durationMs: quick ? 1500 : 5000,
    watchers: 1000,
    watchRounds: quick ? 5 : 20,
    watchWarmupRounds: quick ? 1 : 5,
    sessionLoops: 32,
    znodes: quick ? 100_000 : 1_000_000,
    settleMs: quick ? 10_000 : 25_000,
    workers: Number(values.workers ?? 0),
    rounds: Math.max(1, Number(values.rounds ?? (quick ? 1 : 2))),
    skip,
  };
  let names: TargetName[] = ["herd", "apache"];
  if (values.only !== undefined) {
    if (values.only !== "herd" && values.only !== "apache") throw new Error("--only=herd|apache");
    names = [values.only];
  }
  const brokers = names;
  const zkRuns = ZK_GROUPS.some((g) => !skip.has(g));
  const machine = await machineLine();
  say(`Machine: ${machine}`);
  const notes: string[] = [];
  if (zkRuns && names.includes("apache")) {
    const missing = await apacheMissing();
    if (missing !== null) {
      say(`Apache ZooKeeper cannot run here: ${missing}; benching herd alone.`);
      notes.push(`Apache ZooKeeper did not run: ${missing}.`);
      names = names.filter((n) => n !== "apache");
    }
  }
  const results = new Results();
  for (let round = 1; round <= plan.rounds; round++) {
    for (const name of names) await benchFigures(name, round, plan, results, notes);
  }
  if (!skip.has("memory")) { for (const name of names) await benchMemory(name, plan, results); }
  if (!skip.has("toolkits")) await benchToolkits(names, plan.rounds, results, notes, say);
  const command = ["deno task bench", ...args].join(" ");
  const zkSection = zkRuns ? zookeeperPart(machine, command, results, notes, plan, names) : null;
  const kPlan = kafkaPlan(quick, Math.max(1, Number(values["kafka-rounds"] ?? (quick ? 1 : 3))));
  const kafka = skip.has("kafka") ? null : await benchKafka(brokers, kPlan, say);
  const kafkaMd = kafka === null ? null : kafkaPart(machine, command, kPlan, kafka, brokers);

  // A run rewrites the sections it measured whole (or, with --write, whatever it measured).
  const full = !quick && values.only === undefined;
  const zkWrite = zkSection !== null &&
    (values.write || full && ZK_GROUPS.every((g) => !skip.has(g)));
  const kafkaWrite = kafkaMd !== null && (values.write || full);
  if (zkWrite || kafkaWrite) {
    const file = new URL("../BENCHMARKS.md", import.meta.url);
    let doc = await Deno.readTextFile(file).catch(() => "");
    if (zkWrite) doc = replaceSection(doc, "zookeeper", zkSection);
    if (kafkaWrite) doc = replaceSection(doc, "kafka", kafkaMd);
    await writeDoc(file, doc);
  }
  return 0;
}

/** Prints the ZooKeeper table and notes; returns BENCHMARKS.md's ZooKeeper section. */
function zookeeperPart(
  machine: string,
  command: string,
  results: Results,
  notes: string[],
  plan: Plan,
  names: TargetName[],
): string {
  const table = markdownTable(results);
  say(`\n${table}\n`);
  const behind = herdBehind(results);
  if (names.length === 2) {
    notes.unshift(
      behind.length === 0
        ? "herd is ahead of Apache on every figure."
        : `herd is behind on: ${behind.join("; ")}.`,
    );
    say(notes[0]);
  }
  notes.push(
    `Each figure is the best of ${plan.rounds} round(s) (servers alternating, ` +
      `${plan.durationMs / 1000} s measured after ${plan.warmupMs / 1000} s warm-up per figure; ` +
      `watch fan-out ${plan.watchRounds} rounds after ${plan.watchWarmupRounds} unrecorded); ` +
      `the memory figures are one fill of a fresh server, its RSS read 3 s after the last create ` +
      `and again after ${
        plan.settleMs / 1000
      } s without requests. The VM is shared: the CPU lines ` +
      "above say how busy it was, and busy rounds cost both servers throughput and tail latency.",
  );
  return zookeeperSection({ machine, command, table, notes });
}

/** Prints the Kafka table and notes; returns BENCHMARKS.md's Kafka section. */
function kafkaPart(
  machine: string,
  command: string,
  plan: KafkaPlan,
  kafka: KafkaOutcome,
  brokers: TargetName[],
): string {
  const notes = [...kafka.notes, ...cpuNotes(kafka)];
  if (kafka.limits !== null) {
    notes.push(...limitNotes(kafka.results, kafka.limits, brokers, kafka.ceiling));
  }
  // records/s rows repeat their MB/s row's ratio: name each figure once.
  const shown = new Results();
  shown.rows.push(...kafka.results.rows.filter((r) => r.unit !== "records/s"));
  const behind = herdBehind(shown);
  if (brokers.length === 2) {
    notes.unshift(
      behind.length === 0
        ? "herd's broker is ahead of Apache's on every figure both served."
        : `herd's broker is behind on: ${behind.join("; ")}.`,
    );
  }
  say(`\n${markdownTable(kafka.results, "Apache 2.8.2")}\n`);
  for (const n of notes) say(`- ${n}`);
  return kafkaSection({ machine, command, plan, out: kafka, notes });
}

/** Writes BENCHMARKS.md and formats it. */
async function writeDoc(file: URL, md: string): Promise<void> {
  await Deno.writeTextFile(file, md);
  // deno fmt wraps the prose and aligns the table the way the rest of the repo's Markdown is.
  const config = new URL("../deno.json", import.meta.url).pathname;
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "-q", "--config", config, file.pathname],
    stderr: "null",
  }).output().catch(() => {});
  say(`Wrote ${file.pathname}`);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
