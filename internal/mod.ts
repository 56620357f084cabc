/**
 * What herd's ZooKeeper server and Kafka broker share, once: the TCP listener and the framed
 * connection (4-byte big-endian size prefix, batched reads and writes, reused buffers), buffer
 * free lists, SlotMap/SlotSet, the log sink with Apache's layouts, the Java `.properties` and
 * `-D` flag parsers, configuration errors that name file and line, and a Clock.
 *
 * @module
 */
export * from "./clock.ts";
export * from "./config_error.ts";
export * from "./framed_connection.ts";
export * from "./free_list.ts";
export * from "./java_hash.ts";
export * from "./half_closed.ts";
export * from "./jvm_flags.ts";
export * from "./log.ts";
export * from "./properties.ts";
export * from "./rolling_file.ts";
export * from "./seeded_random.ts";
export * from "./slot_map.ts";
export * from "./slot_set.ts";
export * from "./tcp_listener.ts";
