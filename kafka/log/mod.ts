/**
 * herd's Kafka log layer: the files of Kafka's log.dirs layout, byte-compatible with Apache
 * Kafka 2.8.2: segment and directory names, the sparse offset and time indexes and when they get
 * entries, the checkpoint files, meta.properties and partition.metadata, and the recovery rule
 * for damaged segments; on top of them the partition log (appends, reads, rolls, retention,
 * DeleteRecords, group-committed fsyncs) and the LogManager over a broker's log.dirs.
 *
 * @example
 * ```ts
 * import { LogManager } from "./mod.ts";
 * import { systemClock } from "../../internal/clock.ts";
 * const logs = await LogManager.open({
 *   logDirs: ["/tmp/kafka-logs"], brokerId: 0, clock: systemClock, defaults: new Map(),
 * });
 * const log = await logs.getOrCreate({ topic: "t", partition: 0 }, logs.configFor());
 * // await log.appendAsLeader(producerBatch, leaderEpoch); await log.read(0, 1 << 20, { minOneMessage: true });
 * await logs.shutdown();
 * ```
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
export { type DirLock, lockLogDir, LogDirLockedError } from "./dir_lock.ts";
export * from "./partition_metadata.ts";
export * from "./segment_recovery.ts";
export * from "./log_config.ts";
export * from "./leader_epoch_cache.ts";
export type { SegmentOptions, TimestampAndOffset } from "./log_segment.ts";
export { LogSegment } from "./log_segment.ts";
export { codecBatchValidator, type LoadOptions, loadSegmentFiles } from "./log_loader.ts";
export * from "./partition_log.ts";
export * from "./log_manager.ts";
export * from "./producer_batch.ts";
export * from "./producer_state.ts";
export * from "./producer_snapshot.ts";
export * from "./transaction_index.ts";
export * from "./producer_state_store.ts";
