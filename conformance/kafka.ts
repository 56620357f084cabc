/**
 * Apache Kafka for the Kafka transcripts: a broker (id 1) the suite starts from `KAFKA_HOME` on
 * top of the ZooKeeper under test, or someone else's broker at `--kafka host:port` (then its
 * ZooKeeper must be given with `--zk`). In the herd column the broker is herd's own
 * (bin/kafka-server-start.sh) on herd's ZooKeeper, driven by Apache's tools; in the apache column
 * Apache's broker on Apache's ZooKeeper.
 *
 * @module
 */
import { fourLetterWord, freePort, ServerProcess, waitFor } from "./_process.ts";
import type { Deployment } from "./deploy.ts";

/** Where Kafka comes from for this run. */
export interface KafkaSource {
  /** An Apache Kafka 2.8 install (bin/kafka-server-start.sh …). */
  home?: string;
  /** A running broker's bootstrap address. */
  bootstrap?: string;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * herd's launchers for Apache's published Kafka jars (conformance/apache/fetch.sh): used when
 * KAFKA_HOME holds the jars (`libs/`) but no `bin/`, as `~/.cache/herd/kafka-2.8.2` does.
 */
const LAUNCHERS = new URL("./apache/bin", import.meta.url).pathname;

/** herd's own broker script. */
const HERD_BROKER = new URL("../bin/kafka-server-start.sh", import.meta.url).pathname;

function hasKafkaJars(home: string): boolean {
  try {
    return [...Deno.readDirSync(`${home}/libs`)].some((e) =>
      /^kafka_2\.1[23]-.*\.jar$/.test(e.name)
    );
  } catch {
    return false;
  }
}

/** The directory with kafka-topics.sh and friends, or undefined. */
function kafkaBin(src: KafkaSource): string | undefined {
  if (src.home) {
    if (isFile(`${src.home}/bin/kafka-topics.sh`)) return `${src.home}/bin`;
    return hasKafkaJars(src.home) && isFile(`${LAUNCHERS}/kafka-topics.sh`) ? LAUNCHERS : undefined;
  }
  const which = new Deno.Command("sh", { args: ["-c", "command -v kafka-topics.sh"] }).outputSync();
  const path = new TextDecoder().decode(which.stdout).trim();
  return which.success && path ? path.replace(/\/[^/]*$/, "") : undefined;
}

/** Why the Kafka transcripts cannot run, or undefined. */
export function kafkaMissing(src: KafkaSource, external: boolean): string | undefined {
  if (!src.home && !src.bootstrap) {
    return "needs Apache Kafka (herd has no Kafka broker yet): set KAFKA_HOME, e.g. " +
      "~/.cache/herd/kafka-2.8.2 after conformance/apache/fetch.sh, or pass --kafka host:port";
  }
  if (!kafkaBin(src)) {
    return src.home
      ? `KAFKA_HOME=${src.home} has neither bin/kafka-topics.sh nor Kafka jars in libs/`
      : "--kafka needs Kafka's scripts: set KAFKA_HOME too";
  }
  if (src.bootstrap && !external) return "--kafka needs --zk: the ZooKeeper that broker uses";
  return undefined;
}

/**
 * Add a Kafka broker to a ZooKeeper deployment: the suite's own (from KAFKA_HOME) or the given
 * bootstrap address. Adds `{{kafka}}` and `{{kafkaBin}}`.
 */
export async function withKafka(
  zk: Deployment,
  src: KafkaSource,
  broker: "herd" | "apache" = "apache",
): Promise<Deployment> {
  const bin = kafkaBin(src)!;
  if (src.bootstrap) {
    return { ...zk, vars: { ...zk.vars, kafka: src.bootstrap, kafkaBin: bin } };
  }
  const dir = await Deno.makeTempDir({ prefix: "herd-conformance-kafka-" });
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/server.properties`,
    [
      "broker.id=1",
      `listeners=PLAINTEXT://127.0.0.1:${port}`,
      `log.dirs=${dir}/logs`,
      `zookeeper.connect=${zk.vars.server}`,
      "offsets.topic.replication.factor=1",
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "group.initial.rebalance.delay.ms=0",
      // Sized for a small machine, as zk/interop's Kafka tests do.
      "num.network.threads=1",
      "num.io.threads=2",
      "offsets.topic.num.partitions=3",
      "",
    ].join("\n"),
  );
  // herd's column runs herd's broker (its bin/kafka-server-start.sh), driven by Apache's tools.
  const start = broker === "herd" ? HERD_BROKER : `${bin}/kafka-server-start.sh`;
  const server = new ServerProcess(start, [`${dir}/server.properties`], {
    cwd: dir,
    env: { LOG_DIR: `${dir}/logs`, ...(src.home ? { KAFKA_HOME: src.home } : {}) },
  });
  const close = async () => {
    await server.stop(30_000);
    await zk.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    // Registered once its ephemeral /brokers/ids/1 and the /controller it won show in `dump`.
    await waitFor(
      async () => {
        const dump = await fourLetterWord(zk.vars.host, Number(zk.vars.port), "dump", 2_000);
        if (dump.includes("/brokers/ids/1") && dump.includes("/controller")) return true;
        // Without `dump` in the whitelist, settle for the broker's port being open.
        if (!dump.includes("is not executed")) return false;
        const conn = await Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined);
        conn?.close();
        return conn !== undefined;
      },
      "Kafka broker 1",
      120_000,
      () =>
        server.status && `exited with code ${server.status.code}\n${server.output().slice(-3000)}`,
    );
  } catch (e) {
    await close();
    throw e;
  }
  return {
    ...zk,
    vars: { ...zk.vars, kafka: `127.0.0.1:${port}`, kafkaBin: bin },
    log: () => (zk.log() ?? "") + server.output(),
    close,
  };
}
