/**
 * The 61-byte header of a record batch, magic 2 (Kafka's DefaultRecordBatch):
 *
 * ```
 * 0  baseOffset int64          27 baseTimestamp int64 (firstTimestamp; the delete horizon if bit 6)
 * 8  batchLength int32         35 maxTimestamp int64
 * 12 partitionLeaderEpoch int32 43 producerId int64
 * 16 magic int8                51 producerEpoch int16
 * 17 crc uint32 (CRC-32C of 21..end)  53 baseSequence int32
 * 21 attributes int16          57 records count int32
 * 23 lastOffsetDelta int32     61 records...
 * ```
 *
 * `batchLength` counts from partitionLeaderEpoch to the end (the batch is `12 + batchLength`
 * bytes). baseOffset, batchLength and partitionLeaderEpoch sit before the CRC'd range, which is
 * why a broker can assign offsets and epochs in place.
 *
 * @module
 */

import {
  CONTROL_MASK,
  DELETE_HORIZON_MASK,
  TIMESTAMP_TYPE_MASK,
  type TimestampType,
  TRANSACTIONAL_MASK,
} from "./attributes.ts";
import { getInt64, setInt64 } from "./_int64.ts";

/** Byte offsets of the header fields. */
export const BatchField = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORDS_COUNT: 57,
} as const;

/** Header size: the smallest valid batch (Kafka's RECORD_BATCH_OVERHEAD). */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + length: the part of every batch or legacy entry before its length counts (LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12;
/** The CRC covers attributes through the end of the batch. */
export const CRC_START = BatchField.ATTRIBUTES;

/** Sentinels Kafka uses for absent producer state and timestamps. */
export const NO_PRODUCER_ID = -1;
/** No producer epoch. */
export const NO_PRODUCER_EPOCH = -1;
/** No sequence. */
export const NO_SEQUENCE = -1;
/** No partition leader epoch (what clients send). */
export const NO_PARTITION_LEADER_EPOCH = -1;
/** No timestamp. */
export const NO_TIMESTAMP = -1;

/** The decoded header fields of one batch. */
export interface RecordBatchHeader {
  baseOffset: number;
  /** Bytes after the length field (whole batch = 12 + batchLength). */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** Stored CRC-32C, unsigned. */
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  /** firstTimestamp in Kafka 2.8's words; the delete horizon when {@link hasDeleteHorizon}. */
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/**
 * Reads the header of the batch starting at `pos` in `view`; the caller has checked that 61
 * bytes are there and the magic is 2.
 *
 * @example
 * ```ts
 * import { buildRecordBatch } from "./batch_builder.ts";
 * import { readBatchHeader } from "./batch_header.ts";
 * const batch = buildRecordBatch({ records: [{ timestamp: 1, key: null, value: null }] });
 * const h = readBatchHeader(new DataView(batch.buffer, batch.byteOffset), 0);
 * console.log(h.recordsCount, h.batchLength + 12 === batch.length); // 1 true
 * ```
 */
export function readBatchHeader(view: DataView, pos: number): RecordBatchHeader {
  return {
    baseOffset: getInt64(view, pos),
    batchLength: view.getInt32(pos + BatchField.LENGTH),
    partitionLeaderEpoch: view.getInt32(pos + BatchField.PARTITION_LEADER_EPOCH),
    magic: view.getInt8(pos + BatchField.MAGIC),
    crc: view.getUint32(pos + BatchField.CRC),
    attributes: view.getInt16(pos + BatchField.ATTRIBUTES),
    lastOffsetDelta: view.getInt32(pos + BatchField.LAST_OFFSET_DELTA),
    baseTimestamp: getInt64(view, pos + BatchField.BASE_TIMESTAMP),
    maxTimestamp: getInt64(view, pos + BatchField.MAX_TIMESTAMP),
    producerId: getInt64(view, pos + BatchField.PRODUCER_ID),
    producerEpoch: view.getInt16(pos + BatchField.PRODUCER_EPOCH),
    baseSequence: view.getInt32(pos + BatchField.BASE_SEQUENCE),
    recordsCount: view.getInt32(pos + BatchField.RECORDS_COUNT),
  };
}

/** Writes every header field but the CRC (computed last, over the finished batch). */
export function writeBatchHeader(view: DataView, pos: number, h: RecordBatchHeader): void {
  setInt64(view, pos, h.baseOffset);
  view.setInt32(pos + BatchField.LENGTH, h.batchLength);
  view.setInt32(pos + BatchField.PARTITION_LEADER_EPOCH, h.partitionLeaderEpoch);
  view.setInt8(pos + BatchField.MAGIC, h.magic);
  view.setInt16(pos + BatchField.ATTRIBUTES, h.attributes);
  view.setInt32(pos + BatchField.LAST_OFFSET_DELTA, h.lastOffsetDelta);
  setInt64(view, pos + BatchField.BASE_TIMESTAMP, h.baseTimestamp);
  setInt64(view, pos + BatchField.MAX_TIMESTAMP, h.maxTimestamp);
  setInt64(view, pos + BatchField.PRODUCER_ID, h.producerId);
  view.setInt16(pos + BatchField.PRODUCER_EPOCH, h.producerEpoch);
  view.setInt32(pos + BatchField.BASE_SEQUENCE, h.baseSequence);
  view.setInt32(pos + BatchField.RECORDS_COUNT, h.recordsCount);
}

/** The timestamp type bit of a header. */
export function timestampType(h: RecordBatchHeader): TimestampType {
  return h.attributes & TIMESTAMP_TYPE_MASK ? "LogAppendTime" : "CreateTime";
}

/** Transactional bit. */
export function isTransactional(h: RecordBatchHeader): boolean {
  return (h.attributes & TRANSACTIONAL_MASK) !== 0;
}

/** Control bit (transaction markers). */
export function isControl(h: RecordBatchHeader): boolean {
  return (h.attributes & CONTROL_MASK) !== 0;
}

/** Delete-horizon bit (KIP-534). */
export function hasDeleteHorizon(h: RecordBatchHeader): boolean {
  return (h.attributes & DELETE_HORIZON_MASK) !== 0;
}

/** The last offset in the batch. */
export function lastOffset(h: RecordBatchHeader): number {
  return h.baseOffset + h.lastOffsetDelta;
}

/** Kafka's `nextSequence` arithmetic: sequences wrap at 2^31. */
export function lastSequence(h: RecordBatchHeader): number {
  if (h.baseSequence === NO_SEQUENCE) return NO_SEQUENCE;
  const s = h.baseSequence + h.lastOffsetDelta;
  return s > 0x7fffffff ? s - 0x80000000 : s;
}
