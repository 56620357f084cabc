/**
 * herd: Apache ZooKeeper 3.8 and Apache Kafka 2.8 re-implemented in TypeScript on Deno.
 *
 * The public API: start and stop a ZooKeeper server (in memory, or durable on a dataDir in
 * Apache's format) and talk to any ZooKeeper server with the client; start and stop a Kafka
 * broker from a server.properties (`KafkaBroker`, `parseServerProperties`) and talk to any Kafka
 * broker with herd's client core (`KafkaClient`).
 *
 * @example
 * ```ts
 * import { startDurableServer, ZkClient } from "./mod.ts";
 * const { server, stop } = await startDurableServer({ clientPort: 2181, dataDir: "/tmp/zk", dataLogDir: "/tmp/zk" });
 * const zk = await ZkClient.connect(`127.0.0.1:${server.port}`);
 * await zk.create("/app", "v1");
 * await zk.close();
 * await stop();
 * ```
 * @module
 */
export * from "./zk/mod.ts";
export {
  BrokerConnection,
  type BrokerOptions,
  KafkaBroker,
  KafkaClient,
  KafkaError,
  parseServerProperties,
} from "./kafka/mod.ts";
