/**
 * The two Kafka brokers under test, each started as its operator would: herd's
 * `bin/kafka-server-start.sh` and Apache Kafka 2.8.2's (conformance/apache/bin, with the heap and
 * JVM options Apache's own scripts default to), from the same server.properties on loopback, and
 * Apache's command-line tools run against either.
 */
import { fetchMetadata, isReady } from "./kafka_wire.ts";
import type { TargetName } from "./targets.ts";

const ROOT = new URL("..", import.meta.url).pathname;
/** Apache's launchers (they read the jars from ~/.cache/herd/kafka-2.8.2, see their README). */
export const APACHE_KAFKA_BIN = `${ROOT}conformance/apache/bin`;
const HERD_START = `${ROOT}bin/kafka-server-start.sh`;

/**
 * JVM options Apache's bin/kafka-run-class.sh uses when KAFKA_JVM_PERFORMANCE_OPTS is unset (the
 * conformance launchers default to a small-machine set; the bench wants Apache's own).
 */
export const APACHE_JVM_OPTS = "-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 " +
  "-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 " +
  "-Djava.awt.headless=true";

/** The broker id both brokers run as. */
export const BROKER_ID = 0;

/** Why Apache's Kafka cannot run here, or null when its jars and Java are present. */
export async function apacheKafkaMissing(): Promise<string | null> {
  const home = Deno.env.get("HOME") ?? "/root";
  const cache = Deno.env.get("HERD_CACHE") ?? `${home}/.cache/herd`;
  const jar = `${cache}/kafka-2.8.2/libs/kafka_2.12-2.8.2.jar`;
  try {
    await Deno.stat(jar);
  } catch {
    return `${jar} not found (run conformance/apache/fetch.sh)`;
  }
  return null;
}

/** The server.properties both brokers run from, plus `extra` lines (e.g. a flush interval). */
export function kafkaServerProperties(
  port: number,
  zookeeper: string,
  logDirs: string,
  extra: Record<string, string> = {},
): string {
  const lines: [string, string][] = [
    ["broker.id", String(BROKER_ID)],
    ["listeners", `PLAINTEXT://127.0.0.1:${port}`],
    ["log.dirs", logDirs],
    ["zookeeper.connect", zookeeper],
    ["offsets.topic.replication.factor", "1"],
    ["transaction.state.log.replication.factor", "1"],
    ["transaction.state.log.min.isr", "1"],
    ["group.initial.rebalance.delay.ms", "0"],
    ...Object.entries(extra),
  ];
  return lines.map(([k, v]) => `${k}=${v}\n`).join("");
}

/** pid → parent pid for every process, from /proc. */
async function parents(): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${e.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.set(Number(e.name), ppid);
    } catch { /* exited meanwhile */ }
  }
  return out;
}

/** `pid` and all its descendants, parents before children. */
export async function processTree(pid: number): Promise<number[]> {
  const pp = await parents();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of pp) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

function isAlive(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped) has no memory left and counts as gone.
    return !/\) Z /.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

async function rssOf(pid: number): Promise<number> {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(await Deno.readTextFile(`/proc/${pid}/status`));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of a launched broker, whole process tree, and of its biggest process. */
export interface BrokerRss {
  /** Every process the start script left running (herd: `deno task` and the broker). */
  treeKb: number;
  /** The largest of them: the broker itself (the JVM for Apache). */
  brokerKb: number;
}

/** One running broker process started by its start script. */
export class BrokerProcess {
  #exited = false;

  private constructor(
    readonly name: TargetName,
    readonly port: number,
    private readonly child: Deno.ChildProcess,
    private readonly status: Promise<Deno.CommandStatus>,
    readonly outputPath: string,
  ) {
    status.then(() => this.#exited = true);
  }

  /** The pid of the start script's process (bash exec'd into it: `deno task` or the JVM). */
  get pid(): number {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  /**
   * Spawns `name`'s start script on `propsPath` (stdout and stderr appended to `outputPath`) and
   * waits until it answers Metadata with itself and a leader for each of `topics`. Returns the
   * broker and the milliseconds from spawn to that answer.
   */
  static async start(
    name: TargetName,
    propsPath: string,
    port: number,
    dir: string,
    topics: string[],
    timeoutMs: number,
  ): Promise<{ broker: BrokerProcess; readyMs: number }> {
    const outputPath = `${dir}/${name}-broker.out`;
    const script = name === "herd" ? HERD_START : `${APACHE_KAFKA_BIN}/kafka-server-start.sh`;
    const env: Record<string, string> = name === "herd" ? {} : {
      // What Apache's bin/kafka-server-start.sh and kafka-run-class.sh default to.
      KAFKA_HEAP_OPTS: "-Xmx1G -Xms1G",
      KAFKA_JVM_PERFORMANCE_OPTS: APACHE_JVM_OPTS,
      LOG_DIR: `${dir}/apache-logs`,
    };
    const t0 = performance.now();
    // bash only redirects and execs: the child's pid is the script's own process.
    const child = new Deno.Command("bash", {
      args: ["-c", 'exec "$0" "$1" >>"$2" 2>&1', script, propsPath, outputPath],
      env,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const broker = new BrokerProcess(name, port, child, child.status, outputPath);
    const deadline = t0 + timeoutMs;
    while (true) {
      if (broker.exited) {
        throw new Error(`${name}'s broker exited during start-up: ${await broker.tail()}`);
      }
      try {
        const view = await fetchMetadata(port, Math.max(1000, deadline - performance.now()));
        if (isReady(view, BROKER_ID, topics)) {
          return { broker, readyMs: performance.now() - t0 };
        }
      } catch { /* not listening or not answering yet */ }
      if (performance.now() > deadline) {
        const tail = await broker.tail();
        await broker.stop(5000);
        throw new Error(
          `${name}'s broker was not ready within ${timeoutMs / 1000} s` +
            (topics.length > 0 ? ` (leader for ${topics.join(", ")})` : "") + `: ${tail}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The last line of the broker's output that looks like an error, or its last line. */
  async tail(): Promise<string> {
    const lines = (await Deno.readTextFile(this.outputPath).catch(() => "")).trim().split("\n");
    return (await this.lastLine(/ERROR|FATAL|Exception|error:/)) ?? (lines.at(-1) || "(no output)");
  }

  /** The last line of the broker's output matching `re` (shortened), or null. */
  async lastLine(re: RegExp): Promise<string | null> {
    const text = await Deno.readTextFile(this.outputPath).catch(() => "");
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const line = lines.findLast((l) => re.test(l));
    if (line === undefined) return null;
    return line.length > 300 ? `${line.slice(0, 300)}…` : line;
  }

  /** The pid doing the work: the deepest process under the script (the JVM, or herd's broker). */
  async mainPid(): Promise<number> {
    const tree = await processTree(this.pid);
    return tree.at(-1) ?? this.pid;
  }

  /** RSS of the broker's processes now. */
  async rss(): Promise<BrokerRss> {
    const each = await Promise.all((await processTree(this.pid)).map(rssOf));
    return { treeKb: each.reduce((a, b) => a + b, 0), brokerKb: Math.max(0, ...each) };
  }

  /**
   * A clean stop: SIGTERM to the script's process (`deno task` passes it on to herd's broker; the
   * JVM runs Kafka's shutdown hook), then waits for it to exit; SIGKILL to the whole tree after
   * `graceMs`. Resolves with the milliseconds it took and whether it was clean.
   */
  async stop(graceMs = 60_000): Promise<{ ms: number; clean: boolean }> {
    const t0 = performance.now();
    if (this.#exited) return { ms: 0, clean: true };
    const tree = await processTree(this.pid);
    try {
      Deno.kill(this.pid, "SIGTERM");
    } catch { /* exited meanwhile */ }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((r) => timer = setTimeout(() => r(false), graceMs));
    const clean = await Promise.race([this.status.then(() => true), late]);
    clearTimeout(timer);
    // herd's script leaves the broker as a child of `deno task`: none may outlive the stop.
    const until = performance.now() + (clean ? graceMs : 0);
    while (tree.slice(1).some(isAlive) && performance.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const killed = !clean || tree.some(isAlive);
    if (killed) {
      for (const pid of tree.reverse()) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
      await this.status;
    }
    return { ms: performance.now() - t0, clean: !killed };
  }
}

/** What a tool run printed and how it ended. */
export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  seconds: number;
}

/** Heap Apache's own scripts give each tool (kafka-run-class.sh's default otherwise). */
const TOOL_HEAP: Record<string, string> = {
  "kafka-producer-perf-test.sh": "-Xmx512M",
  "kafka-consumer-perf-test.sh": "-Xmx512M",
  "kafka-run-class.sh": "-Xmx256M",
};

/**
 * Runs one of Apache's tools from conformance/apache/bin with the JVM settings Apache's scripts
 * use for it, killing it after `timeoutMs`.
 */
export async function runTool(script: string, args: string[], timeoutMs: number): Promise<ToolRun> {
  const env: Record<string, string> = script in TOOL_HEAP
    ? { KAFKA_HEAP_OPTS: TOOL_HEAP[script], KAFKA_JVM_PERFORMANCE_OPTS: APACHE_JVM_OPTS }
    : {}; // kafka-topics.sh: the launcher's quick-start settings, it is not measured
  const t0 = performance.now();
  const child = new Deno.Command(`${APACHE_KAFKA_BIN}/${script}`, {
    args,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL"); // the launcher exec's java: this is the JVM
    } catch { /* exited */ }
  }, timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    timedOut,
    seconds: (performance.now() - t0) / 1000,
  };
}
