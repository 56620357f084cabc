/**
 * herd's Kafka client core for its tools: a connection per broker with version negotiation
 * (broker_connection.ts), and metadata, leader and coordinator routing (client.ts).
 *
 * @module
 */
export * from "./broker_connection.ts";
export * from "./client.ts";
