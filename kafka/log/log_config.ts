/**
 * The settings one partition's log runs with (Kafka 2.8.2's LogConfig), as typed values: built
 * from topic config text, which is `topicDefaults(broker)` (kafka/config/topic_defaults.ts)
 * merged with the topic's own overrides. Keys the map lacks take Kafka's static defaults, so a
 * test can pass only what it cares about.
 *
 * @module
 */

import { Compression } from "../protocol/records/attributes.ts";

/** `compression.type`: "producer" keeps what the producer sent. */
export type TopicCompression = "producer" | "uncompressed" | "gzip" | "snappy" | "lz4" | "zstd";

/** What the log layer needs from a topic's configs. */
export interface LogConfig {
  /** segment.bytes: roll when the active segment would grow past this. */
  segmentBytes: number;
  /** segment.ms: roll when the active segment's first batch is this old. */
  segmentMs: number;
  /** segment.jitter.ms: a random part of segment.ms taken off per segment. */
  segmentJitterMs: number;
  /** segment.index.bytes: the size a new index file is preallocated to. */
  segmentIndexBytes: number;
  /** index.interval.bytes: log bytes between two index entries. */
  indexIntervalBytes: number;
  /** flush.messages: fsync once this many messages are not yet flushed. */
  flushMessages: number;
  /** flush.ms: fsync when the last flush is this old (the LogManager's flusher). */
  flushMs: number;
  /** retention.bytes: delete old segments while the log is larger (-1: no limit). */
  retentionBytes: number;
  /** retention.ms: delete segments whose newest record is older (-1: keep forever). */
  retentionMs: number;
  /** file.delete.delay.ms: how long deleted segments stay as `.deleted` files. */
  fileDeleteDelayMs: number;
  /** max.message.bytes: the largest batch a producer may send. */
  maxMessageBytes: number;
  messageTimestampType: "CreateTime" | "LogAppendTime";
  /** message.timestamp.difference.max.ms */
  messageTimestampDifferenceMaxMs: number;
  compressionType: TopicCompression;
  /** cleanup.policy: "delete", "compact" or both. */
  cleanupPolicy: string[];
  /** preallocate (accepted; herd does not preallocate segment files, see README). */
  preallocate: boolean;
  /** min.insync.replicas (acks=all needs this many in-sync replicas). */
  minInsyncReplicas: number;
  deleteRetentionMs: number;
  minCompactionLagMs: number;
  maxCompactionLagMs: number;
  minCleanableDirtyRatio: number;
  uncleanLeaderElectionEnable: boolean;
  messageDownconversionEnable: boolean;
  messageFormatVersion: string;
}

/** Long.MAX_VALUE as a number: "never" for the flush and lag settings. */
export const LONG_MAX = 9223372036854775807;

/** Kafka 2.8.2's defaults for a broker with no settings (LogConfig / KafkaConfig defaults). */
export const KAFKA_LOG_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ["segment.bytes", "1073741824"],
  ["segment.ms", "604800000"],
  ["segment.jitter.ms", "0"],
  ["segment.index.bytes", "10485760"],
  ["index.interval.bytes", "4096"],
  ["flush.messages", "9223372036854775807"],
  ["flush.ms", "9223372036854775807"],
  ["retention.bytes", "-1"],
  ["retention.ms", "604800000"],
  ["file.delete.delay.ms", "60000"],
  ["max.message.bytes", "1048588"],
  ["message.timestamp.type", "CreateTime"],
  ["message.timestamp.difference.max.ms", "9223372036854775807"],
  ["compression.type", "producer"],
  ["cleanup.policy", "delete"],
  ["preallocate", "false"],
  ["min.insync.replicas", "1"],
  ["delete.retention.ms", "86400000"],
  ["min.compaction.lag.ms", "0"],
  ["max.compaction.lag.ms", "9223372036854775807"],
  ["min.cleanable.dirty.ratio", "0.5"],
  ["unclean.leader.election.enable", "false"],
  ["message.downconversion.enable", "true"],
  ["message.format.version", "2.8-IV1"],
]);

const COMPRESSIONS: readonly TopicCompression[] = [
  "producer",
  "uncompressed",
  "gzip",
  "snappy",
  "lz4",
  "zstd",
];

/** A topic config value the log cannot run with (the topic layer validates before this). */
export class LogConfigError extends Error {
  override name = "LogConfigError";
}

/**
 * Overrides on top of defaults: what a topic runs with.
 *
 * @example
 * ```ts
 * mergeTopicConfig(new Map([["retention.ms", "1000"]]), new Map([["retention.ms", "5"]]));
 * // Map { "retention.ms" => "5" }
 * ```
 */
export function mergeTopicConfig(
  defaults: ReadonlyMap<string, string>,
  overrides: ReadonlyMap<string, string>,
): Map<string, string> {
  const out = new Map(defaults);
  for (const [k, v] of overrides) out.set(k, v);
  return out;
}

/**
 * The LogConfig for topic config text (defaults already merged with overrides). An empty value
 * (how topicDefaults shows an unset broker key) falls back to Kafka's default.
 *
 * @example
 * ```ts
 * logConfigFrom(new Map([["segment.bytes", "16384"]])).segmentBytes; // 16384
 * logConfigFrom(new Map()).retentionMs; // 604800000
 * ```
 */
export function logConfigFrom(topicConfig: ReadonlyMap<string, string>): LogConfig {
  const text = (key: string): string => {
    const v = topicConfig.get(key);
    return v === undefined || v === "" ? KAFKA_LOG_DEFAULTS.get(key)! : v.trim();
  };
  const num = (key: string): number => {
    const v = text(key);
    const n = Number(v);
    if (v === "" || !Number.isFinite(n)) throw new LogConfigError(`${key}=${v} is not a number`);
    return n;
  };
  const bool = (key: string): boolean => {
    const v = text(key).toLowerCase();
    if (v !== "true" && v !== "false") throw new LogConfigError(`${key}=${v} is not a boolean`);
    return v === "true";
  };
  const timestampType = text("message.timestamp.type");
  if (timestampType !== "CreateTime" && timestampType !== "LogAppendTime") {
    throw new LogConfigError(`message.timestamp.type=${timestampType} is not a timestamp type`);
  }
  const compression = text("compression.type").toLowerCase() as TopicCompression;
  if (!COMPRESSIONS.includes(compression)) {
    throw new LogConfigError(`compression.type=${compression} is not a compression type`);
  }
  return {
    segmentBytes: num("segment.bytes"),
    segmentMs: num("segment.ms"),
    segmentJitterMs: num("segment.jitter.ms"),
    segmentIndexBytes: num("segment.index.bytes"),
    indexIntervalBytes: num("index.interval.bytes"),
    flushMessages: num("flush.messages"),
    flushMs: num("flush.ms"),
    retentionBytes: num("retention.bytes"),
    retentionMs: num("retention.ms"),
    fileDeleteDelayMs: num("file.delete.delay.ms"),
    maxMessageBytes: num("max.message.bytes"),
    messageTimestampType: timestampType,
    messageTimestampDifferenceMaxMs: num("message.timestamp.difference.max.ms"),
    compressionType: compression,
    cleanupPolicy: text("cleanup.policy").split(",").map((s) => s.trim().toLowerCase())
      .filter((s) => s !== ""),
    preallocate: bool("preallocate"),
    minInsyncReplicas: num("min.insync.replicas"),
    deleteRetentionMs: num("delete.retention.ms"),
    minCompactionLagMs: num("min.compaction.lag.ms"),
    maxCompactionLagMs: num("max.compaction.lag.ms"),
    minCleanableDirtyRatio: num("min.cleanable.dirty.ratio"),
    uncleanLeaderElectionEnable: bool("unclean.leader.election.enable"),
    messageDownconversionEnable: bool("message.downconversion.enable"),
    messageFormatVersion: text("message.format.version"),
  };
}

/**
 * The segment.ms a segment rolls at: for a compacted topic with max.compaction.lag.ms, the
 * smaller of the two, so no record waits in the active segment (which is never cleaned) past
 * its lag (Kafka 2.8's LogConfig.maxSegmentMs, KIP-354).
 */
export function maxSegmentMs(c: LogConfig): number {
  if (c.cleanupPolicy.includes("compact") && c.maxCompactionLagMs > 0) {
    return Math.min(c.maxCompactionLagMs, c.segmentMs);
  }
  return c.segmentMs;
}

/** The codec id the validator converts to, or "producer" (keep the batch's own). */
export function targetCompression(c: TopicCompression): "producer" | Compression {
  const ids: Record<TopicCompression, "producer" | Compression> = {
    producer: "producer",
    uncompressed: Compression.NONE,
    gzip: Compression.GZIP,
    snappy: Compression.SNAPPY,
    lz4: Compression.LZ4,
    zstd: Compression.ZSTD,
  };
  return ids[c];
}
