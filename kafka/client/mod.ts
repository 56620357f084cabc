/**
 * herd's Kafka client core for its tools: a connection per broker with version negotiation
 * (broker_connection.ts), metadata, leader and coordinator routing (client.ts), a producer with
 * Kafka's default partitioner (producer.ts, partitioner.ts), and a consumer with the consumer
 * group protocol as the Java 2.8 consumer speaks it (consumer.ts, consumer_group.ts,
 * consumer_protocol.ts, range_assignor.ts).
 *
 * @module
 */
export * from "./broker_connection.ts";
export * from "./client.ts";
export * from "./consumer.ts";
export * from "./consumer_group.ts";
export * from "./consumer_protocol.ts";
export * from "./error_names.ts";
export * from "./partitioner.ts";
export * from "./producer.ts";
export * from "./range_assignor.ts";
