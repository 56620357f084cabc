/**
 * The attribute bits of a record batch (magic 2, int16) and of a legacy message (magic 0/1, int8).
 *
 * Batch v2: bits 0-2 compression codec, bit 3 timestamp type (1 = LogAppendTime), bit 4
 * transactional, bit 5 control, bit 6 delete horizon (KIP-534: baseTimestamp then holds the
 * horizon; Kafka 2.8 never sets it but reads past it). Legacy messages use bits 0-2 and, in
 * magic 1, bit 3 the same way.
 *
 * @module
 */

/** Compression codecs by their attribute value (Kafka's `CompressionType.id`). */
export const Compression = {
  NONE: 0,
  GZIP: 1,
  SNAPPY: 2,
  LZ4: 3,
  ZSTD: 4,
} as const;

/** A codec id, 0-4. */
export type Compression = typeof Compression[keyof typeof Compression];

/** Kafka's names for the codecs (`compression.type` values, DumpLogSegments' `compresscodec`). */
export const COMPRESSION_NAMES: readonly string[] = ["none", "gzip", "snappy", "lz4", "zstd"];

/** Codec bits mask. */
export const COMPRESSION_MASK = 0x07;
/** Timestamp type bit: set = LogAppendTime, clear = CreateTime. */
export const TIMESTAMP_TYPE_MASK = 0x08;
/** Batch is part of a transaction. */
export const TRANSACTIONAL_MASK = 0x10;
/** Batch holds control records (transaction markers). */
export const CONTROL_MASK = 0x20;
/** baseTimestamp is the delete horizon (KIP-534). */
export const DELETE_HORIZON_MASK = 0x40;

/** How a record's timestamp was set. */
export type TimestampType = "CreateTime" | "LogAppendTime";

/** The codec of an attributes value; throws nothing, callers check the range (0-4). */
export function compressionOf(attributes: number): number {
  return attributes & COMPRESSION_MASK;
}

/** The timestamp type encoded in an attributes value. */
export function timestampTypeOf(attributes: number): TimestampType {
  return attributes & TIMESTAMP_TYPE_MASK ? "LogAppendTime" : "CreateTime";
}

/** Parses a codec name as `compression.type` spells it; undefined for anything else. */
export function compressionByName(name: string): Compression | undefined {
  const i = COMPRESSION_NAMES.indexOf(name);
  return i < 0 ? undefined : i as Compression;
}
