/**
 * Test helper: one Apache Kafka 2.8.2 broker (id 1, loopback) on herd's own ZooKeeper, both
 * started as processes the way an operator starts them (`tools/zk-server/main.ts
 * start-foreground`, `conformance/apache/bin/kafka-server-start.sh`), plus Apache's tools and
 * kafka-python for producing and reading records. The broker stops with SIGTERM, which is what
 * `kafka-server-stop.sh` sends: a controlled, clean shutdown that trims indexes and writes
 * `.kafka_cleanshutdown`.
 *
 * DECISIONS.md: when java, the Kafka jars or kafka-python are missing the tests are skipped with
 * the reason printed, except under CI=true where they fail.
 *
 * @module
 */

const HERE = new URL(".", import.meta.url).pathname;
const ZK_MAIN = `${HERE}../../tools/zk-server/main.ts`;
/** Apache-style launchers from `conformance/apache/bin` (fetch.sh installs the jars). */
export const KAFKA_BIN = `${HERE}../../conformance/apache/bin`;
const CACHE = Deno.env.get("HERD_CACHE") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/herd`;
const KAFKA_JAR = `${CACHE}/kafka-2.8.2/libs/kafka_2.12-2.8.2.jar`;
const PYTHON = "/usr/bin/python3";

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function succeeds(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, cwd: "/", stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

/** Why Apache Kafka cannot be run here, or undefined when it can. */
export function apacheMissing(): string | undefined {
  if (!succeeds("java", ["-version"])) return "java is not on PATH";
  if (!isFile(KAFKA_JAR)) return `${KAFKA_JAR} is missing (run conformance/apache/fetch.sh)`;
  // From /: in the repo root herd's own kafka/ folder would shadow the package.
  if (!succeeds(PYTHON, ["-c", "from kafka import KafkaProducer"])) {
    return `${PYTHON} cannot import kafka-python (apt-get install python3-kafka)`;
  }
  return undefined;
}

/**
 * `ignore` for a Deno.test that needs Apache Kafka: true (with the reason printed) when it is
 * missing, false under CI=true, where {@linkcode requireApache} then fails the test.
 */
export function apacheIgnored(label: string): boolean {
  const why = apacheMissing();
  if (why === undefined || Deno.env.get("CI") === "true") return false;
  console.log(`skip ${label}: ${why}`);
  return true;
}

/** Fails when Apache Kafka is missing (reached only under CI=true, see apacheIgnored). */
export function requireApache(): void {
  const why = apacheMissing();
  if (why !== undefined) throw new Error(`cannot run against Apache Kafka 2.8.2: ${why}`);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Poll `probe` every `everyMs` until it returns true; throw naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 120_000,
  everyMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** What a finished process printed. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command to completion (SIGKILLed after `timeoutMs`); a non-zero exit throws. */
export async function runOk(
  cmd: string,
  args: string[],
  opts: { stdin?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<Ran> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: opts.cwd,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, opts.timeoutMs ?? 120_000);
  try {
    if (opts.stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(opts.stdin));
      await w.close();
    }
    const out = await child.output();
    const dec = new TextDecoder();
    const ran = { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
    if (ran.code !== 0) {
      throw new Error(
        `${cmd} ${args.join(" ")} exited ${ran.code}\n${ran.stdout.slice(-3000)}\n${
          ran.stderr.slice(-3000)
        }`,
      );
    }
    return ran;
  } finally {
    clearTimeout(timer);
  }
}

/** Run an Apache tool from conformance/apache/bin (`kafka-topics.sh`, `kafka-run-class.sh` …). */
export function kafkaTool(script: string, args: string[]): Promise<Ran> {
  return runOk(`${KAFKA_BIN}/${script}`, args);
}

/** Run a kafka-python script (from a temp dir, so herd's kafka/ folder does not shadow it). */
export async function python(script: string, args: string[]): Promise<Ran> {
  const dir = await Deno.makeTempDir({ prefix: "herd-klog-py-" });
  try {
    await Deno.writeTextFile(`${dir}/script.py`, script);
    return await runOk(PYTHON, [`${dir}/script.py`, ...args], { cwd: dir });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** A started process and the file its output goes to. */
class Proc {
  #child: Deno.ChildProcess;
  #status: Promise<Deno.CommandStatus>;
  exited = false;

  constructor(cmd: string, args: string[], readonly outPath: string, env?: Record<string, string>) {
    // bash only redirects and execs, so the pid we hold is the server's own.
    this.#child = new Deno.Command("bash", {
      args: ["-c", 'out="$1"; shift; exec "$@" >>"$out" 2>&1', "bash", outPath, cmd, ...args],
      env,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#status = this.#child.status.then((s) => {
      this.exited = true;
      return s;
    });
  }

  output(): string {
    try {
      return Deno.readTextFileSync(this.outPath);
    } catch {
      return "";
    }
  }

  /** Send `signal` and wait up to `timeoutMs` for the exit; SIGKILL after that. */
  async stop(signal: Deno.Signal, timeoutMs: number): Promise<Deno.CommandStatus> {
    if (!this.exited) {
      try {
        this.#child.kill(signal);
      } catch { /* already gone */ }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((r) => timer = setTimeout(r, timeoutMs));
    await Promise.race([this.#status, late]);
    clearTimeout(timer);
    if (!this.exited) {
      try {
        this.#child.kill("SIGKILL");
      } catch { /* gone */ }
    }
    return await this.#status;
  }
}

/** herd's ZooKeeper, standalone, in its own temp dir. */
export class ZooKeeper {
  private constructor(readonly dir: string, readonly port: number, readonly proc: Proc) {}

  /** `127.0.0.1:port` */
  get connect(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<ZooKeeper> {
    const dir = await Deno.makeTempDir({ prefix: "herd-klog-zk-" });
    const port = freePort();
    await Deno.writeTextFile(
      `${dir}/zoo.cfg`,
      `tickTime=2000\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
        "admin.enableServer=false\n4lw.commands.whitelist=ruok\n",
    );
    const proc = new Proc(Deno.execPath(), [
      "run",
      "-A",
      ZK_MAIN,
      "start-foreground",
      `${dir}/zoo.cfg`,
    ], `${dir}/zk.out`);
    const zk = new ZooKeeper(dir, port, proc);
    try {
      await waitFor("herd's ZooKeeper to answer ruok", async () => {
        if (proc.exited) throw new Error(`ZooKeeper exited:\n${proc.output().slice(-3000)}`);
        return (await ruok(port)) === "imok";
      }, 60_000);
    } catch (e) {
      await zk.stop();
      throw e;
    }
    return zk;
  }

  async stop(): Promise<void> {
    await this.proc.stop("SIGTERM", 10_000);
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

async function ruok(port: number): Promise<string> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(new TextEncoder().encode("ruok"));
      const buf = new Uint8Array(16);
      const n = await conn.read(buf);
      return n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
    } finally {
      conn.close();
    }
  } catch {
    return "";
  }
}

/**
 * One Apache Kafka 2.8.2 broker, id 1, on `127.0.0.1:port`, with its log.dirs at `logDir`.
 * `extra` adds server.properties lines (`log.index.interval.bytes=…`).
 */
export class ApacheBroker {
  #proc: Proc | undefined;
  readonly port = freePort();

  constructor(
    readonly dir: string,
    readonly logDir: string,
    readonly zookeeper: string,
    readonly extra: string[] = [],
  ) {}

  /** `127.0.0.1:port` */
  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Everything the broker printed in this and earlier runs (log4j console output). */
  output(): string {
    return this.#proc?.output() ?? "";
  }

  /** Start and wait for `[KafkaServer id=1] started`. */
  async start(): Promise<void> {
    const props = `${this.dir}/server.properties`;
    await Deno.writeTextFile(
      props,
      [
        "broker.id=1",
        `listeners=PLAINTEXT://127.0.0.1:${this.port}`,
        `log.dirs=${this.logDir}`,
        `zookeeper.connect=${this.zookeeper}`,
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "num.network.threads=1",
        "num.io.threads=2",
        ...this.extra,
        "",
      ].join("\n"),
    );
    const out = `${this.dir}/broker.out`;
    const before = this.#proc?.output().length ?? 0;
    const proc = new Proc(`${KAFKA_BIN}/kafka-server-start.sh`, [props], out, {
      LOG_DIR: `${this.dir}/logs`,
    });
    this.#proc = proc;
    try {
      await waitFor("Apache Kafka 2.8.2 to start", () => {
        const text = proc.output().slice(before);
        if (text.includes("[KafkaServer id=1] started")) return true;
        if (proc.exited) throw new Error(`the broker exited:\n${text.slice(-4000)}`);
        return false;
      });
    } catch (e) {
      await proc.stop("SIGKILL", 10_000);
      throw e;
    }
  }

  /** SIGTERM (kafka-server-stop.sh) and wait for a clean exit. */
  async stop(): Promise<void> {
    if (!this.#proc || this.#proc.exited) return;
    const from = this.output().length;
    const status = await this.#proc.stop("SIGTERM", 60_000);
    const text = this.output().slice(from);
    const exited = status.success || status.signal === "SIGTERM" || status.code === 143;
    if (!exited || !text.includes("[KafkaServer id=1] shut down completed")) {
      throw new Error(`the broker did not exit cleanly (${JSON.stringify(status)}):\n${text}`);
    }
  }

  /** SIGKILL, for cleanup after a failure. */
  async kill(): Promise<void> {
    if (this.#proc && !this.#proc.exited) await this.#proc.stop("SIGKILL", 10_000);
  }
}

/**
 * kafka-python 2.0.2: `produce.py BOOTSTRAP TOPIC PARTITION FIRST END VALUE_BYTES TS0` sends
 * records FIRST…END-1 one at a time, waiting for each acknowledgement, so each is a batch of its own (as a
 * Java producer sends one batch per partition per request). Keys `k<i>`, values of VALUE_BYTES;
 * timestamps TS0 + 10·i, except that every 7th goes back 25 ms: the time index keeps only rising
 * maxima, which is what this exercises.
 */
export const PRODUCE_PY = `
import sys
from kafka import KafkaProducer
bootstrap, topic, partition, first, end, size, ts0 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
p = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=0, acks=1, api_version=(2, 1))
for i in range(first, end):
    ts = ts0 + 10 * i - (25 if i % 7 == 6 else 0)
    value = (("%d:" % i) * size)[:size].encode()
    p.send(topic, key=b"k%d" % i, value=value, partition=partition, timestamp_ms=ts).get(timeout=30)
p.close()
`;

/**
 * kafka-python 2.0.2: `read.py BOOTSTRAP TOPIC PARTITION [FROM_OFFSET…] -- [TIMESTAMP…]` prints
 * one JSON line per FROM_OFFSET (the records fetched from there to the end: offset, timestamp,
 * key, value length) and one per TIMESTAMP (ListOffsets by time: the offset and timestamp found).
 * A fetch from an offset goes through the broker's offset index, a lookup by time through its
 * time index: both answer the same only if the indexes are right.
 */
export const READ_PY = `
import sys, json
from kafka import KafkaConsumer, TopicPartition
bootstrap, topic, partition = sys.argv[1], sys.argv[2], int(sys.argv[3])
rest = sys.argv[4:]
sep = rest.index("--")
starts, stamps = [int(x) for x in rest[:sep]], [int(x) for x in rest[sep + 1:]]
tp = TopicPartition(topic, partition)
c = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, api_version=(2, 1), fetch_max_bytes=4096, max_partition_fetch_bytes=4096)
c.assign([tp])
end = c.end_offsets([tp])[tp]
for start in starts:
    c.seek(tp, start)
    got = []
    while c.position(tp) < end:
        for recs in c.poll(timeout_ms=2000).values():
            got.extend([r.offset, r.timestamp, r.key.decode(), len(r.value)] for r in recs)
    print(json.dumps({"from": start, "records": got}))
for ts in stamps:
    found = c.offsets_for_times({tp: ts})[tp]
    print(json.dumps({"time": ts, "found": None if found is None else [found.offset, found.timestamp]}))
c.close()
`;

/** The topic the scenario writes, and where. */
export const SCENARIO = {
  topic: "herd-log",
  /** Small segments so partition 0 rolls: rolled and active segments both get checked. */
  segmentBytes: 16384,
  /** Fixed CreateTime timestamps (with log.retention.ms=-1 nothing expires). */
  ts0: 1_700_000_000_000,
  /** Records per partition: partition 0 spans segments, partition 1 has too few for an index entry. */
  partitions: [
    { partition: 0, count: 90, valueBytes: 200, readFrom: [0, 17, 40, 63, 89], bumpEpochAt: 50 },
    { partition: 1, count: 5, valueBytes: 50, readFrom: [0, 3], bumpEpochAt: 0 },
  ],
  /** Timestamps looked up by time: before, between, on and after the produced ones. */
  lookups: [
    1_699_999_999_000,
    1_700_000_000_055,
    1_700_000_000_300,
    1_700_000_000_595,
    1_700_000_090_000,
  ],
} as const;

/** A finished scenario: Apache's stopped broker, its log dir, and what it answered. */
export interface ScenarioRun {
  zk: ZooKeeper;
  broker: ApacheBroker;
  /** The broker's log.dirs (one dir). */
  logDir: string;
  /** READ_PY's output per partition, recorded while the broker ran. */
  reads: Map<number, string>;
  /** Stop everything and remove the temp dirs. */
  cleanup(): Promise<void>;
}

/**
 * Make the controller send a second LeaderAndIsr for the topic's partitions: a reassignment to
 * the replicas they already have bumps the leader epoch (the controller's step B3). In 2.8.2 that
 * is what writes `partition.metadata`: on the first LeaderAndIsr a new partition has no log yet
 * when its topic id is checked (Partition.checkOrSetTopicId), so a single broker that never sees
 * a second one never writes the file. Waits until both partitions have it.
 */
async function bumpLeaderEpoch(broker: ApacheBroker, logDir: string): Promise<void> {
  const plan = `${broker.dir}/reassign.json`;
  const partitions = SCENARIO.partitions.map((p) => ({
    topic: SCENARIO.topic,
    partition: p.partition,
    replicas: [1],
  }));
  await Deno.writeTextFile(plan, JSON.stringify({ version: 1, partitions }));
  await kafkaTool("kafka-run-class.sh", [
    "kafka.admin.ReassignPartitionsCommand",
    "--bootstrap-server",
    broker.bootstrap,
    "--reassignment-json-file",
    plan,
    "--execute",
  ]);
  await waitFor("partition.metadata in every partition", () =>
    SCENARIO.partitions.every((p) => {
      try {
        return Deno.statSync(`${logDir}/${SCENARIO.topic}-${p.partition}/partition.metadata`)
          .isFile;
      } catch {
        return false;
      }
    }), 60_000);
}

/** Read a scenario partition back from `broker` (READ_PY's output). */
export async function readBack(broker: ApacheBroker, partition: number): Promise<string> {
  const p = SCENARIO.partitions.find((x) => x.partition === partition)!;
  const r = await python(READ_PY, [
    broker.bootstrap,
    SCENARIO.topic,
    String(partition),
    ...p.readFrom.map(String),
    "--",
    ...SCENARIO.lookups.map(String),
  ]);
  return r.stdout;
}

/**
 * Start herd's ZooKeeper and Apache's broker, create the scenario topic, produce its records one
 * batch at a time, read them back, and stop the broker cleanly (ZooKeeper keeps running, so the
 * broker can be started again on the same log dir).
 */
export async function runScenario(): Promise<ScenarioRun> {
  const zk = await ZooKeeper.start();
  const dir = await Deno.makeTempDir({ prefix: "herd-klog-kafka-" });
  const logDir = `${dir}/data`;
  const broker = new ApacheBroker(dir, logDir, zk.connect, ["log.retention.ms=-1"]);
  const cleanup = async () => {
    await broker.kill();
    await zk.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await broker.start();
    await kafkaTool("kafka-topics.sh", [
      "--bootstrap-server",
      broker.bootstrap,
      "--create",
      "--topic",
      SCENARIO.topic,
      "--partitions",
      String(SCENARIO.partitions.length),
      "--replication-factor",
      "1",
      "--config",
      `segment.bytes=${SCENARIO.segmentBytes}`,
    ]);
    const produce = (p: (typeof SCENARIO.partitions)[number], from: number, to: number) =>
      python(PRODUCE_PY, [
        broker.bootstrap,
        SCENARIO.topic,
        String(p.partition),
        String(from),
        String(to),
        String(p.valueBytes),
        String(SCENARIO.ts0),
      ]);
    const [p0, p1] = SCENARIO.partitions;
    await produce(p0, 0, p0.bumpEpochAt);
    await bumpLeaderEpoch(broker, logDir);
    await produce(p0, p0.bumpEpochAt, p0.count);
    await produce(p1, 0, p1.count);
    const reads = new Map<number, string>();
    for (const p of SCENARIO.partitions) {
      reads.set(p.partition, await readBack(broker, p.partition));
    }
    await broker.stop();
    return { zk, broker, logDir, reads, cleanup };
  } catch (e) {
    const out = broker.output().slice(-4000);
    await cleanup();
    throw new Error(`${(e as Error).message}\n--- broker output\n${out}`, { cause: e });
  }
}
