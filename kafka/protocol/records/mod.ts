/**
 * Kafka's record formats: record batch v2 (CRC-32C, in-place offset assignment, control
 * markers), magic 0/1 message sets, and the four codecs, with the checks Apache 2.8.2 makes on
 * produce. Bytes stay bytes: batches are read through views and patched in place where Kafka
 * does; records are decoded only when asked for.
 *
 * @example
 * ```ts
 * import { buildRecordBatch, Compression, RecordBatch, validateAndAssignOffsets } from "./mod.ts";
 * const batch = buildRecordBatch({
 *   compression: Compression.LZ4,
 *   records: [{ timestamp: Date.now(), key: null, value: new TextEncoder().encode("hello") }],
 * });
 * const v = validateAndAssignOffsets(batch, {
 *   nextOffset: 42, now: Date.now(), timestampType: "CreateTime", partitionLeaderEpoch: 0,
 * });
 * console.log(new RecordBatch(v.records).records()[0].offset); // 42
 * ```
 *
 * @module
 */

export * from "./attributes.ts";
export * from "./batch_builder.ts";
export * from "./batch_header.ts";
export * from "./batch_patch.ts";
export * from "./compression.ts";
export * from "./control.ts";
export * from "./crc32c.ts";
export * from "./down_convert.ts";
export * from "./entries.ts";
export * from "./errors.ts";
export * from "./legacy.ts";
export * from "./lz4.ts";
export * from "./record.ts";
export * from "./record_batch.ts";
export * from "./snappy.ts";
export * from "./validate.ts";
export * from "./xxhash32.ts";
