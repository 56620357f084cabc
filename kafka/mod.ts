/**
 * herd's Kafka 2.8 broker (ZooKeeper mode, one broker) and its client core.
 *
 * @example
 * ```ts ignore
 * import { KafkaBroker, parseServerProperties } from "./mod.ts";
 * const { config } = parseServerProperties(
 *   "broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:9092\nlog.dirs=/tmp/kafka\nzookeeper.connect=127.0.0.1:2181\n",
 *   "server.properties",
 * );
 * const broker = await KafkaBroker.start({ config });
 * await broker.shutdown();
 * ```
 * @module
 */
export { type BrokerOptions, KafkaBroker } from "./server/broker.ts";
export {
  type BrokerConfig,
  type ParsedServerProperties,
  parseServerProperties,
} from "./config/server_properties.ts";
export { BrokerConnection, KafkaClient, KafkaError } from "./client/mod.ts";
