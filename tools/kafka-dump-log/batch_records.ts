/**
 * What DumpLogSegments reads from one batch of a file, with Kafka 2.8.2's accessors' meanings:
 * the batch-level fields (`FileChannelRecordBatch`: v2 header or legacy wrapper) and the records
 * of a deep iteration (DefaultRecord or the legacy messages, with absolute offsets, the sequence
 * each v2 record derives from its batch, and the CRC checks legacy messages carry).
 *
 * @module
 */
import {
  readBatchHeader,
  type RecordBatchHeader,
} from "../../kafka/protocol/records/batch_header.ts";
import { decompress } from "../../kafka/protocol/records/compression.ts";
import { RecordCursor } from "../../kafka/protocol/records/record.ts";
import { RecordsError, RecordsErrorCode } from "../../kafka/protocol/records/errors.ts";
import { crc32c } from "../../kafka/protocol/records/crc32c.ts";
import {
  isLegacyMessageValid,
  legacyDeepMessages,
  type LegacyMessage,
  readLegacyMessage,
} from "../../kafka/protocol/records/legacy.ts";
import { type FileBatch, V2_HEADER_SIZE } from "./file_batches.ts";
import { JavaException } from "./java_exception.ts";

/** Kafka's CompressionType names by id (`toString` of the enum). */
const COMPRESSION = ["NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"];

/** The batch-level fields printBatchLevel and the record lines show. */
export interface BatchInfo {
  v2: boolean;
  baseOffset: number;
  lastOffset: number;
  /** The record count (v2), null for a legacy entry. */
  count: number | null;
  baseSequence: number;
  lastSequence: number;
  producerId: number;
  producerEpoch: number;
  partitionLeaderEpoch: number;
  isTransactional: boolean;
  isControl: boolean;
  timestampType: string;
  maxTimestamp: number;
  magic: number;
  compressionId: number;
  /** The stored checksum, unsigned. */
  crc: number;
  header: RecordBatchHeader | null;
}

/** One record of a deep iteration. */
export interface RecordInfo {
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** DefaultRecord's sequence (-1 without a base sequence); legacy: unused. */
  sequence: number;
  headerKeys: string[];
  /** Legacy messages: their CRC check; v2 records: always true. */
  isValid: boolean;
  /** Legacy messages: their stored CRC; v2: null. */
  checksum: number | null;
}

/** DefaultRecordBatch.incrementSequence: sequences wrap at Int.MaxValue to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > 0x7fffffff - increment) return increment - (0x7fffffff - sequence) - 1;
  return sequence + increment;
}

/** CompressionType.forId's name, or its IllegalArgumentException. */
export function compressionName(id: number): string {
  const name = COMPRESSION[id];
  if (name === undefined) {
    throw new JavaException(
      "java.lang.IllegalArgumentException",
      `Unknown compression type id: ${id}`,
    );
  }
  return name;
}

function legacyTimestampType(m: LegacyMessage): string {
  return m.timestampType;
}

/** The batch-level view of a file batch. */
export function batchInfo(b: FileBatch): BatchInfo {
  if (b.magic >= 2) {
    const h = readBatchHeader(b.view, 0);
    const baseSequence = h.baseSequence;
    return {
      v2: true,
      baseOffset: b.offset,
      lastOffset: h.baseOffset + h.lastOffsetDelta,
      count: h.recordsCount,
      baseSequence,
      lastSequence: baseSequence === -1 ? -1 : incrementSequence(baseSequence, h.lastOffsetDelta),
      producerId: h.producerId,
      producerEpoch: h.producerEpoch,
      partitionLeaderEpoch: h.partitionLeaderEpoch,
      isTransactional: (h.attributes & 0x10) !== 0,
      isControl: (h.attributes & 0x20) !== 0,
      timestampType: (h.attributes & 0x08) !== 0 ? "LogAppendTime" : "CreateTime",
      maxTimestamp: h.maxTimestamp,
      magic: b.magic,
      compressionId: h.attributes & 0x07,
      crc: h.crc,
      header: h,
    };
  }
  const m = readLegacy(b);
  return {
    v2: false,
    baseOffset: b.offset,
    lastOffset: b.offset,
    count: null,
    baseSequence: -1,
    lastSequence: -1,
    producerId: -1,
    producerEpoch: -1,
    partitionLeaderEpoch: -1,
    isTransactional: false,
    isControl: false,
    timestampType: legacyTimestampType(m),
    maxTimestamp: m.timestamp,
    magic: b.magic,
    compressionId: m.attributes & 0x07,
    crc: b.view.getUint32(12),
    header: null,
  };
}

function readLegacy(b: FileBatch): LegacyMessage {
  try {
    return readLegacyMessage(b.bytes, 0);
  } catch (e) {
    throw asJava(e);
  }
}

/** The batch's `isValid`: v2 size and CRC-32C; legacy: the wrapper's CRC-32. */
export function batchIsValid(b: FileBatch): boolean {
  if (b.magic >= 2) {
    if (b.sizeInBytes < V2_HEADER_SIZE || b.bytes.length < b.sizeInBytes) return false;
    return b.view.getUint32(17) === crc32c(b.bytes, 21, b.sizeInBytes);
  }
  return isLegacyMessageValid(b.bytes, 0);
}

/** Kafka's exception for bad record bytes, by the error the records codec raised. */
function asJava(e: unknown): unknown {
  if (e instanceof JavaException) return e;
  if (e instanceof RecordsError) {
    if (e.code === RecordsErrorCode.CORRUPT_MESSAGE) {
      return new JavaException("org.apache.kafka.common.errors.CorruptRecordException", e.message);
    }
    if (e.code === RecordsErrorCode.UNKNOWN_SERVER_ERROR) {
      return new JavaException("org.apache.kafka.common.KafkaException", e.message);
    }
    return new JavaException("org.apache.kafka.common.InvalidRecordException", e.message);
  }
  if (e instanceof RangeError) {
    return new JavaException("java.nio.BufferUnderflowException", null);
  }
  return e;
}

const utf8 = new TextDecoder();

/**
 * Calls `each` for every record of the batch, as Kafka's batch iterator hands them out (a bad
 * record throws the JavaException Kafka's iterator throws, after the good ones before it).
 */
export function forEachRecord(b: FileBatch, info: BatchInfo, each: (r: RecordInfo) => void): void {
  if (info.v2) forEachV2(b, info, each);
  else forEachLegacy(b, info, each);
}

function forEachV2(b: FileBatch, info: BatchInfo, each: (r: RecordInfo) => void): void {
  const h = info.header!;
  if (b.sizeInBytes < V2_HEADER_SIZE) {
    throw new JavaException("java.lang.IndexOutOfBoundsException", null);
  }
  if (h.recordsCount === 0) return;
  if (h.recordsCount < 0) {
    throw new JavaException(
      "org.apache.kafka.common.InvalidRecordException",
      `Found invalid record count ${h.recordsCount} in magic v${info.magic} batch`,
    );
  }
  const logAppendTime = info.timestampType === "LogAppendTime" ? h.maxTimestamp : null;
  let cursor: RecordCursor;
  try {
    compressionName(info.compressionId);
    const section = decompress(
      info.compressionId,
      b.bytes.subarray(V2_HEADER_SIZE, b.sizeInBytes),
    );
    cursor = new RecordCursor(section, 0, section.length, h.recordsCount);
  } catch (e) {
    throw asJava(e);
  }
  for (;;) {
    let more: boolean;
    try {
      more = cursor.next();
    } catch (e) {
      throw asJava(e);
    }
    if (!more) return;
    const headerKeys = cursor.headerCount === 0 ? [] : cursor.headers().map((x) => x.key);
    each({
      offset: h.baseOffset + cursor.offsetDelta,
      timestamp: logAppendTime ?? h.baseTimestamp + cursor.timestampDelta,
      key: cursor.key(),
      value: cursor.value(),
      sequence: h.baseSequence >= 0 ? incrementSequence(h.baseSequence, cursor.offsetDelta) : -1,
      headerKeys,
      isValid: true,
      checksum: null,
    });
  }
}

function forEachLegacy(b: FileBatch, _info: BatchInfo, each: (r: RecordInfo) => void): void {
  let messages: LegacyMessage[];
  try {
    messages = legacyDeepMessages(b.bytes, 0);
  } catch (e) {
    throw asJava(e);
  }
  for (const m of messages) {
    each({
      offset: m.offset,
      timestamp: m.timestamp,
      key: m.key,
      value: m.value,
      sequence: -1,
      headerKeys: [],
      isValid: true,
      checksum: m.crc,
    });
  }
}

/** Java's `new String(bytes, UTF_8)` (malformed input replaced by U+FFFD). */
export function javaUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
