/**
 * One broker through the Kafka group's sequence: start on an empty log → create the topics →
 * produce the restart data → clean stop → restart (timed) → warm-up → produce ×4 → consume ×2 →
 * end-to-end latency → RSS → restart with log.flush.interval.messages=1 → produce with a flush
 * per message → stop. Each step records its rows, or n/a for them with the reason in a note; a
 * step that cannot run because an earlier one failed (no broker, no topics, no produce) records
 * n/a silently, the earlier note saying why.
 */
import { CpuMeter } from "./report.ts";
import type { KafkaOutcome, KafkaPlan } from "./kafka.ts";
import { BROKER_ID, BrokerProcess, kafkaServerProperties } from "./kafka_targets.ts";
import {
  consumePerf,
  createTopic,
  endOffset,
  endToEnd,
  producePerf,
  shorten,
} from "./kafka_tools.ts";
import type { ProducerSummary } from "./kafka_parse.ts";
import { fetchMetadata, isReady } from "./kafka_wire.ts";
import { freePort, type TargetName } from "./targets.ts";

const T_RESTART = "bench-restart";
const T_1K = "bench-1k";
const T_100 = "bench-100";
const T_E2E = "bench-e2e";
const T_FSYNC = "bench-fsync";
const TOPICS = [T_RESTART, T_1K, T_100, T_E2E, T_FSYNC];
/** Records of the probe produce (into the restart topic, before its data). */
const PROBE_RECORDS = 1000;
/** How long a consumer waits for the next record before the tool gives up. */
const CONSUME_IDLE_MS = 20_000;

type RowSpec = [figure: string, unit: string, higherIsBetter: boolean];

function produceRows(label: string): RowSpec[] {
  return [
    [`${label} throughput`, "MB/s", true],
    [`${label} throughput`, "records/s", true],
    [`${label} latency p50`, "ms", false],
    [`${label} latency p99`, "ms", false],
  ];
}

function produceValues(s: ProducerSummary): number[] {
  return [s.mbPerSec, s.recordsPerSec, s.p50Ms, s.p99Ms];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The words all of `labels` start with (up to a space). */
function commonPrefix(labels: string[]): string {
  let head = labels[0];
  for (const l of labels) while (!l.startsWith(head)) head = head.slice(0, -1);
  return head.slice(0, head.lastIndexOf(" ") + 1);
}

function fmt(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : String(Math.round(v * 100) / 100);
}

/**
 * Bytes of record data under `dir`: the segment files (`*.log`) only, since index files are
 * preallocated sparse files whose length says nothing about what is stored.
 */
async function segmentBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) total += await segmentBytes(p);
    else if (e.isFile && e.name.endsWith(".log")) total += (await Deno.stat(p)).size;
  }
  return total;
}

/** Waits until Metadata shows a leader for each of `topics`. */
async function waitForLeaders(port: number, topics: string[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = "no answer";
  while (true) {
    try {
      const view = await fetchMetadata(port, 5000);
      if (isReady(view, BROKER_ID, topics)) return;
      last = `brokers [${view.brokers}], topics ${JSON.stringify(Object.fromEntries(view.topics))}`;
    } catch (e) {
      last = message(e);
    }
    if (Date.now() > deadline) {
      throw new Error(`no leader for ${topics.join(", ")} in ${ms / 1000} s (Metadata: ${last})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One broker's run; `all()` does the whole sequence and always leaves nothing running. */
export class BrokerRun {
  private readonly port = freePort();
  private readonly boot: string;
  private readonly zk: string;
  private dir = "";
  private broker: BrokerProcess | null = null;
  /** Why every further step is n/a (the broker is gone). */
  private blocked: string | null = null;
  private noTopics: string | null = null;
  private noProduce: string | null = null;

  constructor(
    private readonly name: TargetName,
    zkPort: number,
    private readonly round: number,
    private readonly plan: KafkaPlan,
    private readonly out: KafkaOutcome,
    private readonly say: (s: string) => void,
  ) {
    this.boot = `127.0.0.1:${this.port}`;
    // A chroot per broker and round: each run starts with no topics and a new cluster id.
    this.zk = `127.0.0.1:${zkPort}/bench-${name}-${round}`;
  }

  private get props(): string {
    return `${this.dir}/server.properties`;
  }

  private get logDirs(): string {
    return `${this.dir}/kafka-logs`;
  }

  /** The whole sequence. */
  async all(): Promise<void> {
    const of = this.plan.rounds > 1 ? ` (round ${this.round} of ${this.plan.rounds})` : "";
    this.say(`\n== Kafka: ${this.name}'s broker${of}`);
    this.dir = await Deno.makeTempDir({ prefix: `herd-bench-kafka-${this.name}-` });
    try {
      await this.writeConfigs();
      await this.step([["start, empty log", "s", false]], async () => [
        await this.start(this.props, []) / 1000,
      ]);
      if (this.broker === null) this.blocked = "the broker did not start";
      await this.step([["RSS at start, empty log", "MiB", false]], () => this.rssMiB());
      if (this.blocked === null) await this.createTopics();
      this.noProduce = this.noTopics;
      await this.restart();
      // CPU is measured only over a load (the warm-up's failure leaves nothing to measure).
      const loaded = this.broker !== null && this.noProduce === null;
      const meter = loaded ? await CpuMeter.start(await this.broker!.mainPid()) : null;
      const t0 = performance.now();
      await this.load();
      // The same work for both brokers, so its CPU time compares them whatever the tools cost.
      await this.step([["broker CPU time for that load", "s", false]], async () => {
        if (meter === null) throw new Error("the broker was not running");
        const share = await meter.stop();
        this.out.cpu[this.name] = share;
        return [share.server * (performance.now() - t0) / 1000];
      }, this.noProduce);
      await this.flushEveryMessage();
    } finally {
      await this.broker?.stop().catch(() => {});
      this.broker = null;
      await Deno.remove(this.dir, { recursive: true }).catch(() => {});
    }
  }

  private async writeConfigs(): Promise<void> {
    const props = (extra: Record<string, string>) =>
      kafkaServerProperties(this.port, this.zk, this.logDirs, extra);
    await Deno.writeTextFile(this.props, props({}));
    await Deno.writeTextFile(
      `${this.dir}/server-fsync.properties`,
      props({ "log.flush.interval.messages": "1" }),
    );
    // Short AdminClient timeouts: a broker that cannot create topics fails in seconds.
    await Deno.writeTextFile(
      `${this.dir}/admin.properties`,
      "request.timeout.ms=10000\ndefault.api.timeout.ms=20000\n",
    );
  }

  /** Records `rows` from what `fn` returns, or n/a for each if it throws or cannot run. */
  private async step(rows: RowSpec[], fn: () => Promise<number[]>, needs: string | null = null) {
    const add = (i: number, v: number) =>
      this.out.results.add(this.name, rows[i][0], rows[i][1], rows[i][2], v);
    if ((this.blocked ?? needs) !== null) return rows.forEach((_, i) => add(i, NaN));
    try {
      const values = await fn();
      rows.forEach((_, i) => add(i, values[i]));
      const head = rows.length > 1 ? commonPrefix(rows.map(([f]) => f)) : rows[0][0];
      const shown = rows.map(([f, u], i) => `${f.slice(head.length)} ${fmt(values[i])} ${u}`);
      const list = shown.map((x) => x.trim()).join(", ");
      this.say(`   ${head === "" ? list : `${head.trim()}: ${list}`}`);
    } catch (e) {
      rows.forEach((_, i) => add(i, NaN));
      const what = rows.length > 1 ? `${rows[0][0]} (${rows.length} rows)` : rows[0][0];
      this.say(`   !! ${what}: n/a: ${message(e)}`);
      this.out.notes.push(`${this.name}'s broker: n/a for ${what}: ${message(e)}`);
    }
  }

  /** Starts the broker on `file`; the milliseconds until it was ready. */
  private async start(file: string, topics: string[]): Promise<number> {
    const p = this.plan;
    const r = await BrokerProcess.start(
      this.name,
      file,
      this.port,
      this.dir,
      topics,
      p.startTimeoutMs,
    );
    this.broker = r.broker;
    return r.readyMs;
  }

  /** A clean stop; the milliseconds it took. Throws (and blocks what follows) if not clean. */
  private async stop(): Promise<number> {
    const b = this.broker;
    this.broker = null;
    if (b === null) throw new Error("the broker is not running");
    const s = await b.stop();
    if (!s.clean) throw new Error("the broker did not stop within 60 s of SIGTERM (killed)");
    return s.ms;
  }

  /** Runs `fn` with the broker down after it if it failed: later steps then say so. */
  private async keepsBroker<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      if (this.broker === null && this.blocked === null) {
        this.blocked = "the broker did not come back after a restart";
      }
    }
  }

  /**
   * The bench's topics through kafka-topics --bootstrap-server; if the broker cannot create them
   * (CreateTopics not served yet), with --zookeeper, noted. Sets `noTopics` when neither worked.
   */
  private async createTopics(): Promise<void> {
    const t = this.plan.toolTimeoutMs;
    const where = {
      via: "bootstrap" as const,
      bootstrap: this.boot,
      adminConfig: `${this.dir}/admin.properties`,
    };
    let first: string;
    try {
      for (const topic of TOPICS) await createTopic(where, topic, t);
      await waitForLeaders(this.port, TOPICS, 30_000);
      this.say(`   topics ${TOPICS.join(", ")} created (1 partition each)`);
      return;
    } catch (e) {
      const line = await this.broker?.lastLine(/ WARN | ERROR /);
      first = message(e) + (line ? ` (the broker's last warning: ${shorten(line)})` : "");
    }
    this.say(`   !! kafka-topics --bootstrap-server failed: ${first}; trying --zookeeper`);
    try {
      for (const topic of TOPICS) {
        await createTopic({ via: "zookeeper", zookeeper: this.zk }, topic, t).catch((e) => {
          if (!/already exists/.test(message(e))) throw e; // made by the first attempt
        });
      }
      await waitForLeaders(this.port, TOPICS, 15_000);
      this.say("   topics created with --zookeeper");
      this.out.notes.push(
        `${this.name}'s broker: the topics were created with kafka-topics --zookeeper, because ` +
          `--bootstrap-server failed: ${first}.`,
      );
    } catch (e) {
      this.noTopics = `no topics: kafka-topics --bootstrap-server failed: ${first}; ` +
        `--zookeeper: ${message(e)}`;
      this.say(`   !! ${this.noTopics}`);
      this.out.notes.push(
        `${this.name}'s broker: ${this.noTopics}. Every figure that needs a topic is n/a.`,
      );
    }
  }

  /** Produces the restart data (the first produce: it also tells if the broker takes records). */
  private async restart(): Promise<void> {
    const p = this.plan;
    const label = `with ${Math.round(p.restartRecords / 1024)} MiB in the log`;
    const rows: RowSpec[] = [[`clean stop ${label}`, "s", false], [`restart ${label}`, "s", false]];
    await this.step(rows, () =>
      this.keepsBroker(async () => {
        try {
          await this.produceProbe();
        } catch (e) {
          this.noProduce = `the first produce failed (${message(e)})`;
          throw e;
        }
        await producePerf(this.boot, T_RESTART, p.restartRecords, 1024, "1", p.toolTimeoutMs);
        const bytes = await segmentBytes(this.logDirs);
        const stopMs = await this.stop();
        const readyMs = await this.start(this.props, TOPICS);
        this.say(`   ${(bytes / 1024 / 1024).toFixed(1)} MiB in log segments at the stop`);
        // A fast restart only counts if the data came back with the broker.
        const expected = PROBE_RECORDS + p.restartRecords;
        const end = await endOffset(this.boot, T_RESTART, p.toolTimeoutMs);
        if (end !== expected) {
          throw new Error(`after the restart ${T_RESTART} ends at offset ${end}, not ${expected}`);
        }
        return [stopMs / 1000, readyMs / 1000];
      }), this.noTopics);
  }

  /**
   * 1000 records of 1 KiB with short client timeouts and a short tool timeout: a broker that takes
   * no records costs a minute, not a figure's whole timeout, and every produce is then n/a.
   */
  private async produceProbe(): Promise<void> {
    const props = ["request.timeout.ms=10000", "delivery.timeout.ms=20000", "max.block.ms=10000"];
    await producePerf(this.boot, T_RESTART, PROBE_RECORDS, 1024, "1", 60_000, props);
  }

  /** Warm-up, the four produce figures, both consume figures, end-to-end latency, RSS. */
  private async load(): Promise<void> {
    const p = this.plan;
    const t = p.toolTimeoutMs;
    if (this.noProduce === null && this.blocked === null) {
      try {
        await producePerf(this.boot, T_RESTART, p.warmRecords, 1024, "1", t);
        this.say(`   warm-up: ${p.warmRecords.toLocaleString("en-US")} records of 1 KiB`);
      } catch (e) {
        this.noProduce = `the warm-up produce failed (${message(e)})`;
        this.out.notes.push(`${this.name}'s broker: ${this.noProduce}.`);
      }
    }
    const runs = [[1024, "1 KiB", T_1K, p.records1k], [100, "100 B", T_100, p.records100]] as const;
    for (const [size, label, topic, n] of runs) {
      for (const acks of ["1", "all"] as const) {
        await this.step(
          produceRows(`produce ${label} acks=${acks}`),
          async () => produceValues(await producePerf(this.boot, topic, n, size, acks, t)),
          this.noProduce,
        );
      }
    }
    for (const [, label, topic, n] of runs) {
      const f = `consume ${label} records`;
      const rows: RowSpec[] = [[f, "MB/s", true], [f, "records/s", true]];
      if (topic === T_1K) rows.push(["consume: joining the group", "ms", false]);
      await this.step(rows, async () => {
        const s = await consumePerf(this.boot, topic, 2 * n, CONSUME_IDLE_MS, t);
        return [s.fetchMbPerSec, s.fetchMessagesPerSec, s.rebalanceMs];
      }, this.noProduce);
    }
    const e2e = "end-to-end latency 1 KiB acks=all";
    const rows: RowSpec[] = ["avg", "p50", "p99"].map((x) => [`${e2e} ${x}`, "ms", false]);
    await this.step(rows, async () => {
      const s = await endToEnd(this.boot, T_E2E, p.e2eMessages, 1024, "all", t);
      return [s.avgMs, s.p50Ms, s.p99Ms];
    }, this.noTopics);
    await this.step(
      [["RSS after the load", "MiB", false]],
      () => this.rssMiB("after the load"),
      this.noProduce,
    );
  }

  /** The broker's RSS, every process its start script left running; `when` names it in a note. */
  private async rssMiB(when = ""): Promise<number[]> {
    if (this.broker === null) throw new Error("the broker is not running");
    const rss = await this.broker.rss();
    if (rss.treeKb !== rss.brokerKb) {
      const [tree, alone] = [rss.treeKb, rss.brokerKb].map((kb) => (kb / 1024).toFixed(0));
      this.say(`   (of which the broker process ${alone} MiB)`);
      if (when !== "") {
        // One note per broker, the last round's: each round would say the same thing again.
        const head = `${this.name}'s RSS ${when}, `;
        const notes = this.out.notes;
        const at = notes.findIndex((n) => n.startsWith(head));
        if (at >= 0) notes.splice(at, 1);
        notes.push(
          `${head}${tree} MiB, is that of every process its start script ` +
            `left running; the broker process alone had ${alone} MiB.`,
        );
      }
    }
    return [rss.treeKb / 1024];
  }

  /** Restarted with log.flush.interval.messages=1: 1 KiB acks=all. */
  private async flushEveryMessage(): Promise<void> {
    const p = this.plan;
    await this.step(
      produceRows("produce 1 KiB acks=all, flush every message"),
      () =>
        this.keepsBroker(async () => {
          await this.stop();
          await this.start(`${this.dir}/server-fsync.properties`, TOPICS);
          const s = await producePerf(
            this.boot,
            T_FSYNC,
            p.fsyncRecords,
            1024,
            "all",
            p.toolTimeoutMs,
          );
          return produceValues(s);
        }),
      this.noProduce,
    );
  }
}
