/**
 * The two brokers the interop scenarios run against, started the way an operator starts them and
 * from the same server.properties lines: herd's (`tools/kafka-server/main.ts` with the
 * kafka-server-start task's flags) and Apache Kafka 2.8.2's (`conformance/apache/bin`, through
 * kafka/log/_apache.ts), each on herd's ZooKeeper under its own chroot.
 *
 * What each scenario needs installed is checked by {@linkcode gate}: missing tools skip the step
 * with the reason printed, except under CI=true where the step fails (DECISIONS.md).
 *
 * @module
 */
import { ApacheBroker, apacheMissing, freePort, waitFor } from "../log/_apache.ts";
import { taskFlags } from "../../tools/zk-server/_server_process.ts";

export { freePort, waitFor };

const ROOT = new URL("../../", import.meta.url).pathname;
/** herd's broker entry point (what bin/kafka-server-start.sh runs). */
const HERD_MAIN = `${ROOT}tools/kafka-server/main.ts`;

/** Which broker a scenario runs against. */
export type Kind = "herd" | "apache";

/**
 * server.properties lines both brokers get (besides broker.id, listeners, log.dirs and
 * zookeeper.connect): kafka/log/_apache.ts's ApacheBroker writes these same lines.
 */
const COMMON_PROPERTIES = [
  "offsets.topic.replication.factor=1",
  "offsets.topic.num.partitions=1",
  "transaction.state.log.replication.factor=1",
  "transaction.state.log.min.isr=1",
  "group.initial.rebalance.delay.ms=0",
  "num.network.threads=1",
  "num.io.threads=2",
];

/** A broker under test: where it listens, where it keeps its data, and how to stop it. */
export interface Broker {
  readonly kind: Kind;
  /** `127.0.0.1:port` */
  readonly bootstrap: string;
  /** zookeeper.connect, chroot included. */
  readonly zookeeper: string;
  readonly logDir: string;
  /** Start (again) on the same port and log dir; waits for `[KafkaServer id=1] started`. */
  start(): Promise<void>;
  /** A clean stop (SIGTERM), waiting for `shut down completed`. */
  stop(): Promise<void>;
  /** SIGKILL if still running (cleanup after a failure). */
  kill(): Promise<void>;
  /** What the broker printed, for failure messages. */
  output(): string;
}

/** herd's broker as a process, with its output collected. */
class HerdBroker implements Broker {
  readonly kind = "herd" as const;
  readonly port = freePort();
  #child: Deno.ChildProcess | undefined;
  #exited: Promise<Deno.CommandStatus> | undefined;
  #done = false;
  #text = "";

  constructor(
    readonly dir: string,
    readonly logDir: string,
    readonly zookeeper: string,
    readonly extra: string[],
  ) {}

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  output(): string {
    return this.#text;
  }

  async start(): Promise<void> {
    const props = `${this.dir}/server.properties`;
    await Deno.writeTextFile(
      props,
      [
        "broker.id=1",
        `listeners=PLAINTEXT://127.0.0.1:${this.port}`,
        `log.dirs=${this.logDir}`,
        `zookeeper.connect=${this.zookeeper}`,
        ...COMMON_PROPERTIES,
        ...this.extra,
        "",
      ].join("\n"),
    );
    const from = this.#text.length;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...await taskFlags("kafka-server-start"), HERD_MAIN, props],
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    this.#done = false;
    const d = new TextDecoder();
    const drain = async (s: ReadableStream<Uint8Array>) => {
      for await (const c of s) this.#text += d.decode(c, { stream: true });
    };
    const reading = Promise.all([drain(child.stdout), drain(child.stderr)]);
    this.#exited = child.status.then(async (s) => {
      await reading.catch(() => {});
      this.#done = true;
      return s;
    });
    await waitFor(
      "herd's broker to start",
      () => {
        const text = this.#text.slice(from);
        if (text.includes("[KafkaServer id=1] started")) return true;
        if (this.#done) throw new Error(`herd's broker exited:\n${text.slice(-4000)}`);
        return false;
      },
      60_000,
      50,
    );
  }

  async #signal(signal: Deno.Signal, ms: number): Promise<Deno.CommandStatus | undefined> {
    if (!this.#child || this.#done) return undefined;
    try {
      this.#child.kill(signal);
    } catch { /* gone */ }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), ms));
    const s = await Promise.race([this.#exited!, late]);
    clearTimeout(timer);
    if (s === undefined) {
      try {
        this.#child.kill("SIGKILL");
      } catch { /* gone */ }
      await this.#exited;
    }
    return s;
  }

  async stop(): Promise<void> {
    const from = this.#text.length;
    const s = await this.#signal("SIGTERM", 30_000);
    if (s === undefined) return;
    if (!this.#text.slice(from).includes("[KafkaServer id=1] shut down completed")) {
      throw new Error(
        `herd's broker did not stop cleanly (${JSON.stringify(s)}):\n${
          this.#text.slice(from).slice(-3000)
        }`,
      );
    }
  }

  async kill(): Promise<void> {
    await this.#signal("SIGKILL", 10_000);
  }
}

/** Apache 2.8.2 through kafka/log/_apache.ts, behind the same interface. */
class ApacheTarget implements Broker {
  readonly kind = "apache" as const;
  readonly #b: ApacheBroker;

  constructor(dir: string, readonly logDir: string, readonly zookeeper: string, extra: string[]) {
    this.#b = new ApacheBroker(dir, logDir, zookeeper, extra);
  }

  get bootstrap(): string {
    return this.#b.bootstrap;
  }

  output(): string {
    return this.#b.output();
  }

  start(): Promise<void> {
    return this.#b.start();
  }

  stop(): Promise<void> {
    return this.#b.stop();
  }

  kill(): Promise<void> {
    return this.#b.kill();
  }
}

/**
 * A broker of `kind` in `dir` (its server.properties, output), with its log.dirs at `logDir`,
 * on `zookeeper` (chroot included). Not started yet.
 */
export function newBroker(
  kind: Kind,
  dir: string,
  logDir: string,
  zookeeper: string,
  extra: string[] = [],
): Broker {
  return kind === "herd"
    ? new HerdBroker(dir, logDir, zookeeper, extra)
    : new ApacheTarget(dir, logDir, zookeeper, extra);
}

/** Why `kind`'s broker cannot run here, or undefined. */
export function brokerMissing(kind: Kind): string | undefined {
  // Even herd's target needs Java: Apache's tools are the oracle in several scenarios.
  return kind === "apache" ? apacheMissing() : undefined;
}

/** The verdict on one scenario's prerequisites. */
export interface Gate {
  /** For `t.step({ ignore })`: true when skipped (reason printed). */
  ignore: boolean;
  /** First thing in the step: throws under CI=true when something is missing. */
  check(): void;
}

/**
 * Check prerequisites: `reasons` are why something is missing (undefined entries are met).
 * Skipped with the reason printed, except under CI=true, where `check()` throws.
 */
export function gate(label: string, ...reasons: (string | undefined)[]): Gate {
  const why = reasons.filter((r): r is string => r !== undefined);
  if (why.length === 0) return { ignore: false, check() {} };
  const reason = [...new Set(why)].join("; ");
  if (Deno.env.get("CI") === "true") {
    return {
      ignore: false,
      check() {
        throw new Error(`${label}: cannot run: ${reason}`);
      },
    };
  }
  console.log(`skip ${label}: ${reason}`);
  return { ignore: true, check() {} };
}

/** Whether `cmd` is an executable on PATH. */
export function onPath(cmd: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((d) => {
    try {
      return Deno.statSync(`${d}/${cmd}`).isFile;
    } catch {
      return false;
    }
  });
}

/** What a finished process printed. */
export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** Run a command to its end (SIGKILLed after `timeoutMs`); never throws on a non-zero exit. */
export async function run(
  cmd: string,
  args: string[],
  opts: { stdin?: string; cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Ran> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: opts.cwd,
    env: opts.env,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, opts.timeoutMs ?? 180_000);
  try {
    if (opts.stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(opts.stdin));
      await w.close();
    }
    const r = await child.output();
    const d = new TextDecoder();
    return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/** {@linkcode run}, throwing with the output when the exit code is not 0. */
export async function runOk(
  cmd: string,
  args: string[],
  opts: { stdin?: string; cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Ran> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} exited ${r.code}\n--- stdout\n${r.out.slice(-3000)}\n--- stderr\n${
        r.err.slice(-3000)
      }`,
    );
  }
  return r;
}
