/**
 * kafka-server: herd's kafka-server-start.sh. `[-daemon] server.properties [--override k=v]*` as
 * Apache Kafka 2.8.2's script and kafka.Kafka read them (kafka/config/broker_args.ts): in the
 * foreground it logs in Kafka's layout on stdout and stops cleanly on SIGTERM or Ctrl-C; with
 * `-daemon` it starts itself in the background with its output in `$LOG_DIR/kafkaServer.out`
 * (LOG_DIR defaults to `logs/` in herd's checkout, as Apache's to its install's `logs/`).
 *
 * Failures are Apache's lines, without a Java stack: `ERROR Exiting Kafka due to fatal
 * exception (kafka.Kafka$)` and the exception's one line for a missing or bad server.properties,
 * `ERROR Fatal error during KafkaServer startup. Prepare to shutdown` when the broker cannot
 * start (ZooKeeper unreachable, port taken, broker id in use); exit code 1 for each.
 *
 * @module
 */
import "../task_cwd.ts";
import { parseBrokerArgs } from "../../kafka/config/broker_args.ts";
import { parseServerProperties } from "../../kafka/config/server_properties.ts";
import { KAFKA_COMMIT, KAFKA_VERSION, KafkaBroker } from "../../kafka/server/broker.ts";
import { flushLog, kafkaLayout, Logger } from "../../internal/log.ts";
import { ConfigError } from "../../internal/config_error.ts";
import { startDaemon } from "./daemon.ts";
import { watchLauncher } from "../zk-server/launcher_watch.ts";

const log = new Logger("", "INFO");
log.layout = kafkaLayout;

function fatal(where: string, headline: string, detail: string): never {
  log.error(where, headline);
  flushLog();
  console.log(detail);
  Deno.exit(1);
}

async function main(): Promise<void> {
  const args = parseBrokerArgs(Deno.args, Deno.env.toObject());
  if (args.kind === "usage") {
    console.log(args.message);
    Deno.exit(args.exitCode);
  }
  if (args.kind === "version") {
    console.log(`${KAFKA_VERSION} (Commit:${KAFKA_COMMIT})`);
    return;
  }
  if (args.daemon) Deno.exit(await startDaemon(Deno.args.filter((a) => a !== "-daemon")));
  let text: string;
  try {
    text = await Deno.readTextFile(args.file);
  } catch (e) {
    const what = e instanceof Deno.errors.NotFound
      ? `java.nio.file.NoSuchFileException: ${args.file}`
      : `java.io.IOException: ${args.file}: ${e instanceof Error ? e.message : e}`;
    fatal("kafka.Kafka$", "Exiting Kafka due to fatal exception", what);
  }
  let parsed;
  try {
    parsed = parseServerProperties(text, args.file, args.overrides);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    fatal(
      "kafka.Kafka$",
      "Exiting Kafka due to fatal exception",
      `org.apache.kafka.common.config.ConfigException: ${e.message}`,
    );
  }
  for (const w of parsed.warnings) log.warn("kafka.server.KafkaConfig", w);
  // Started by `deno task` (or npx), the broker stops when its launcher goes, as zk-server does.
  const launcher = await watchLauncher((why) => log.warn("kafka.Kafka$", why));
  let broker: KafkaBroker;
  try {
    broker = await KafkaBroker.start({ config: parsed.config, log });
  } catch (e) {
    fatal(
      "kafka.server.KafkaServer",
      "Fatal error during KafkaServer startup. Prepare to shutdown",
      e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    );
  }
  const stop = async () => {
    launcher.stop();
    await broker.shutdown();
    Deno.exit(0);
  };
  launcher.gone.then((why) => {
    log.info("kafka.Kafka$", `Shutting down: ${why}`);
    stop();
  });
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}

globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  fatal("kafka.Kafka$", "Exiting Kafka due to fatal exception", String(e.reason));
});

await main();
