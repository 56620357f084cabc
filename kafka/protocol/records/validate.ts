/**
 * What a broker does to a Produce request's records before appending them (Apache 2.8.2's
 * Log.analyzeAndValidateRecords + LogValidator, for message format v2): checks sizes, CRCs,
 * counts, keys and timestamps with Kafka's error codes, then assigns offsets — in place where
 * Kafka does (an uncompressed v2 batch; a compressed v2 batch kept in its codec with inner offsets
 * 0..n-1), otherwise by re-encoding (magic 0/1 sets up-converted, a codec change for the topic's
 * `compression.type`, non-contiguous inner offsets from old clients).
 *
 * @module
 */

import {
  type Compression,
  COMPRESSION_MASK,
  CONTROL_MASK,
  TIMESTAMP_TYPE_MASK,
  type TimestampType,
  TRANSACTIONAL_MASK,
} from "./attributes.ts";
import { buildRecordBatch, type RecordInput } from "./batch_builder.ts";
import { setLastOffset, setMaxTimestamp, setPartitionLeaderEpoch } from "./batch_patch.ts";
import { type LogEntry, scanEntries } from "./entries.ts";
import { corruptMessage, invalidRecord, RecordsError, RecordsErrorCode } from "./errors.ts";
import { isLegacyMessageValid, legacyDeepMessages, readLegacyMessage } from "./legacy.ts";
import { RecordBatch } from "./record_batch.ts";
import {
  type ApiRecordError,
  type AppendOrigin,
  type BatchFacts,
  throwRecordErrors,
  validateBatch,
  validateRecord,
} from "./_validation_rules.ts";

export type { AppendOrigin } from "./_validation_rules.ts";

/** The partition's and topic's settings that validation depends on. */
export interface ProduceValidationOptions {
  /** The log end offset: the first offset to assign. */
  nextOffset: number;
  /** The broker's clock (ms): LogAppendTime value and CreateTime window centre. */
  now: number;
  /** Topic `message.timestamp.type`. */
  timestampType: TimestampType;
  /** Topic `message.timestamp.difference.max.ms` (default: unbounded). */
  timestampDiffMaxMs?: number;
  /** The leader epoch to stamp on every batch. */
  partitionLeaderEpoch: number;
  /** `cleanup.policy` includes compact: every record needs a key. */
  compacted?: boolean;
  /** Topic `max.message.bytes` (default 1048588, Kafka's). */
  maxMessageBytes?: number;
  /** Topic `compression.type`: "producer" keeps the batch's codec (the default). */
  targetCompression?: "producer" | Compression;
  origin?: AppendOrigin;
  /** Named in error messages ("in topic partition t-0"). */
  topicPartition?: string;
}

/** One appended batch's facts, for indexes and producer state. */
export interface ValidatedBatch {
  position: number;
  sizeInBytes: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  isTransactional: boolean;
  isControl: boolean;
  recordCount: number;
}

/** The outcome: the bytes to append and what the log and the response need to know. */
export interface ProduceValidation {
  /** The records to append: the input buffer patched in place, or new bytes. */
  records: Uint8Array;
  firstOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  offsetOfMaxTimestamp: number;
  recordCount: number;
  /** False when the batches were re-encoded (Kafka's messageSizeMaybeChanged). */
  inPlace: boolean;
  batches: ValidatedBatch[];
}

const DEFAULT_MAX_MESSAGE_BYTES = 1048588;

interface Ctx {
  o: ProduceValidationOptions;
  origin: AppendOrigin;
  rules: {
    now: number;
    timestampType: TimestampType;
    timestampDiffMaxMs: number;
    compacted: boolean;
  };
  where: string;
  /** " to t-0" after "append", or nothing. */
  to: string;
}

/**
 * Validates `records` and assigns offsets from `o.nextOffset`. May patch `records` in place.
 * Throws {@link RecordsError} with Kafka's code for anything Apache rejects.
 *
 * @example
 * ```ts
 * import { buildRecordBatch } from "./batch_builder.ts";
 * import { validateAndAssignOffsets } from "./validate.ts";
 * const batch = buildRecordBatch({ records: [{ timestamp: 1, key: null, value: null }] });
 * const v = validateAndAssignOffsets(batch, {
 *   nextOffset: 100, now: 2, timestampType: "CreateTime", partitionLeaderEpoch: 0,
 * });
 * console.log(v.firstOffset, v.lastOffset, v.inPlace); // 100 100 true
 * ```
 */
export function validateAndAssignOffsets(
  records: Uint8Array,
  o: ProduceValidationOptions,
): ProduceValidation {
  const ctx: Ctx = {
    o,
    origin: o.origin ?? "client",
    rules: {
      now: o.now,
      timestampType: o.timestampType,
      timestampDiffMaxMs: o.timestampDiffMaxMs ?? Number.MAX_SAFE_INTEGER,
      compacted: o.compacted ?? false,
    },
    where: o.topicPartition ? ` in topic partition ${o.topicPartition}` : "",
    to: o.topicPartition ? ` to ${o.topicPartition}` : "",
  };
  const scan = scanEntries(records);
  const input = scan.validBytes === records.length ? records : records.subarray(0, scan.validBytes);
  if (scan.entries.length === 0) {
    return {
      records: input,
      firstOffset: o.nextOffset,
      lastOffset: o.nextOffset - 1,
      maxTimestamp: -1,
      offsetOfMaxTimestamp: -1,
      recordCount: 0,
      inPlace: true,
      batches: [],
    };
  }
  const source = analyze(input, scan.entries, ctx);
  const target = o.targetCompression === undefined || o.targetCompression === "producer"
    ? source
    : o.targetCompression;
  let out: Omit<ProduceValidation, "batches">;
  if (source === 0 && target === 0) {
    if (scan.entries.every((e) => e.magic === 2)) {
      out = assignNonCompressed(input, scan.entries, ctx);
    } else {
      validateAll(input, scan.entries, ctx);
      out = rebuild(input, scan.entries, 0, ctx);
    }
  } else {
    out = assignCompressed(input, scan.entries, ctx, source, target);
  }
  return { ...out, batches: describe(out.records) };
}

/** Log.analyzeAndValidateRecords: base offset, size and CRC of each entry; the source codec. */
function analyze(b: Uint8Array, entries: LogEntry[], ctx: Ctx): number {
  const max = ctx.o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  let source = 0;
  for (const e of entries) {
    const bytes = b.subarray(e.position, e.position + e.sizeInBytes);
    let codec: number;
    if (e.magic === 2) {
      const batch = new RecordBatch(bytes);
      if (ctx.origin === "client" && batch.header.baseOffset !== 0) {
        throw invalidRecord(
          `The baseOffset of the record batch in the append${ctx.to} should be 0, but it is ${batch.header.baseOffset}`,
        );
      }
      codec = batch.compression;
    } else {
      codec = bytes[17] & COMPRESSION_MASK;
    }
    if (e.sizeInBytes > max) {
      throw new RecordsError(
        RecordsErrorCode.MESSAGE_TOO_LARGE,
        `The record batch size in the append${ctx.to} is ${e.sizeInBytes} bytes which exceeds the maximum configured value of ${max}.`,
      );
    }
    const valid = e.magic === 2 ? new RecordBatch(bytes).isValid() : isLegacyMessageValid(bytes, 0);
    if (!valid) {
      const stored = new DataView(bytes.buffer, bytes.byteOffset).getUint32(
        e.magic === 2 ? 17 : 12,
      );
      throw corruptMessage(`Record is corrupt (stored crc = ${stored})${ctx.where}.`);
    }
    if (codec > 4) {
      throw new RecordsError(
        RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
        `Unknown compression type id: ${codec}`,
      );
    }
    if (codec !== 0) source = codec;
  }
  return source;
}

function facts(b: Uint8Array, e: LogEntry): BatchFacts {
  const bytes = b.subarray(e.position, e.position + e.sizeInBytes);
  if (e.magic === 2) {
    const h = new RecordBatch(bytes).header;
    return {
      magic: 2,
      baseOffset: h.baseOffset,
      lastOffset: h.baseOffset + h.lastOffsetDelta,
      count: h.recordsCount,
      producerId: h.producerId,
      baseSequence: h.baseSequence,
      isControl: (h.attributes & CONTROL_MASK) !== 0,
      timestampType: h.attributes & TIMESTAMP_TYPE_MASK ? "LogAppendTime" : "CreateTime",
    };
  }
  const m = readLegacyMessage(bytes, 0);
  return {
    magic: e.magic,
    baseOffset: m.offset,
    lastOffset: m.offset,
    count: undefined,
    producerId: -1,
    baseSequence: -1,
    isControl: false,
    timestampType: m.timestampType,
  };
}

/** Calls `fn` for each record of an entry with its offset, timestamp and key presence. */
function eachRecord(
  b: Uint8Array,
  e: LogEntry,
  fn: (offset: number, timestamp: number, hasKey: boolean) => void,
): void {
  const bytes = b.subarray(e.position, e.position + e.sizeInBytes);
  if (e.magic === 2) {
    const batch = new RecordBatch(bytes);
    const h = batch.header;
    const logAppend = (h.attributes & TIMESTAMP_TYPE_MASK) !== 0;
    const c = batch.cursor();
    while (c.next()) {
      fn(
        h.baseOffset + c.offsetDelta,
        logAppend ? h.maxTimestamp : h.baseTimestamp + c.timestampDelta,
        c.keyLength >= 0,
      );
    }
    return;
  }
  for (const m of legacyDeepMessages(bytes, 0)) {
    if (m.magic !== e.magic) {
      throw invalidRecord(`Record's magic does not match outer magic ${e.magic}`);
    }
    fn(m.offset, m.timestamp, m.key !== null);
  }
}

/** Kafka's assignOffsetsNonCompressed: every v2 batch patched in place. */
function assignNonCompressed(
  b: Uint8Array,
  entries: LogEntry[],
  ctx: Ctx,
): Omit<ProduceValidation, "batches"> {
  const first = facts(b, entries[0]);
  let counter = ctx.o.nextOffset;
  let maxTimestamp = -1;
  let offsetOfMaxTimestamp = -1;
  for (const e of entries) {
    const f = facts(b, e);
    validateBatch(first, f, ctx.origin);
    const errors: ApiRecordError[] = [];
    let maxBatch = -1;
    let offsetOfMaxBatch = -1;
    let index = 0;
    eachRecord(b, e, (offset, ts, hasKey) => {
      const err = validateRecord(f, index++, offset, ts, hasKey, ctx.rules);
      if (err) errors.push(err);
      const assigned = counter++;
      if (ts > maxBatch) {
        maxBatch = ts;
        offsetOfMaxBatch = assigned;
      }
    });
    throwRecordErrors(errors);
    if (maxBatch > maxTimestamp) {
      maxTimestamp = maxBatch;
      offsetOfMaxTimestamp = offsetOfMaxBatch;
    }
    const batch = b.subarray(e.position, e.position + e.sizeInBytes);
    setLastOffset(batch, counter - 1);
    setPartitionLeaderEpoch(batch, ctx.o.partitionLeaderEpoch);
    if (ctx.o.timestampType === "LogAppendTime") setMaxTimestamp(batch, "LogAppendTime", ctx.o.now);
    else setMaxTimestamp(batch, "CreateTime", maxBatch);
  }
  if (ctx.o.timestampType === "LogAppendTime") {
    maxTimestamp = ctx.o.now;
    offsetOfMaxTimestamp = counter - 1;
  }
  return {
    records: b,
    firstOffset: ctx.o.nextOffset,
    lastOffset: counter - 1,
    maxTimestamp,
    offsetOfMaxTimestamp,
    recordCount: counter - ctx.o.nextOffset,
    inPlace: true,
  };
}

/** Every batch and record rule, for a set that is converted anyway (magic 0/1, uncompressed). */
function validateAll(b: Uint8Array, entries: LogEntry[], ctx: Ctx): void {
  const first = facts(b, entries[0]);
  for (const e of entries) {
    const f = facts(b, e);
    validateBatch(first, f, ctx.origin);
    const errors: ApiRecordError[] = [];
    let index = 0;
    eachRecord(b, e, (offset, ts, hasKey) => {
      const err = validateRecord(f, index++, offset, ts, hasKey, ctx.rules);
      if (err) errors.push(err);
    });
    throwRecordErrors(errors);
  }
}

/** Kafka's validateMessagesAndAssignOffsetsCompressed. */
function assignCompressed(
  b: Uint8Array,
  entries: LogEntry[],
  ctx: Ctx,
  source: number,
  target: number,
): Omit<ProduceValidation, "batches"> {
  if ((entries[0].magic >= 2 || source !== 0) && entries.length > 1) {
    throw invalidRecord("Compressed outer record has more than one batch");
  }
  const first = facts(b, entries[0]);
  let inPlace = source === target && first.magic === 2;
  if (source === 0 && first.isControl) inPlace = true;
  let maxTimestamp = -1;
  let expected = 0;
  let count = 0;
  const errors: ApiRecordError[] = [];
  for (const e of entries) {
    const f = facts(b, e);
    validateBatch(first, f, ctx.origin);
    let index = 0;
    eachRecord(b, e, (offset, ts, hasKey) => {
      const err = validateRecord(f, index++, offset, ts, hasKey, ctx.rules);
      if (err) errors.push(err);
      count++;
      if (e.magic > 0) {
        if (ts > maxTimestamp) maxTimestamp = ts;
        // Old clients number inner records wrongly; Apache re-encodes rather than rejects.
        if (offset !== expected++) inPlace = false;
      }
    });
  }
  throwRecordErrors(errors);
  if (!inPlace) return rebuild(b, entries, target, ctx);
  const batch = b.subarray(entries[0].position, entries[0].position + entries[0].sizeInBytes);
  const lastOffset = ctx.o.nextOffset + count - 1;
  setLastOffset(batch, lastOffset);
  if (ctx.o.timestampType === "LogAppendTime") maxTimestamp = ctx.o.now;
  setMaxTimestamp(batch, ctx.o.timestampType, maxTimestamp);
  setPartitionLeaderEpoch(batch, ctx.o.partitionLeaderEpoch);
  return {
    records: batch,
    firstOffset: ctx.o.nextOffset,
    lastOffset,
    maxTimestamp,
    offsetOfMaxTimestamp: lastOffset,
    recordCount: count,
    inPlace: true,
  };
}

/**
 * Re-encodes every (already validated) record into one new v2 batch in codec `target`, with the
 * first batch's producer fields (Kafka's buildRecordsAndAssignOffsets).
 */
function rebuild(
  b: Uint8Array,
  entries: LogEntry[],
  target: number,
  ctx: Ctx,
): Omit<ProduceValidation, "batches"> {
  const inputs: RecordInput[] = [];
  let firstHeader = { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false };
  for (const e of entries) {
    const bytes = b.subarray(e.position, e.position + e.sizeInBytes);
    if (e.magic === 2) {
      const batch = new RecordBatch(bytes);
      const h = batch.header;
      if (inputs.length === 0) {
        firstHeader = {
          producerId: h.producerId,
          producerEpoch: h.producerEpoch,
          baseSequence: h.baseSequence,
          transactional: (h.attributes & TRANSACTIONAL_MASK) !== 0,
        };
      }
      for (const r of batch.records()) {
        inputs.push({ timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers });
      }
    } else {
      for (const m of legacyDeepMessages(bytes, 0)) {
        inputs.push({ timestamp: m.timestamp, key: m.key, value: m.value });
      }
    }
  }
  const logAppend = ctx.o.timestampType === "LogAppendTime";
  const records = buildRecordBatch({
    records: inputs,
    baseOffset: ctx.o.nextOffset,
    partitionLeaderEpoch: ctx.o.partitionLeaderEpoch,
    compression: target as Compression,
    timestampType: ctx.o.timestampType,
    logAppendTime: logAppend ? ctx.o.now : undefined,
    isTransactional: firstHeader.transactional,
    producerId: firstHeader.producerId,
    producerEpoch: firstHeader.producerEpoch,
    baseSequence: firstHeader.baseSequence,
  });
  const lastOffset = ctx.o.nextOffset + inputs.length - 1;
  let maxTimestamp = logAppend ? ctx.o.now : -1;
  if (!logAppend) { for (const r of inputs) maxTimestamp = Math.max(maxTimestamp, r.timestamp); }
  return {
    records,
    firstOffset: ctx.o.nextOffset,
    lastOffset,
    maxTimestamp,
    offsetOfMaxTimestamp: lastOffset,
    recordCount: inputs.length,
    inPlace: false,
  };
}

function describe(records: Uint8Array): ValidatedBatch[] {
  return scanEntries(records).entries.map((e) => {
    const h = new RecordBatch(records.subarray(e.position, e.position + e.sizeInBytes)).header;
    return {
      position: e.position,
      sizeInBytes: e.sizeInBytes,
      baseOffset: h.baseOffset,
      lastOffset: h.baseOffset + h.lastOffsetDelta,
      maxTimestamp: h.maxTimestamp,
      producerId: h.producerId,
      producerEpoch: h.producerEpoch,
      baseSequence: h.baseSequence,
      isTransactional: (h.attributes & TRANSACTIONAL_MASK) !== 0,
      isControl: (h.attributes & CONTROL_MASK) !== 0,
      recordCount: h.recordsCount,
    };
  });
}
