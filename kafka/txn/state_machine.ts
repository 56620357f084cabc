/**
 * The transaction coordinator as a pure state machine (Kafka 2.8.2's TransactionCoordinator,
 * TransactionMetadata and the parts of TransactionStateManager that decide): InitProducerId for a
 * transactional id, AddPartitionsToTxn, AddOffsetsToTxn (its offsets partition), EndTxn, timeouts
 * that abort, expiry of idle transactional ids, and loading `__transaction_state` back at start.
 *
 * Inputs are calls with the time in them; outputs are {@link TxnEffect}s: answers, records to
 * append to `__transaction_state` (the machine waits for {@link TransactionStateMachine.appendDone}),
 * and transaction markers to write to the transaction's partitions (it waits for
 * {@link TransactionStateMachine.markersDone}). A transactional id has at most one transition in
 * flight (`pending`); while it is, other requests for it get CONCURRENT_TRANSACTIONS, as in Kafka.
 *
 * Rules, from 2.8.2's classes:
 * - InitProducerId: an empty id is INVALID_REQUEST; a timeout ≤ 0 or above
 *   transaction.max.timeout.ms is INVALID_TRANSACTION_TIMEOUT; a new id gets a fresh producer id at
 *   epoch 0; Empty/Complete* bump the epoch (a new producer id once it is exhausted); Prepare* are
 *   CONCURRENT_TRANSACTIONS; Ongoing is fenced: the epoch is bumped, the transaction aborted with
 *   the new epoch, and the caller told CONCURRENT_TRANSACTIONS (it retries and bumps again).
 * - AddPartitionsToTxn: unknown id or another producer id is INVALID_PRODUCER_ID_MAPPING, another
 *   epoch PRODUCER_FENCED, Prepare* CONCURRENT_TRANSACTIONS; partitions already in an Ongoing
 *   transaction are answered at once, others make it Ongoing (the start time set when it was not).
 * - EndTxn: Ongoing → PrepareCommit/PrepareAbort, written, answered, then the markers, then
 *   CompleteCommit/CompleteAbort written; a retry of a completed one is NONE, a mismatch
 *   INVALID_TXN_STATE, Empty INVALID_TXN_STATE.
 * - transaction.timeout.ms: an Ongoing transaction older than its timeout is fenced and aborted
 *   (checked every transaction.abort.timed.out.transaction.cleanup.interval.ms).
 * - transactional.id.expiration.ms: Empty/Complete* ids idle that long get a tombstone and are
 *   forgotten (checked every transaction.remove.expired.transaction.cleanup.interval.ms).
 *
 * @module
 */
import { javaStringHash } from "../../internal/java_hash.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { TransactionLogValue, TransactionStateName } from "./transaction_log.ts";

/** Kafka's RecordBatch.NO_PRODUCER_EPOCH / NO_PRODUCER_ID. */
const NO_EPOCH = -1;
const NO_PRODUCER_ID = -1;
/** Short.MaxValue - 1: an epoch this high is exhausted (TransactionMetadata.isEpochExhausted). */
const MAX_EPOCH = 32766;

/** A partition. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** The coordinator's settings (broker keys in brackets, Kafka's defaults). */
export interface TxnConfig {
  /** transaction.state.log.num.partitions (50). */
  partitionCount: number;
  /** transaction.max.timeout.ms (900000). */
  maxTimeoutMs: number;
  /** transactional.id.expiration.ms (604800000). */
  expirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms (10000). */
  abortTimedOutIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms (3600000). */
  removeExpiredIntervalMs: number;
}

/** Kafka's defaults. */
export const DEFAULT_TXN_CONFIG: TxnConfig = {
  partitionCount: 50,
  maxTimeoutMs: 900_000,
  expirationMs: 604_800_000,
  abortTimedOutIntervalMs: 10_000,
  removeExpiredIntervalMs: 3_600_000,
};

/** The settings from broker config values (`BrokerConfig.values`). */
export function txnConfigFrom(values: ReadonlyMap<string, unknown>): TxnConfig {
  const n = (k: string, d: number) => {
    const v = Number(values.get(k) ?? d);
    return Number.isFinite(v) ? v : d;
  };
  return {
    partitionCount: n("transaction.state.log.num.partitions", 50),
    maxTimeoutMs: n("transaction.max.timeout.ms", 900_000),
    expirationMs: n("transactional.id.expiration.ms", 604_800_000),
    abortTimedOutIntervalMs: n(
      "transaction.abort.timed.out.transaction.cleanup.interval.ms",
      10_000,
    ),
    removeExpiredIntervalMs: n(
      "transaction.remove.expired.transaction.cleanup.interval.ms",
      3_600_000,
    ),
  };
}

/** A transactional id's state (TransactionMetadata). */
export interface TxnMetadata {
  readonly transactionalId: string;
  producerId: number;
  lastProducerId: number;
  producerEpoch: number;
  lastProducerEpoch: number;
  timeoutMs: number;
  state: TransactionStateName;
  /** Insertion order (what is written to the log). */
  partitions: TopicPartition[];
  startTimestamp: number;
  lastUpdateTimestamp: number;
  /** A transition written or being written; requests wait (CONCURRENT_TRANSACTIONS). */
  pending: TxnTransit | undefined;
  /** The transition failed and must be retried at the next tick (markers or the Complete write). */
  retry: boolean;
}

/** A transition: the metadata it leads to. */
export interface TxnTransit {
  producerId: number;
  lastProducerId: number;
  producerEpoch: number;
  lastProducerEpoch: number;
  timeoutMs: number;
  state: TransactionStateName;
  partitions: TopicPartition[];
  startTimestamp: number;
  lastUpdateTimestamp: number;
}

/** An answer id the shell maps to its caller. */
export type ReplyId = number;

/** InitProducerId's answer. */
export interface InitResult {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

/** What the machine asks of its shell. */
export type TxnEffect =
  | { type: "reply"; id: ReplyId; errorCode: number; producerId?: number; producerEpoch?: number }
  | {
    type: "append";
    token: number;
    /** The `__transaction_state` partition. */
    partition: number;
    transactionalId: string;
    /** null: a tombstone (the id expired). */
    value: TransactionLogValue | null;
  }
  | {
    type: "markers";
    token: number;
    transactionalId: string;
    producerId: number;
    producerEpoch: number;
    coordinatorEpoch: number;
    result: "COMMIT" | "ABORT";
    partitions: TopicPartition[];
  };

/** What to do once an append or the markers are done. */
type Continuation = (errorCode: number, now: number) => TxnEffect[];

/** Kafka's appendTransactionToLog error mapping. */
export function appendErrorToClient(code: number): number {
  switch (code) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return code;
  }
}

function sameTp(a: TopicPartition, b: TopicPartition): boolean {
  return a.topic === b.topic && a.partition === b.partition;
}

/**
 * The coordinator's state: see the module doc.
 *
 * @example
 * ```ts
 * import { DEFAULT_TXN_CONFIG, TransactionStateMachine } from "./state_machine.ts";
 * const m = new TransactionStateMachine({ ...DEFAULT_TXN_CONFIG, partitionCount: 1 }, 0);
 * m.finishLoading(0, 0, 0);
 * const [append] = m.initProducerId(1, 0, "tx", 60000, null, 7);
 * // append: { type: "append", partition: 0, value: { producerId: 7, producerEpoch: 0, state: "Empty", … } }
 * m.appendDone(append.type === "append" ? append.token : 0, 0, 0);
 * // [{ type: "reply", id: 1, errorCode: 0, producerId: 7, producerEpoch: 0 }]
 * ```
 */
export class TransactionStateMachine {
  readonly txns: Map<string, TxnMetadata> = new Map();
  /** Partitions of `__transaction_state` loaded, with their coordinator epoch. */
  readonly #owned = new Map<number, number>();
  readonly #loading = new Set<number>();
  readonly #waiting = new Map<number, Continuation>();
  #nextToken = 1;
  #nextAbortCheck: number;
  #nextExpiryCheck: number;

  constructor(readonly config: TxnConfig, now: number) {
    this.#nextAbortCheck = now + config.abortTimedOutIntervalMs;
    this.#nextExpiryCheck = now + config.removeExpiredIntervalMs;
  }

  /** The `__transaction_state` partition of a transactional id (Kafka's partitionFor). */
  partitionFor(transactionalId: string): number {
    const h = javaStringHash(transactionalId);
    return (h === -2147483648 ? 0 : Math.abs(h)) % this.config.partitionCount;
  }

  /** Whether requests for `transactionalId` can be served now (its partition is loaded). */
  owns(transactionalId: string): boolean {
    return this.#owned.has(this.partitionFor(transactionalId));
  }

  /** Whether InitProducerId would need a fresh producer id (unknown id, or epoch exhausted). */
  wantsProducerId(transactionalId: string): boolean {
    const t = this.txns.get(transactionalId);
    return t === undefined || t.producerEpoch >= MAX_EPOCH;
  }

  // ---------------------------------------------------------------- loading

  /** Partition `p` is being read (its ids answer COORDINATOR_LOAD_IN_PROGRESS). */
  beginLoading(p: number): void {
    this.#loading.add(p);
    this.#owned.delete(p);
  }

  /** One record read back from partition `p`, in log order. */
  loadRecord(p: number, transactionalId: string, value: TransactionLogValue | null): void {
    if (!this.#loading.has(p)) throw new Error(`__transaction_state-${p} is not loading`);
    if (value === null) {
      this.txns.delete(transactionalId);
      return;
    }
    this.txns.set(transactionalId, {
      transactionalId,
      producerId: value.producerId,
      lastProducerId: NO_PRODUCER_ID,
      producerEpoch: value.producerEpoch,
      lastProducerEpoch: NO_EPOCH,
      timeoutMs: value.transactionTimeoutMs,
      state: value.state,
      partitions: value.partitions.flatMap((t) =>
        t.partitionIds.map((partition) => ({ topic: t.topic, partition }))
      ),
      startTimestamp: value.startTimestampMs,
      lastUpdateTimestamp: value.lastUpdateTimestampMs,
      pending: undefined,
      retry: false,
    });
  }

  /**
   * Partition `p` is read: its ids are served from now on with `coordinatorEpoch`; transactions
   * left in PrepareCommit/PrepareAbort get their markers written and complete.
   */
  finishLoading(p: number, coordinatorEpoch: number, now: number): TxnEffect[] {
    this.#loading.delete(p);
    this.#owned.set(p, coordinatorEpoch);
    const out: TxnEffect[] = [];
    for (const t of this.txns.values()) {
      if (this.partitionFor(t.transactionalId) !== p) continue;
      if (t.state === "PrepareCommit" || t.state === "PrepareAbort") {
        out.push(...this.#sendMarkers(t, now));
      }
    }
    return out;
  }

  /** Why requests for `transactionalId` cannot be served, or undefined when they can. */
  #notServed(transactionalId: string): number | undefined {
    const p = this.partitionFor(transactionalId);
    if (this.#loading.has(p)) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    if (!this.#owned.has(p)) return ErrorCode.NOT_COORDINATOR;
    return undefined;
  }

  // ---------------------------------------------------------------- InitProducerId

  /**
   * InitProducerId with a transactional id. `freshProducerId` is a new id from the producer id
   * manager when {@link wantsProducerId} said so (else ignored).
   */
  initProducerId(
    id: ReplyId,
    now: number,
    transactionalId: string,
    timeoutMs: number,
    expected: { producerId: number; producerEpoch: number } | null,
    freshProducerId?: number,
  ): TxnEffect[] {
    const fail = (errorCode: number): TxnEffect[] => [{ type: "reply", id, errorCode }];
    if (transactionalId === "") return fail(ErrorCode.INVALID_REQUEST);
    if (timeoutMs <= 0 || timeoutMs > this.config.maxTimeoutMs) {
      return fail(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    }
    const notServed = this.#notServed(transactionalId);
    if (notServed !== undefined) return fail(notServed);
    let t = this.txns.get(transactionalId);
    if (t === undefined) {
      if (freshProducerId === undefined) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      t = {
        transactionalId,
        producerId: freshProducerId,
        lastProducerId: NO_PRODUCER_ID,
        producerEpoch: NO_EPOCH,
        lastProducerEpoch: NO_EPOCH,
        timeoutMs,
        state: "Empty",
        partitions: [],
        startTimestamp: -1,
        lastUpdateTimestamp: now,
        pending: undefined,
        retry: false,
      };
      this.txns.set(transactionalId, t);
    }
    if (t.pending) return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    if (expected !== null && !isValidProducerId(t, expected)) {
      return fail(ErrorCode.PRODUCER_FENCED);
    }
    switch (t.state) {
      case "PrepareAbort":
      case "PrepareCommit":
        return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
      case "Ongoing":
        // Fence the producer: bump the epoch and abort its transaction with it; the caller retries
        // (CONCURRENT_TRANSACTIONS) and gets the next epoch once the abort is complete.
        return this.#fenceAndAbort(
          t,
          now,
          (code) => fail(code === ErrorCode.NONE ? ErrorCode.CONCURRENT_TRANSACTIONS : code),
        );
      case "Dead":
      case "PrepareEpochFence":
        return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    }
    let transit: TxnTransit;
    if (
      t.producerEpoch >= MAX_EPOCH &&
      (expected === null || expected.producerEpoch === t.producerEpoch)
    ) {
      if (freshProducerId === undefined) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      transit = {
        ...this.#base(t, now),
        producerId: freshProducerId,
        lastProducerId: t.producerId,
        producerEpoch: 0,
        lastProducerEpoch: expected !== null ? t.producerEpoch : NO_EPOCH,
      };
    } else {
      let epoch = t.producerEpoch + 1;
      let lastEpoch = NO_EPOCH;
      if (expected !== null) {
        if (t.producerEpoch === NO_EPOCH || expected.producerEpoch === t.producerEpoch) {
          lastEpoch = t.producerEpoch;
        } else if (expected.producerEpoch === t.lastProducerEpoch) {
          epoch = t.producerEpoch; // a retry of a bump whose answer was lost
          lastEpoch = t.lastProducerEpoch;
        } else {
          return fail(ErrorCode.PRODUCER_FENCED);
        }
      }
      transit = { ...this.#base(t, now), producerEpoch: epoch, lastProducerEpoch: lastEpoch };
    }
    transit.timeoutMs = timeoutMs;
    transit.state = "Empty";
    transit.partitions = [];
    transit.startTimestamp = -1;
    return this.#write(t, transit, (code) => {
      if (code !== ErrorCode.NONE) return fail(code);
      return [{
        type: "reply",
        id,
        errorCode: ErrorCode.NONE,
        producerId: t!.producerId,
        producerEpoch: t!.producerEpoch,
      }];
    });
  }

  // ---------------------------------------------------------------- AddPartitionsToTxn

  /** AddPartitionsToTxn (and AddOffsetsToTxn, with the group's offsets partition). */
  addPartitions(
    id: ReplyId,
    now: number,
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    partitions: readonly TopicPartition[],
  ): TxnEffect[] {
    const fail = (errorCode: number): TxnEffect[] => [{ type: "reply", id, errorCode }];
    if (transactionalId === "") return fail(ErrorCode.INVALID_REQUEST);
    const notServed = this.#notServed(transactionalId);
    if (notServed !== undefined) return fail(notServed);
    const t = this.txns.get(transactionalId);
    if (t === undefined || t.producerId !== producerId) {
      return fail(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    }
    if (t.producerEpoch !== producerEpoch) return fail(ErrorCode.PRODUCER_FENCED);
    if (t.pending || t.state === "PrepareCommit" || t.state === "PrepareAbort") {
      return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    }
    const added = partitions.filter((p) => !t.partitions.some((q) => sameTp(p, q)));
    if (t.state === "Ongoing" && added.length === 0) return fail(ErrorCode.NONE);
    const fresh = t.state === "Empty" || t.state === "CompleteAbort" ||
      t.state === "CompleteCommit";
    const transit: TxnTransit = {
      ...this.#base(t, now),
      state: "Ongoing",
      partitions: [...t.partitions, ...dedupe(added)],
      startTimestamp: fresh ? now : t.startTimestamp,
    };
    return this.#write(t, transit, (code) => fail(code));
  }

  // ---------------------------------------------------------------- EndTxn

  /** EndTxn from a client. */
  endTxn(
    id: ReplyId,
    now: number,
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    commit: boolean,
  ): TxnEffect[] {
    const fail = (errorCode: number): TxnEffect[] => [{ type: "reply", id, errorCode }];
    if (transactionalId === "") return fail(ErrorCode.INVALID_REQUEST);
    const notServed = this.#notServed(transactionalId);
    if (notServed !== undefined) return fail(notServed);
    const t = this.txns.get(transactionalId);
    if (t === undefined || t.producerId !== producerId) {
      return fail(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    }
    if (producerEpoch !== t.producerEpoch) return fail(ErrorCode.PRODUCER_FENCED);
    if (t.pending) return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    switch (t.state) {
      case "Ongoing":
        return this.#prepareEnd(t, now, commit, fail);
      case "CompleteCommit":
        return fail(commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE);
      case "CompleteAbort":
        return fail(commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE);
      case "PrepareCommit":
        return fail(commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE);
      case "PrepareAbort":
        return fail(commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS);
      default:
        return fail(ErrorCode.INVALID_TXN_STATE);
    }
  }

  /** Ongoing → Prepare*, written; then the answer, the markers, Complete*. */
  #prepareEnd(
    t: TxnMetadata,
    now: number,
    commit: boolean,
    answer: (code: number) => TxnEffect[],
  ): TxnEffect[] {
    const transit: TxnTransit = {
      ...this.#base(t, now),
      state: commit ? "PrepareCommit" : "PrepareAbort",
    };
    return this.#write(t, transit, (code, at) => {
      if (code !== ErrorCode.NONE) return answer(code);
      return [...answer(ErrorCode.NONE), ...this.#sendMarkers(t, at)];
    });
  }

  /** Bumps the epoch of an Ongoing transaction and aborts it (Kafka's prepareFenceProducerEpoch). */
  #fenceAndAbort(
    t: TxnMetadata,
    now: number,
    answer: (code: number) => TxnEffect[],
  ): TxnEffect[] {
    t.producerEpoch += 1;
    t.lastProducerEpoch = NO_EPOCH;
    return this.#prepareEnd(t, now, false, answer);
  }

  /** The markers of a Prepare* transaction; once written, the Complete* record. */
  #sendMarkers(t: TxnMetadata, now: number): TxnEffect[] {
    const complete: TxnTransit = {
      ...this.#base(t, now),
      state: t.state === "PrepareCommit" ? "CompleteCommit" : "CompleteAbort",
      partitions: [],
    };
    t.pending = complete;
    t.retry = false;
    const token = this.#nextToken++;
    this.#waiting.set(token, (code) => {
      if (code !== ErrorCode.NONE) {
        t.pending = undefined;
        t.retry = true;
        return [];
      }
      t.pending = undefined;
      // The Complete record keeps the time it was prepared (Kafka's prepareComplete), not `at`.
      return this.#write(t, complete, (c) => {
        if (c !== ErrorCode.NONE) t.retry = true;
        return [];
      });
    });
    return [{
      type: "markers",
      token,
      transactionalId: t.transactionalId,
      producerId: t.producerId,
      producerEpoch: t.producerEpoch,
      coordinatorEpoch: this.#owned.get(this.partitionFor(t.transactionalId)) ?? 0,
      result: t.state === "PrepareCommit" ? "COMMIT" : "ABORT",
      partitions: t.partitions,
    }];
  }

  // ---------------------------------------------------------------- completions and time

  /** An append asked for has completed with `errorCode` (0: durable). */
  appendDone(token: number, errorCode: number, now: number): TxnEffect[] {
    const k = this.#waiting.get(token);
    this.#waiting.delete(token);
    return k ? k(errorCode, now) : [];
  }

  /** Markers asked for are written (0), or could not be (they are retried at the next tick). */
  markersDone(token: number, errorCode: number, now: number): TxnEffect[] {
    return this.appendDone(token, errorCode, now);
  }

  /** When {@link tick} next has work. */
  nextDeadline(): number {
    return Math.min(this.#nextAbortCheck, this.#nextExpiryCheck);
  }

  /** Timeouts that abort, ids that expire, failed completions retried. */
  tick(now: number): TxnEffect[] {
    const out: TxnEffect[] = [];
    if (now >= this.#nextAbortCheck) {
      this.#nextAbortCheck = now + this.config.abortTimedOutIntervalMs;
      for (const t of this.txns.values()) {
        if (!this.#owned.has(this.partitionFor(t.transactionalId))) continue;
        if (t.retry && !t.pending) {
          out.push(...this.#sendMarkers(t, now));
          continue;
        }
        if (t.state !== "Ongoing" || t.pending) continue;
        if (t.startTimestamp + t.timeoutMs < now) {
          out.push(...this.#fenceAndAbort(t, now, () => []));
        }
      }
    }
    if (now >= this.#nextExpiryCheck) {
      this.#nextExpiryCheck = now + this.config.removeExpiredIntervalMs;
      for (const t of this.txns.values()) {
        if (!this.#owned.has(this.partitionFor(t.transactionalId)) || t.pending) continue;
        const idle = t.state === "Empty" || t.state === "CompleteCommit" ||
          t.state === "CompleteAbort";
        if (!idle || t.lastUpdateTimestamp > now - this.config.expirationMs) continue;
        out.push(...this.#expire(t, now));
      }
    }
    return out;
  }

  #expire(t: TxnMetadata, now: number): TxnEffect[] {
    const dead: TxnTransit = { ...this.#base(t, now), state: "Dead", partitions: [] };
    t.pending = dead;
    const token = this.#nextToken++;
    this.#waiting.set(token, (code) => {
      t.pending = undefined;
      if (code === ErrorCode.NONE && this.txns.get(t.transactionalId) === t) {
        this.txns.delete(t.transactionalId);
      }
      return [];
    });
    return [{
      type: "append",
      token,
      partition: this.partitionFor(t.transactionalId),
      transactionalId: t.transactionalId,
      value: null,
    }];
  }

  // ---------------------------------------------------------------- helpers

  #base(t: TxnMetadata, now: number): TxnTransit {
    return {
      producerId: t.producerId,
      lastProducerId: t.lastProducerId,
      producerEpoch: t.producerEpoch,
      lastProducerEpoch: t.lastProducerEpoch,
      timeoutMs: t.timeoutMs,
      state: t.state,
      partitions: t.partitions,
      startTimestamp: t.startTimestamp,
      lastUpdateTimestamp: now,
    };
  }

  /** Writes `transit` to the log; applies it when durable; `then` gets the client's error code. */
  #write(t: TxnMetadata, transit: TxnTransit, then: Continuation): TxnEffect[] {
    t.pending = transit;
    const token = this.#nextToken++;
    this.#waiting.set(token, (code, now) => {
      if (t.pending === transit) t.pending = undefined;
      if (code !== ErrorCode.NONE) return then(appendErrorToClient(code), now);
      Object.assign(t, transit);
      return then(ErrorCode.NONE, now);
    });
    return [{
      type: "append",
      token,
      partition: this.partitionFor(t.transactionalId),
      transactionalId: t.transactionalId,
      value: logValueOf(transit),
    }];
  }
}

/** Kafka's isValidProducerId for an InitProducerId carrying the producer's id and epoch. */
function isValidProducerId(
  t: TxnMetadata,
  e: { producerId: number; producerEpoch: number },
): boolean {
  return t.producerEpoch === NO_EPOCH || e.producerId === t.producerId ||
    (e.producerId === t.lastProducerId && e.producerEpoch >= MAX_EPOCH);
}

function dedupe(ps: readonly TopicPartition[]): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const p of ps) if (!out.some((q) => sameTp(p, q))) out.push(p);
  return out;
}

/** The `__transaction_state` value of a transition (partitions grouped by topic). */
export function logValueOf(t: TxnTransit): TransactionLogValue {
  const byTopic = new Map<string, number[]>();
  for (const p of t.partitions) {
    const ids = byTopic.get(p.topic) ?? [];
    ids.push(p.partition);
    byTopic.set(p.topic, ids);
  }
  return {
    producerId: t.producerId,
    producerEpoch: t.producerEpoch,
    transactionTimeoutMs: t.timeoutMs,
    state: t.state,
    partitions: [...byTopic].map(([topic, partitionIds]) => ({ topic, partitionIds })),
    lastUpdateTimestampMs: t.lastUpdateTimestamp,
    startTimestampMs: t.startTimestamp,
  };
}
