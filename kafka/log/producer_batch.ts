/**
 * What the producer state needs of one record batch (Kafka's RecordBatch as ProducerAppendInfo
 * reads it): producer id, epoch, sequences, offsets, max timestamp, the transactional bit, and for
 * a control batch its transaction marker. Read from the batch bytes, without decoding records
 * except a control batch's single marker record.
 *
 * @module
 */
import { BatchField } from "../protocol/records/batch_header.ts";
import { CONTROL_MASK, TRANSACTIONAL_MASK } from "../protocol/records/attributes.ts";
import { decodeEndTxnMarker } from "../protocol/records/control.ts";
import { getInt64, viewOf } from "./_int64.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";

/** Kafka's RecordBatch.NO_SEQUENCE / NO_PRODUCER_EPOCH / NO_PRODUCER_ID. */
export const NO_SEQUENCE = -1;
/** No producer epoch (a producer the partition has no state for). */
export const NO_PRODUCER_EPOCH = -1;
/** No producer id (a batch of a plain, non-idempotent producer). */
export const NO_PRODUCER_ID = -1;

const INT_MAX = 0x7fffffff;

/** A transaction marker as the producer state applies it. */
export interface TxnMarker {
  readonly type: "ABORT" | "COMMIT";
  readonly coordinatorEpoch: number;
  /** The marker record's timestamp. */
  readonly timestamp: number;
}

/** One batch of a producer (v2, producer id ≥ 0), offsets already assigned. */
export interface ProducerBatch {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** -1 for control batches and a coordinator's offset commits. */
  readonly baseSequence: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly isTransactional: boolean;
  /**
   * null for a data batch; a control batch's marker; "empty" for a control batch whose records the
   * cleaner removed (Kafka ignores it).
   */
  readonly control: TxnMarker | "empty" | null;
}

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap from Int.MAX to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT_MAX - increment) return increment - (INT_MAX - sequence) - 1;
  return sequence + increment;
}

/** Kafka's DefaultRecordBatch.decrementSequence. */
export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return INT_MAX - (decrement - sequence) + 1;
  return sequence - decrement;
}

/** A batch's last sequence (NO_SEQUENCE when it has none). */
export function lastSequenceOf(b: ProducerBatch): number {
  if (b.baseSequence === NO_SEQUENCE) return NO_SEQUENCE;
  return incrementSequence(b.baseSequence, b.lastOffset - b.baseOffset);
}

/**
 * The producer facts of the v2 batch at `position` of `bytes` (whole, CRC already checked), or
 * null when it has no producer id or is not v2 (older magics carry no producer state).
 *
 * @example
 * ```ts
 * import { buildEndTxnMarkerBatch } from "../protocol/records/control.ts";
 * import { readProducerBatch } from "./producer_batch.ts";
 * const bytes = buildEndTxnMarkerBatch({
 *   type: "ABORT", coordinatorEpoch: 2, producerId: 7, producerEpoch: 1, timestamp: 5,
 * });
 * readProducerBatch(bytes, 0)?.control; // { type: "ABORT", coordinatorEpoch: 2, timestamp: 5 }
 * ```
 */
export function readProducerBatch(bytes: Uint8Array, position: number): ProducerBatch | null {
  const v = viewOf(bytes);
  if (v.getInt8(position + BatchField.MAGIC) !== 2) return null;
  const producerId = getInt64(v, position + BatchField.PRODUCER_ID);
  if (producerId < 0) return null;
  const attributes = v.getInt16(position + BatchField.ATTRIBUTES);
  const baseOffset = getInt64(v, position + BatchField.BASE_OFFSET);
  let control: TxnMarker | "empty" | null = null;
  if ((attributes & CONTROL_MASK) !== 0) {
    const size = 12 + v.getInt32(position + BatchField.LENGTH);
    const records = new RecordBatch(bytes.subarray(position, position + size)).records();
    if (records.length === 0) control = "empty";
    else {
      const m = decodeEndTxnMarker(records[0].key, records[0].value);
      control = {
        type: m.type,
        coordinatorEpoch: m.coordinatorEpoch,
        timestamp: records[0].timestamp,
      };
    }
  }
  return {
    producerId,
    producerEpoch: v.getInt16(position + BatchField.PRODUCER_EPOCH),
    baseSequence: v.getInt32(position + BatchField.BASE_SEQUENCE),
    baseOffset,
    lastOffset: baseOffset + v.getInt32(position + BatchField.LAST_OFFSET_DELTA),
    maxTimestamp: getInt64(v, position + BatchField.MAX_TIMESTAMP),
    isTransactional: (attributes & TRANSACTIONAL_MASK) !== 0,
    control,
  };
}

/** Every producer batch of a run of whole batches (a validated append, a segment read). */
export function* producerBatches(bytes: Uint8Array): Generator<ProducerBatch> {
  const v = viewOf(bytes);
  for (let pos = 0; pos + 17 <= bytes.length;) {
    const size = 12 + v.getInt32(pos + BatchField.LENGTH);
    if (pos + size > bytes.length) return;
    const b = readProducerBatch(bytes, pos);
    if (b !== null) yield b;
    pos += size;
  }
}
