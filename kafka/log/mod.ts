/**
 * herd's Kafka log layer: the files of Kafka's log.dirs layout, byte-compatible with Apache
 * Kafka 2.8.2: segment and directory names, the sparse offset and time indexes and when they get
 * entries, the checkpoint files, meta.properties and partition.metadata, and the recovery rule
 * for damaged segments.
 *
 * @module
 */

export * from "./segment_files.ts";
export * from "./log_errors.ts";
export { DEFAULT_MAX_INDEX_SIZE, OffsetIndex, type OffsetPosition } from "./offset_index.ts";
export { NO_TIMESTAMP, TimeIndex, type TimestampOffset } from "./time_index.ts";
export * from "./segment_indexer.ts";
export * from "./checkpoint_file.ts";
export * from "./offset_checkpoint.ts";
export * from "./leader_epoch_checkpoint.ts";
export * from "./meta_properties.ts";
export * from "./partition_metadata.ts";
export * from "./segment_recovery.ts";
export * from "./producer_batch.ts";
export * from "./producer_state.ts";
export * from "./producer_snapshot.ts";
export * from "./transaction_index.ts";
export * from "./producer_state_store.ts";
