/**
 * Three Apache Kafka 2.8.2 brokers on a ZooKeeper target, started with
 * `conformance/apache/bin/kafka-server-start.sh` the way the seed starts them
 * (broker.id 1, 2, 3 on 127.0.0.12/.13/.14, the seed's server.properties keys),
 * plus the Apache tools and zkCli.sh run against them.
 *
 * @module
 */

import { ZKCLI } from "./_needs.ts";
import { KAFKA_BIN, type Ran, run, runOk, waitFor } from "./_kafka_env.ts";

/** The seed's three broker hosts, moved from 192.168.8.12-14 to loopback. */
export const BROKER_HOSTS: Record<number, string> = {
  1: "127.0.0.12",
  2: "127.0.0.13",
  3: "127.0.0.14",
};

/**
 * The seed's server.properties keys (its 配置修改 listing), then the test-only
 * tuning that keeps three brokers quick on two cores: one network thread, two
 * I/O threads, three partitions for the internal topics, no initial rebalance
 * delay, and a 6 s ZooKeeper session so a killed broker's ephemeral znodes go
 * (and a new controller is elected) within seconds instead of 18.
 */
export function serverProperties(
  id: number,
  port: number,
  zookeeper: string,
  logDir: string,
): string {
  const host = BROKER_HOSTS[id];
  const seed: [string, string][] = [
    ["broker.id", String(id)],
    ["listeners", `PLAINTEXT://${host}:${port}`],
    ["num.network.threads", "1"], // seed: 8
    ["num.io.threads", "2"], // seed: 8
    ["socket.send.buffer.bytes", "102400"],
    ["socket.receive.buffer.bytes", "102400"],
    ["socket.request.max.bytes", "104857600"],
    ["log.dirs", logDir],
    ["num.partitions", "3"],
    ["num.recovery.threads.per.data.dir", "1"],
    ["offsets.topic.replication.factor", "3"],
    ["transaction.state.log.replication.factor", "3"],
    ["transaction.state.log.min.isr", "2"],
    ["log.retention.hours", "3"],
    ["log.segment.bytes", "1073741824"],
    ["log.retention.check.interval.ms", "300000"],
    ["default.replication.factor", "2"],
    ["zookeeper.connect", zookeeper],
    ["zookeeper.connection.timeout.ms", "18000"],
    ["group.initial.rebalance.delay.ms", "0"],
  ];
  const tuning: [string, string][] = [
    ["zookeeper.session.timeout.ms", "6000"],
    ["offsets.topic.num.partitions", "3"],
    ["transaction.state.log.num.partitions", "3"],
  ];
  const merged = new Map([...seed, ...tuning]);
  return [...merged].map(([k, v]) => `${k}=${v}\n`).join("");
}

/** A port free on all three broker addresses a moment ago. */
export function freeBrokerPort(): number {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = Deno.listen({ hostname: BROKER_HOSTS[1], port: 0 });
    const port = (first.addr as Deno.NetAddr).port;
    const others: Deno.Listener[] = [];
    try {
      for (const id of [2, 3]) others.push(Deno.listen({ hostname: BROKER_HOSTS[id], port }));
      return port;
    } catch {
      // taken on another address; try again
    } finally {
      first.close();
      for (const l of others) l.close();
    }
  }
  throw new Error("no port free on 127.0.0.12, .13 and .14");
}

/** One broker process. */
export class Broker {
  #child: Deno.ChildProcess | undefined;
  #status: Promise<Deno.CommandStatus> | undefined;
  #exited = false;

  constructor(
    readonly id: number,
    readonly port: number,
    readonly dir: string,
    readonly zookeeper: string,
  ) {}

  get address(): string {
    return `${BROKER_HOSTS[this.id]}:${this.port}`;
  }

  get propertiesPath(): string {
    return `${this.dir}/server-${this.id}.properties`;
  }

  get stdoutPath(): string {
    return `${this.dir}/broker-${this.id}.out`;
  }

  get running(): boolean {
    return this.#child !== undefined && !this.#exited;
  }

  /** Start (or restart) the broker and wait for `[KafkaServer id=N] started`. */
  async start(timeoutMs = 120_000): Promise<void> {
    if (this.running) throw new Error(`broker ${this.id} is already running`);
    await Deno.writeTextFile(
      this.propertiesPath,
      serverProperties(this.id, this.port, this.zookeeper, `${this.dir}/data-${this.id}`),
    );
    await Deno.writeTextFile(this.stdoutPath, "");
    // bash only redirects and execs, so the pid we hold is the broker JVM's.
    const child = new Deno.Command("bash", {
      args: [
        "-c",
        'exec "$0" "$1" >>"$2" 2>&1',
        `${KAFKA_BIN}/kafka-server-start.sh`,
        this.propertiesPath,
        this.stdoutPath,
      ],
      env: { LOG_DIR: `${this.dir}/logs-${this.id}` },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#child = child;
    this.#exited = false;
    this.#status = child.status.then((s) => {
      this.#exited = true;
      return s;
    });
    await waitFor(
      `broker ${this.id} to start`,
      async () => {
        const out = await Deno.readTextFile(this.stdoutPath);
        if (out.includes(`[KafkaServer id=${this.id}] started`)) return true;
        if (this.#exited) {
          throw new Error(`broker ${this.id} exited during startup:\n${out.slice(-4000)}`);
        }
        return undefined;
      },
      timeoutMs,
      250,
    );
  }

  /** kill -9, as the seed's broker failure: no controlled shutdown, the session just dies. */
  async kill9(): Promise<void> {
    if (!this.#child || this.#exited) return;
    try {
      this.#child.kill("SIGKILL");
    } catch { /* gone */ }
    await this.#status;
  }

  /** Wait for the broker JVM to exit on its own (after kafka-server-stop.sh); its exit code. */
  async exited(timeoutMs = 60_000): Promise<number> {
    if (!this.#status) throw new Error(`broker ${this.id} was never started`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`broker ${this.id} still running after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return (await Promise.race([this.#status, timeout])).code;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The broker's stdout so far (its log4j console output). */
  async output(): Promise<string> {
    return await Deno.readTextFile(this.stdoutPath).catch(() => "");
  }
}

/** Three brokers sharing one temp dir and port. */
export class KafkaCluster {
  readonly brokers: Broker[];

  private constructor(readonly dir: string, readonly zookeeper: string, port: number) {
    this.brokers = [1, 2, 3].map((id) => new Broker(id, port, dir, zookeeper));
  }

  /** Start brokers 1, 2 and 3 on `zookeeper` (a connect string), all at once. */
  static async start(zookeeper: string): Promise<KafkaCluster> {
    const dir = await Deno.makeTempDir({ prefix: "herd-kafka-" });
    const cluster = new KafkaCluster(dir, zookeeper, freeBrokerPort());
    try {
      await Promise.all(cluster.brokers.map((b) => b.start()));
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  broker(id: number): Broker {
    return this.brokers[id - 1];
  }

  /** `127.0.0.12:P,127.0.0.13:P,127.0.0.14:P` */
  get bootstrap(): string {
    return this.brokers.map((b) => b.address).join(",");
  }

  /** Kill every broker and remove the temp dir (keeping it when `keep` is set). */
  async stop(keep = false): Promise<void> {
    await Promise.all(this.brokers.map((b) => b.kill9()));
    if (!keep) await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }

  /** The tail of every broker's output, for a failure message. */
  async tails(lines = 40): Promise<string> {
    const parts: string[] = [];
    for (const b of this.brokers) {
      const out = (await b.output()).split("\n").slice(-lines).join("\n");
      parts.push(`--- broker ${b.id} (${b.stdoutPath})\n${out}`);
    }
    return parts.join("\n");
  }
}

/** Run an Apache launcher from conformance/apache/bin (`kafka-topics.sh` …). */
export function kafkaTool(script: string, args: string[], stdin?: string): Promise<Ran> {
  return run(`${KAFKA_BIN}/${script}`, args, { stdin, timeoutMs: 120_000 });
}

/** Like {@linkcode kafkaTool}, failing on a non-zero exit. */
export function kafkaToolOk(script: string, args: string[], stdin?: string): Promise<Ran> {
  return runOk(`${KAFKA_BIN}/${script}`, args, { stdin, timeoutMs: 120_000 });
}

/** Lines zkCli prints that are not answers to commands. */
function isZkCliChatter(line: string): boolean {
  return line === "" || line.startsWith("SLF4J:") || line.startsWith("log4j:") ||
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /.test(line) ||
    line.startsWith("Connecting to ") || line === "Welcome to ZooKeeper!" ||
    line.startsWith("JLine support is") || line === "WATCHER::" ||
    line === "WatchedEvent state:SyncConnected type:None path:null";
}

/**
 * zkCli.sh with `commands` on stdin, one answer line per command (commands
 * whose answer is an empty line must not be used: blank lines are dropped).
 */
export async function zkCli(connectString: string, commands: string[]): Promise<string[]> {
  const r = await runOk(ZKCLI, ["-server", connectString], {
    stdin: commands.join("\n") + "\n",
    timeoutMs: 60_000,
  });
  const lines = r.stdout.split("\n").filter((l) => !isZkCliChatter(l));
  if (lines.length !== commands.length) {
    throw new Error(
      `zkCli: ${commands.length} commands but ${lines.length} answers:\n${lines.join("\n")}\n` +
        `--- stderr\n${r.stderr}`,
    );
  }
  return lines;
}
