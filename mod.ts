/**
 * herd: Apache ZooKeeper (and later Kafka) re-implemented in TypeScript on Deno.
 *
 * ```ts
 * import { ZkServer } from "./mod.ts";
 * const server = new ZkServer({ settings: { clientPort: 2181 } });
 * server.start();
 * ```
 */
export * from "./zk/mod.ts";
