/**
 * `deno task start`: the embedded default. herd's ZooKeeper on 127.0.0.1:2181 (data in
 * ./data/zk) and one Kafka broker on 127.0.0.1:9092 (data in ./data/kafka) in one process,
 * where the task was run; it prints both addresses and the next commands to try, and stops both
 * cleanly (broker first) on Ctrl-C, SIGTERM, or its launcher's exit.
 *
 * @module
 */
import "../task_cwd.ts";
import { parseServerProperties } from "../../kafka/config/server_properties.ts";
import { KafkaBroker } from "../../kafka/server/broker.ts";
import { flushLog, kafkaLayout, Logger } from "../../internal/log.ts";
import { runEmbedded } from "../zk-server/foreground.ts";

/** The broker's server.properties: Apache's sample's single-broker settings, on loopback. */
export const EMBEDDED_SERVER_PROPERTIES = [
  "broker.id=0",
  "listeners=PLAINTEXT://127.0.0.1:9092",
  "log.dirs=./data/kafka",
  "zookeeper.connect=127.0.0.1:2181",
  "offsets.topic.replication.factor=1",
  "transaction.state.log.replication.factor=1",
  "transaction.state.log.min.isr=1",
  "group.initial.rebalance.delay.ms=0",
  "",
].join("\n");

/** What `start` prints once both serve. */
export const NEXT_STEPS = `
herd is running:
  ZooKeeper  127.0.0.1:2181   data in ./data/zk
  Kafka      127.0.0.1:9092   data in ./data/kafka

Try, from another terminal in this checkout:
  bin/kafka-topics.sh --bootstrap-server 127.0.0.1:9092 --create --topic quickstart --partitions 3
  echo hello | bin/kafka-console-producer.sh --bootstrap-server 127.0.0.1:9092 --topic quickstart
  bin/kafka-console-consumer.sh --bootstrap-server 127.0.0.1:9092 --topic quickstart --from-beginning
  bin/zkCli.sh -server 127.0.0.1:2181 ls /brokers/topics

Ctrl-C stops both.
`;

Deno.exit(
  await runEmbedded({
    async start() {
      const { config } = parseServerProperties(EMBEDDED_SERVER_PROPERTIES, "embedded");
      const log = new Logger("", "INFO");
      log.layout = kafkaLayout;
      const broker = await KafkaBroker.start({ config, log });
      flushLog();
      console.log(NEXT_STEPS);
      return () => broker.shutdown();
    },
  }),
);
