/**
 * The records of `__transaction_state` as Kafka 2.8.2's TransactionLog writes them (layouts in
 * ./spec/, Apache-licensed: LICENSE, NOTICE). Key: `version int16 (0) | transactional_id string`.
 * Value: `version int16 (0) | producer_id int64 | producer_epoch int16 | timeout_ms int32 |
 * status int8 | partitions [topic string, partition_ids [int32]] | last_update_ms int64 |
 * start_ms int64`. A null value is a tombstone: the transactional id expired. Partitions are
 * listed for Ongoing, PrepareCommit and PrepareAbort; the Complete states write an empty list,
 * Empty a null one (count -1), as Apache's fixture shows.
 *
 * @module
 */
import { KafkaProtocolError } from "../protocol/errors.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";

/** Kafka's TransactionState, by the byte it is stored as. */
export const TransactionState = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;

/** A state's name. */
export type TransactionStateName = keyof typeof TransactionState;

const STATE_NAMES = Object.keys(TransactionState) as TransactionStateName[];

/** A transactional id's metadata as `__transaction_state` stores it. */
export interface TransactionLogValue {
  producerId: number;
  producerEpoch: number;
  transactionTimeoutMs: number;
  state: TransactionStateName;
  /** The partitions of the transaction, topics in the order written. */
  partitions: { topic: string; partitionIds: number[] }[];
  lastUpdateTimestampMs: number;
  /** When the transaction began, -1 when none. */
  startTimestampMs: number;
}

/** The key bytes of a transactional id's record. */
export function encodeTransactionLogKey(transactionalId: string): Uint8Array {
  const w = new KafkaWriter(64);
  w.int16(0);
  w.string(transactionalId);
  return w.written().slice();
}

/** The transactional id of a record key; KafkaProtocolError for a version 2.8.2 cannot read. */
export function decodeTransactionLogKey(key: Uint8Array): string {
  const r = new KafkaReader(key);
  const version = r.int16();
  if (version !== 0) {
    throw new KafkaProtocolError(`Unknown version ${version} from the transaction log message`);
  }
  return r.string();
}

/**
 * The value bytes of a transactional id's record.
 *
 * @example
 * ```ts
 * import { decodeTransactionLogValue, encodeTransactionLogValue } from "./transaction_log.ts";
 * const v = {
 *   producerId: 2, producerEpoch: 0, transactionTimeoutMs: 60000, state: "Ongoing" as const,
 *   partitions: [{ topic: "t", partitionIds: [0] }], lastUpdateTimestampMs: 5, startTimestampMs: 5,
 * };
 * decodeTransactionLogValue(encodeTransactionLogValue(v)); // v
 * ```
 */
export function encodeTransactionLogValue(v: TransactionLogValue): Uint8Array {
  const w = new KafkaWriter(128);
  w.int16(0);
  w.int64(v.producerId);
  w.int16(v.producerEpoch);
  w.int32(v.transactionTimeoutMs);
  w.int8(TransactionState[v.state]);
  // 2.8.2 writes a null partition array for Empty (it has none), a list for every other state.
  w.int32(v.state === "Empty" ? -1 : v.partitions.length);
  for (const p of v.state === "Empty" ? [] : v.partitions) {
    w.string(p.topic);
    w.int32(p.partitionIds.length);
    for (const id of p.partitionIds) w.int32(id);
  }
  w.int64(v.lastUpdateTimestampMs);
  w.int64(v.startTimestampMs);
  return w.written().slice();
}

/** A record value; null for a tombstone. KafkaProtocolError for bad bytes. */
export function decodeTransactionLogValue(value: Uint8Array | null): TransactionLogValue | null {
  if (value === null) return null;
  const r = new KafkaReader(value);
  const version = r.int16();
  if (version !== 0) {
    throw new KafkaProtocolError(
      `Unknown version ${version} from the transaction log message value`,
    );
  }
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const transactionTimeoutMs = r.int32();
  const status = r.int8();
  const state = STATE_NAMES[status];
  if (state === undefined) {
    throw new KafkaProtocolError(
      `Unknown transaction state byte ${status} from the transaction log`,
    );
  }
  const partitions: TransactionLogValue["partitions"] = [];
  const topics = r.int32(); // -1 (null) for Empty
  for (let i = 0; i < topics; i++) {
    const topic = r.string();
    const n = r.int32();
    const partitionIds: number[] = [];
    for (let j = 0; j < n; j++) partitionIds.push(r.int32());
    partitions.push({ topic, partitionIds });
  }
  return {
    producerId,
    producerEpoch,
    transactionTimeoutMs,
    state,
    partitions,
    lastUpdateTimestampMs: r.int64(),
    startTimestampMs: r.int64(),
  };
}
