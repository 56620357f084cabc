/**
 * Kafka 2.8's configuration: per-topic configs (names, types, Kafka's checks and messages); the
 * broker's server.properties comes next.
 *
 * @module
 */
export * from "./topic_config.ts";
