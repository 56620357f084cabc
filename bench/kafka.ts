/**
 * The Kafka figure group of `deno task bench`: the machine's own limits first (no broker), then
 * one herd ZooKeeper, and on it each broker in turn (a chroot of its own), loaded with Apache Kafka
 * 2.8.2's tools (kafka_run.ts has the sequence). A figure a broker cannot deliver is recorded as
 * n/a with the reason in the notes; the group never stops on it.
 */
import { type CpuShare, Results } from "./report.ts";
import { apacheKafkaMissing } from "./kafka_targets.ts";
import { BrokerRun } from "./kafka_run.ts";
import { type MachineLimits, type MachinePlan, measureMachine } from "./machine.ts";
import { measureToolCeiling, type ToolCeiling } from "./kafka_ceiling.ts";
import { startTarget, type TargetName } from "./targets.ts";

/** Sizes of one Kafka group run. */
export interface KafkaPlan {
  /** 1 KiB records produced before the timed restart (200 MiB in a full run). */
  restartRecords: number;
  /** 1 KiB records produced after the restart, unrecorded, so the broker is warm. */
  warmRecords: number;
  /** Records per produce figure, by record size. */
  records1k: number;
  records100: number;
  /** 1 KiB records produced with a flush per message. */
  fsyncRecords: number;
  e2eMessages: number;
  startTimeoutMs: number;
  /** Longest any one tool may run before it is killed and its figure is n/a. */
  toolTimeoutMs: number;
  machine: MachinePlan;
  /** Times each broker runs the whole sequence, alternating; each figure keeps its best run. */
  rounds: number;
}

/** The full plan (a few minutes on 2 cores) or the `--quick` one (about a minute). */
export function kafkaPlan(quick: boolean, rounds = 1): KafkaPlan {
  const sizes = quick
    ? {
      restartRecords: 20 * 1024,
      warmRecords: 10_000,
      records1k: 30_000,
      records100: 200_000,
      fsyncRecords: 3_000,
      e2eMessages: 1_000,
      startTimeoutMs: 60_000,
      toolTimeoutMs: 90_000,
      machine: { fsyncMs: 1000, writeMiB: 256, loopbackMiB: 1024 },
    }
    : {
      restartRecords: 200 * 1024,
      warmRecords: 50_000,
      records1k: 300_000,
      records100: 2_000_000,
      fsyncRecords: 100_000,
      e2eMessages: 5_000,
      startTimeoutMs: 120_000,
      toolTimeoutMs: 240_000,
      machine: { fsyncMs: 3000, writeMiB: 1024, loopbackMiB: 4096 },
    };
  return { ...sizes, rounds };
}

/** What the group measured, for the table and the notes. */
export interface KafkaOutcome {
  results: Results;
  notes: string[];
  limits: MachineLimits | null;
  /** The producer perf tool against a sink, best of the rounds (null if it could not run). */
  ceiling: ToolCeiling | null;
  /** Each broker's CPU share while it was loaded (restart to RSS). */
  cpu: Partial<Record<TargetName, CpuShare>>;
}

/**
 * The whole Kafka group: machine limits, then a herd ZooKeeper and each of `names`' brokers in
 * turn on it.
 */
export async function benchKafka(
  names: TargetName[],
  plan: KafkaPlan,
  say: (s: string) => void,
): Promise<KafkaOutcome> {
  const out: KafkaOutcome = {
    results: new Results(),
    notes: [],
    limits: null,
    ceiling: null,
    cpu: {},
  };
  say("\n== Kafka: the machine's own limits (no broker running)");
  try {
    const m = await measureMachine(plan.machine);
    out.limits = m;
    say(
      `   1 KiB writes + fdatasync: ${Math.round(m.fsyncWritesPerSec)}/s ` +
        `(${m.fsyncMbPerSec.toFixed(1)} MB/s); 1 MiB writes: ${Math.round(m.writeMbPerSec)} MB/s ` +
        `(then fdatasync ${m.writeFlushSeconds.toFixed(2)} s); loopback TCP: ` +
        `${Math.round(m.loopbackMbPerSec)} MB/s`,
    );
  } catch (e) {
    out.notes.push(`The machine's limits could not be measured: ${e}`);
  }
  // Apache's tools are the load for both brokers: without them there is no Kafka figure at all.
  const missing = await apacheKafkaMissing();
  if (missing !== null) {
    say(`Apache Kafka 2.8.2 cannot run here: ${missing}; no broker figures.`);
    out.notes.push(`Apache Kafka 2.8.2 is missing (${missing}): its tools are the load.`);
    return out;
  }
  say("\n== Kafka: herd's ZooKeeper for both brokers");
  const zk = await startTarget("herd");
  try {
    for (let round = 1; round <= plan.rounds; round++) {
      await ceiling(plan, out, say);
      for (const name of names) await new BrokerRun(name, zk.port, round, plan, out, say).all();
    }
  } finally {
    await zk.stop();
  }
  return out;
}

/** One run of the load tool against the sink; `out.ceiling` keeps the best of the rounds. */
async function ceiling(plan: KafkaPlan, out: KafkaOutcome, say: (s: string) => void) {
  say("\n== Kafka: the producer perf tool against a sink that keeps nothing (no broker)");
  try {
    const c = await measureToolCeiling(plan);
    say(
      `   100 B: ${Math.round(c.produce100RecordsPerSec).toLocaleString("en-US")} records/s; ` +
        `1 KiB: ${c.produce1kMbPerSec.toFixed(1)} MB/s`,
    );
    const best = out.ceiling;
    out.ceiling = {
      produce100RecordsPerSec: Math.max(
        c.produce100RecordsPerSec,
        best?.produce100RecordsPerSec ?? 0,
      ),
      produce1kMbPerSec: Math.max(c.produce1kMbPerSec, best?.produce1kMbPerSec ?? 0),
    };
  } catch (e) {
    say(`   !! the load tool's ceiling: n/a: ${e instanceof Error ? e.message : e}`);
    out.notes.push(`The load tool's ceiling could not be measured: ${e}`);
  }
}
