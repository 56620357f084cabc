/**
 * The Kafka 2.8 controller's view of ZooKeeper: the znode JSON it reads and writes (the election,
 * topic and broker handling come next, through zk/client).
 *
 * @module
 */
export * from "./znodes.ts";
export * from "./replica_assignment.ts";
export * from "./zk_bootstrap.ts";
