/**
 * One partition's producer state (Kafka 2.8.2's ProducerStateManager, in memory; files are
 * producer_snapshot.ts): for each producer id its epoch, the metadata of its last 5 batches, the
 * coordinator epoch of the last marker and the first offset of its open transaction. The partition
 * log asks it on every append whether a batch is a duplicate (answer the original offsets, write
 * nothing) or breaks the producer's sequence or epoch, and tells it what was written; it keeps the
 * open and the decided-but-unreplicated transactions that bound the last stable offset.
 *
 * What 2.8.2 decides, learnt from its behaviour and classes (kafka.log.ProducerAppendInfo):
 * - an epoch below the last seen one: INVALID_PRODUCER_EPOCH (47) for clients and coordinators,
 *   accepted from replication;
 * - a new epoch must start at sequence 0 unless the producer is unknown: OUT_OF_ORDER (45);
 * - same epoch: the first sequence must follow the last (Int.MAX wraps to 0), else OUT_OF_ORDER;
 * - an unknown producer (no state: new, expired, or its records deleted) is accepted at any
 *   sequence: 2.8.2 never answers UNKNOWN_PRODUCER_ID on produce (KIP-360's broker side; the
 *   2.8.2 broker classes contain no UnknownProducerIdException at all);
 * - sequences are checked for clients only; coordinator appends check the epoch only;
 * - a plain write while the producer's transaction is open: INVALID_TXN_STATE (48); a marker
 *   from an older coordinator epoch: TRANSACTION_COORDINATOR_FENCED (52);
 * - producers expire `transactional.id.expiration.ms` (2.8 has no producer.id.expiration.ms; its
 *   LogManager passes that setting, default 7 days) after their last timestamp unless a
 *   transaction is open, checked every 10 minutes (LogManager.ProducerIdExpirationCheckIntervalMs).
 *
 * @module
 */
import { RecordsError, RecordsErrorCode } from "../protocol/records/errors.ts";
import {
  decrementSequence,
  lastSequenceOf,
  NO_PRODUCER_EPOCH,
  NO_SEQUENCE,
  type ProducerBatch,
  type TxnMarker,
} from "./producer_batch.ts";
import { ScalaLongHashOrder } from "./_scala_long_hash_order.ts";

/** Batches remembered per producer for duplicate detection (ProducerStateEntry.NumBatchesToRetain). */
export const NUM_BATCHES_TO_RETAIN = 5;
/** 2.8's producer id expiration check period (ms). */
export const PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = 600_000;
/** transactional.id.expiration.ms's default (ms): 2.8 expires producer ids after it. */
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 604_800_000;

/** Where an append comes from: how much of it is checked. */
export type AppendOrigin = "client" | "replication" | "coordinator";

/** One remembered batch of a producer. */
export interface BatchMetadata {
  readonly lastSeq: number;
  readonly lastOffset: number;
  /** lastOffset - firstOffset. */
  readonly offsetDelta: number;
  /** The batch's max timestamp. */
  readonly timestamp: number;
}

/** A producer's state, as a snapshot stores it and the log reads it. */
export interface ProducerStateEntry {
  readonly producerId: number;
  producerEpoch: number;
  /** Coordinator epoch of the last transaction marker, -1 before any. */
  coordinatorEpoch: number;
  lastTimestamp: number;
  /** First offset of the open transaction, -1 when none. */
  currentTxnFirstOffset: number;
  /** Oldest first, at most {@link NUM_BATCHES_TO_RETAIN}. */
  readonly batches: BatchMetadata[];
}

/** A duplicate: answer the client with the batch written before, and append nothing. */
export interface DuplicateBatch {
  readonly firstOffset: number;
  readonly lastOffset: number;
  /** The original batch's max timestamp (Kafka answers it as log_append_time_ms). */
  readonly timestamp: number;
}

/** A transaction ended by a marker. */
export interface CompletedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  /** The marker's offset. */
  readonly lastOffset: number;
  readonly isAborted: boolean;
}

/** An aborted transaction as the `.txnindex` records it. */
export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  /** The last stable offset when the abort was written. */
  readonly lastStableOffset: number;
}

interface TxnMetadata {
  readonly producerId: number;
  readonly firstOffset: number;
  lastOffset: number;
}

/** A producer state error: Kafka's code (answered with no error_message, as 2.8.2 does). */
export class ProducerStateError extends RecordsError {
  constructor(code: RecordsErrorCode, message: string) {
    super(code, message);
    this.name = "ProducerStateError";
  }
}

/** The checked, not yet applied, producer changes of one append. */
export interface ProducerAppend {
  /** @internal per producer: the state before and after this append. */
  readonly updates: ReadonlyMap<number, PendingUpdate>;
  /** Transactions the append's markers end, in order. */
  readonly completed: readonly CompletedTxn[];
}

/** @internal */
export interface PendingUpdate {
  readonly current: ProducerStateEntry;
  readonly updated: ProducerStateEntry;
  readonly started: TxnMetadata[];
}

const NO_CHANGES: ProducerAppend = { updates: new Map(), completed: [] };

function emptyEntry(producerId: number): ProducerStateEntry {
  return {
    producerId,
    producerEpoch: NO_PRODUCER_EPOCH,
    coordinatorEpoch: -1,
    lastTimestamp: -1,
    currentTxnFirstOffset: -1,
    batches: [],
  };
}

/** The first sequence of a remembered batch. */
export function firstSeqOf(b: BatchMetadata): number {
  return decrementSequence(b.lastSeq, b.offsetDelta);
}

/** The last sequence a producer wrote, -1 when none is remembered. */
export function lastSeqOf(e: ProducerStateEntry): number {
  return e.batches.length === 0 ? NO_SEQUENCE : e.batches[e.batches.length - 1].lastSeq;
}

function setEpoch(e: ProducerStateEntry, epoch: number): void {
  if (e.producerEpoch !== epoch) {
    e.batches.length = 0;
    e.producerEpoch = epoch;
  }
}

function addBatch(e: ProducerStateEntry, b: BatchMetadata): void {
  if (e.batches.length === NUM_BATCHES_TO_RETAIN) e.batches.shift();
  e.batches.push(b);
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === 0x7fffffff);
}

/**
 * One partition's producers: see the module doc. Pure: time comes in as arguments.
 *
 * @example
 * ```ts
 * import { ProducerStateManager } from "./producer_state.ts";
 * const psm = new ProducerStateManager("t-0", 604_800_000);
 * const batch = {
 *   producerId: 1, producerEpoch: 0, baseSequence: 0, baseOffset: 0, lastOffset: 2,
 *   maxTimestamp: 10, isTransactional: false, control: null,
 * };
 * const check = psm.prepareAppend([batch], "client");
 * if ("append" in check) psm.commitAppend(check.append, 3);
 * psm.prepareAppend([batch], "client"); // { duplicate: { firstOffset: 0, lastOffset: 2, timestamp: 10 } }
 * ```
 */
export class ProducerStateManager {
  readonly #producers = new Map<number, ProducerStateEntry>();
  /** The Scala HashMap order 2.8 writes snapshot entries in. */
  readonly #order = new ScalaLongHashOrder();
  /** Open transactions, by first offset. */
  #ongoing: TxnMetadata[] = [];
  /** Decided transactions whose marker is not yet below the high watermark, by first offset. */
  #unreplicated: TxnMetadata[] = [];
  #mapEndOffset = 0;
  #lastSnapOffset = 0;

  constructor(
    /** `topic-partition`, for messages. */
    readonly topicPartition: string,
    /** transactional.id.expiration.ms (see the module doc). */
    readonly maxProducerIdExpirationMs: number = DEFAULT_PRODUCER_ID_EXPIRATION_MS,
  ) {}

  /** The offset up to which the state has seen the log (exclusive). */
  get mapEndOffset(): number {
    return this.#mapEndOffset;
  }

  /** The offset of the last snapshot taken or loaded (or the log start offset). */
  get lastSnapOffset(): number {
    return this.#lastSnapOffset;
  }

  /** No producers and no decided transactions waiting for the high watermark. */
  get isEmpty(): boolean {
    return this.#producers.size === 0 && this.#unreplicated.length === 0;
  }

  /** Number of producers with state. */
  get size(): number {
    return this.#producers.size;
  }

  /** A producer's state, if it has any. */
  lastEntry(producerId: number): Readonly<ProducerStateEntry> | undefined {
    return this.#producers.get(producerId);
  }

  /** The producers in the order 2.8.2 writes them to a snapshot. */
  entries(): ProducerStateEntry[] {
    return this.#order.keys().map((id) => this.#producers.get(id)!);
  }

  /**
   * Checks an append whose offsets are assigned (Kafka's analyzeAndValidateProducerState):
   * `{ duplicate }` when a client batch repeats one of the producer's last 5 (write nothing,
   * answer its offsets), else the changes to {@link commitAppend} once the records are written.
   * Throws {@link ProducerStateError} for an old epoch, a sequence gap, a plain write inside a
   * transaction or a fenced coordinator. Changes nothing itself.
   */
  prepareAppend(
    batches: Iterable<ProducerBatch>,
    origin: AppendOrigin,
  ): { duplicate: DuplicateBatch } | { append: ProducerAppend } {
    let updates: Map<number, PendingUpdate> | undefined;
    const completed: CompletedTxn[] = [];
    for (const b of batches) {
      if (origin === "client") {
        const dup = this.#findDuplicate(b);
        if (dup) return { duplicate: dup };
      }
      updates ??= new Map();
      let u = updates.get(b.producerId);
      if (!u) {
        u = this.#pending(b.producerId);
        updates.set(b.producerId, u);
      }
      const done = this.#apply(u, b, origin);
      if (done) completed.push(done);
    }
    if (!updates) return { append: NO_CHANGES };
    return { append: { updates, completed } };
  }

  /**
   * Applies a prepared append after its records were written up to `endOffset` (exclusive): the
   * producers' new state, the transactions it opened and ended. Returns the aborted transactions
   * with their last stable offset, in order, for the segment's `.txnindex`.
   */
  commitAppend(append: ProducerAppend, endOffset: number): AbortedTxn[] {
    const aborted = this.#applyUpdates(append);
    this.#mapEndOffset = endOffset;
    return aborted;
  }

  /**
   * Replays batches already in the log, as recovery does per batch (LogSegment.recover): no
   * sequence checks, old epochs tolerated. Returns the aborted transactions for the `.txnindex`
   * being rebuilt.
   */
  replay(batches: Iterable<ProducerBatch>): AbortedTxn[] {
    const out: AbortedTxn[] = [];
    for (const b of batches) {
      const u = this.#pending(b.producerId);
      const done = this.#apply(u, b, "replication");
      out.push(
        ...this.#applyUpdates({
          updates: new Map([[b.producerId, u]]),
          completed: done ? [done] : [],
        }),
      );
      this.#mapEndOffset = b.lastOffset + 1;
    }
    return out;
  }

  /**
   * Loads the producers of records read from the log at start-up (Kafka's
   * loadProducersFromRecords: one update per producer for the whole read, no index writes).
   */
  loadFromLog(batches: Iterable<ProducerBatch>): void {
    const r = this.prepareAppend(batches, "replication");
    if ("append" in r) this.#applyUpdates(r.append);
  }

  /** Sets the offset the state has seen up to (Kafka's updateMapEndOffset). */
  updateMapEndOffset(offset: number): void {
    this.#mapEndOffset = offset;
  }

  /** Whether a snapshot at {@link mapEndOffset} would be new (Kafka's takeSnapshot test). */
  get snapshotDue(): boolean {
    return this.#mapEndOffset > this.#lastSnapOffset;
  }

  /** Records that a snapshot was written at `offset`. */
  snapshotTaken(offset: number): void {
    this.#lastSnapOffset = offset;
  }

  /**
   * Replaces the state with a snapshot's entries taken at `snapshotOffset` (or, with none,
   * starts empty at `snapshotOffset` = the log start offset). Entries expired at `now` are
   * dropped, as 2.8.2 does on load.
   */
  loadSnapshot(entries: Iterable<ProducerStateEntry>, snapshotOffset: number, now: number): void {
    this.#clear();
    for (const e of entries) {
      if (this.#isExpired(now, e)) continue;
      this.#put(e);
      if (e.currentTxnFirstOffset >= 0) {
        this.#insertSorted(this.#ongoing, {
          producerId: e.producerId,
          firstOffset: e.currentTxnFirstOffset,
          lastOffset: -1,
        });
      }
    }
    this.#lastSnapOffset = snapshotOffset;
    this.#mapEndOffset = snapshotOffset;
  }

  /** Forgets everything and starts at `offset` (Kafka's truncateFullyAndStartAt; snapshots go too). */
  truncateFullyAndStartAt(offset: number): void {
    this.#clear();
    this.#lastSnapOffset = 0;
    this.#mapEndOffset = offset;
  }

  /**
   * The log start offset moved (retention, DeleteRecords): forget decided transactions below it,
   * move the map end offset up to it. `latestSnapshotOffset` is the newest snapshot kept.
   */
  onLogStartOffsetIncremented(logStartOffset: number, latestSnapshotOffset?: number): void {
    this.#unreplicated = this.#unreplicated.filter((t) => !(t.lastOffset < logStartOffset));
    if (this.#mapEndOffset < logStartOffset) this.#mapEndOffset = logStartOffset;
    this.#lastSnapOffset = latestSnapshotOffset ?? logStartOffset;
  }

  /** Drops producers idle for maxProducerIdExpirationMs at `now` without an open transaction. */
  removeExpiredProducers(now: number): number {
    let n = 0;
    for (const [id, e] of this.#producers) {
      if (this.#isExpired(now, e)) {
        this.#producers.delete(id);
        this.#order.delete(id);
        n++;
      }
    }
    return n;
  }

  /**
   * The first offset a read_committed consumer may not see yet (undecided, or decided with its
   * marker at or above the high watermark), if any.
   */
  firstUnstableOffset(): number | undefined {
    const a = this.#ongoing[0]?.firstOffset;
    const b = this.#unreplicated[0]?.firstOffset;
    if (a === undefined) return b;
    if (b === undefined) return a;
    return Math.min(a, b);
  }

  /** The first offset of an open transaction, if any (Kafka's firstUndecidedOffset). */
  firstUndecidedOffset(): number | undefined {
    return this.#ongoing[0]?.firstOffset;
  }

  /** The last stable offset for a high watermark (Kafka's Log.lastStableOffset). */
  lastStableOffset(highWatermark: number): number {
    const f = this.firstUnstableOffset();
    return f !== undefined && f < highWatermark ? f : highWatermark;
  }

  /** The high watermark moved: decided transactions with markers below it are stable now. */
  onHighWatermarkUpdated(highWatermark: number): void {
    if (this.#unreplicated.length === 0) return;
    this.#unreplicated = this.#unreplicated.filter((t) => !(t.lastOffset < highWatermark));
  }

  #isExpired(now: number, e: ProducerStateEntry): boolean {
    return e.currentTxnFirstOffset < 0 && now - e.lastTimestamp >= this.maxProducerIdExpirationMs;
  }

  #clear(): void {
    this.#producers.clear();
    this.#order.clear();
    this.#ongoing = [];
    this.#unreplicated = [];
  }

  #put(e: ProducerStateEntry): void {
    this.#producers.set(e.producerId, e);
    this.#order.add(e.producerId);
  }

  #insertSorted(list: TxnMetadata[], t: TxnMetadata): void {
    let i = list.length;
    while (i > 0 && list[i - 1].firstOffset > t.firstOffset) i--;
    if (i > 0 && list[i - 1].firstOffset === t.firstOffset) list[i - 1] = t;
    else list.splice(i, 0, t);
  }

  #findDuplicate(b: ProducerBatch): DuplicateBatch | undefined {
    const e = this.#producers.get(b.producerId);
    if (!e || e.producerEpoch !== b.producerEpoch) return undefined;
    const last = lastSequenceOf(b);
    for (const m of e.batches) {
      if (firstSeqOf(m) === b.baseSequence && m.lastSeq === last) {
        return {
          firstOffset: m.lastOffset - m.offsetDelta,
          lastOffset: m.lastOffset,
          timestamp: m.timestamp,
        };
      }
    }
    return undefined;
  }

  #pending(producerId: number): PendingUpdate {
    const current = this.#producers.get(producerId) ?? emptyEntry(producerId);
    return {
      current,
      updated: { ...current, batches: [] },
      started: [],
    };
  }

  /** One batch on a pending update (ProducerAppendInfo.append); a marker's completed txn. */
  #apply(u: PendingUpdate, b: ProducerBatch, origin: AppendOrigin): CompletedTxn | undefined {
    if (b.control === "empty") return undefined;
    if (b.control !== null) return this.#applyMarker(u, b, b.control, origin);
    const e = u.updated;
    this.#checkEpoch(e, b.producerEpoch, b.baseOffset, origin);
    if (origin === "client") this.#checkSequence(u, b.producerEpoch, b.baseSequence, b.baseOffset);
    setEpoch(e, b.producerEpoch);
    addBatch(e, {
      lastSeq: lastSequenceOf(b),
      lastOffset: b.lastOffset,
      offsetDelta: b.lastOffset - b.baseOffset,
      timestamp: b.maxTimestamp,
    });
    e.lastTimestamp = b.maxTimestamp;
    if (e.currentTxnFirstOffset >= 0 && !b.isTransactional) {
      throw new ProducerStateError(
        RecordsErrorCode.INVALID_TXN_STATE,
        `Expected transactional write from producer ${b.producerId} at offset ` +
          `${b.baseOffset} in partition ${this.topicPartition}`,
      );
    }
    if (e.currentTxnFirstOffset < 0 && b.isTransactional) {
      e.currentTxnFirstOffset = b.baseOffset;
      u.started.push({ producerId: b.producerId, firstOffset: b.baseOffset, lastOffset: -1 });
    }
    return undefined;
  }

  #applyMarker(
    u: PendingUpdate,
    b: ProducerBatch,
    m: TxnMarker,
    origin: AppendOrigin,
  ): CompletedTxn | undefined {
    const e = u.updated;
    this.#checkEpoch(e, b.producerEpoch, b.baseOffset, origin);
    if (e.coordinatorEpoch > m.coordinatorEpoch && origin !== "replication") {
      throw new ProducerStateError(
        RecordsErrorCode.TRANSACTION_COORDINATOR_FENCED,
        `Invalid coordinator epoch for producerId ${b.producerId} at offset ${b.baseOffset} in ` +
          `partition ${this.topicPartition}: ${m.coordinatorEpoch} (zombie), ` +
          `${e.coordinatorEpoch} (current)`,
      );
    }
    // Only a marker ending data gets a CompletedTxn: an empty transaction moves no stable offset.
    const done = e.currentTxnFirstOffset >= 0
      ? {
        producerId: b.producerId,
        firstOffset: e.currentTxnFirstOffset,
        lastOffset: b.baseOffset,
        isAborted: m.type === "ABORT",
      }
      : undefined;
    setEpoch(e, b.producerEpoch);
    e.currentTxnFirstOffset = -1;
    e.coordinatorEpoch = m.coordinatorEpoch;
    e.lastTimestamp = m.timestamp;
    return done;
  }

  #checkEpoch(e: ProducerStateEntry, epoch: number, offset: number, origin: AppendOrigin): void {
    if (epoch < e.producerEpoch && origin !== "replication") {
      throw new ProducerStateError(
        RecordsErrorCode.INVALID_PRODUCER_EPOCH,
        `Epoch of producer ${e.producerId} at offset ${offset} in ${this.topicPartition} is ` +
          `${epoch}, which is smaller than the last seen epoch ${e.producerEpoch}`,
      );
    }
  }

  #checkSequence(u: PendingUpdate, epoch: number, firstSeq: number, offset: number): void {
    const e = u.updated;
    if (epoch !== e.producerEpoch) {
      if (firstSeq !== 0 && e.producerEpoch !== NO_PRODUCER_EPOCH) {
        throw new ProducerStateError(
          RecordsErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `Invalid sequence number for new epoch of producer ${e.producerId} at offset ${offset} ` +
            `in partition ${this.topicPartition}: ${epoch} (request epoch), ${firstSeq} ` +
            `(seq. number), ${e.producerEpoch} (current producer epoch)`,
        );
      }
      return;
    }
    const lastSeq = e.batches.length > 0
      ? lastSeqOf(e)
      : epoch === u.current.producerEpoch
      ? lastSeqOf(u.current)
      : NO_SEQUENCE;
    // A producer with no epoch on record (never seen, expired, or its records deleted) may
    // write any sequence.
    if (u.current.producerEpoch !== NO_PRODUCER_EPOCH && !inSequence(lastSeq, firstSeq)) {
      throw new ProducerStateError(
        RecordsErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `Out of order sequence number for producer ${e.producerId} at offset ${offset} in ` +
          `partition ${this.topicPartition}: ${firstSeq} (incoming seq. number), ${lastSeq} ` +
          `(current end sequence number)`,
      );
    }
  }

  /** Kafka's update + completeTxn: the aborted transactions with their last stable offsets. */
  #applyUpdates(append: ProducerAppend): AbortedTxn[] {
    for (const [id, u] of append.updates) {
      const current = this.#producers.get(id);
      if (current) {
        setEpoch(current, u.updated.producerEpoch);
        for (const b of u.updated.batches) addBatch(current, b);
        current.coordinatorEpoch = u.updated.coordinatorEpoch;
        current.currentTxnFirstOffset = u.updated.currentTxnFirstOffset;
        current.lastTimestamp = u.updated.lastTimestamp;
      } else {
        this.#put(u.updated);
      }
      for (const t of u.started) this.#insertSorted(this.#ongoing, t);
    }
    const aborted: AbortedTxn[] = [];
    for (const c of append.completed) {
      if (c.isAborted) {
        aborted.push({ ...c, lastStableOffset: this.#lastStableOffsetOf(c) });
      }
      this.#completeTxn(c);
    }
    return aborted;
  }

  /** The LSO once `c` completes: the next open transaction of another producer, or past `c`. */
  #lastStableOffsetOf(c: CompletedTxn): number {
    const next = this.#ongoing.find((t) => t.producerId !== c.producerId);
    return next ? next.firstOffset : c.lastOffset + 1;
  }

  #completeTxn(c: CompletedTxn): void {
    const i = this.#ongoing.findIndex((t) => t.firstOffset === c.firstOffset);
    if (i < 0) {
      throw new Error(
        `Attempted to complete transaction ${JSON.stringify(c)} on partition ` +
          `${this.topicPartition} which was not started`,
      );
    }
    const [t] = this.#ongoing.splice(i, 1);
    t.lastOffset = c.lastOffset;
    this.#insertSorted(this.#unreplicated, t);
  }
}
