/**
 * The transaction coordinator's shell: owns the {@link TransactionStateMachine}, turns its
 * effects into answers, records appended to `__transaction_state` and markers written to the
 * transactions' partitions, wakes it at its next deadline, and loads `__transaction_state` at
 * start (or once FindCoordinator has created it). The broker gives it the topic, the markers
 * writer and producer ids; it knows nothing of logs or sockets.
 *
 * @module
 */
import type { Clock } from "../../internal/clock.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import {
  type InitResult,
  type ReplyId,
  type TopicPartition,
  TransactionStateMachine,
  type TxnConfig,
  type TxnEffect,
} from "./state_machine.ts";
import {
  decodeTransactionLogKey,
  decodeTransactionLogValue,
  encodeTransactionLogKey,
  encodeTransactionLogValue,
} from "./transaction_log.ts";

/** The transaction state topic's name. */
export const TRANSACTION_STATE_TOPIC = "__transaction_state";

/** `__transaction_state` as the coordinator uses it. */
export interface TransactionTopicLog {
  readonly partitionCount: number;
  /** Whether the topic exists (its partitions can be loaded). */
  exists(): boolean;
  /** Appends a batch; rejects with an error carrying Kafka's `errorCode` when it cannot. */
  append(partition: number, batch: Uint8Array): Promise<void>;
  /** The partition's batches from its start, in order. */
  readAll(partition: number): AsyncIterable<Uint8Array>;
  /** The partition's leader epoch: the coordinator epoch its markers carry. */
  coordinatorEpoch(partition: number): number;
}

/** A request to write one transaction's markers. */
export type MarkerRequest = Extract<TxnEffect, { type: "markers" }>;

/** What the coordinator is built from. */
export interface TransactionCoordinatorOptions {
  config: TxnConfig;
  clock: Clock;
  log: TransactionTopicLog;
  /** Fresh producer ids (the broker's ProducerIdManager). */
  producerIds: { generateProducerId(): Promise<number> };
  /** Writes the markers to every partition; resolves with 0 when all are written. */
  writeMarkers: (m: MarkerRequest) => Promise<number>;
  /** Creates `__transaction_state` if needed; true once it exists and this broker leads it. */
  ensureTopic: () => Promise<boolean>;
  /** null: no timers (tests call runTimers). */
  timers?: { set(ms: number, fire: () => void): number; clear(h: number): void } | null;
  /** Where failures that no client sees go. */
  warn?: (message: string) => void;
}

const realTimers = {
  set(ms: number, fire: () => void): number {
    const t = Number(setTimeout(fire, Math.max(0, Math.min(ms, 2 ** 31 - 1))));
    Deno.unrefTimer(t);
    return t;
  },
  clear: (h: number) => clearTimeout(h),
};

/**
 * The transaction coordinator of one broker.
 *
 * @example
 * ```ts ignore
 * const txns = new TransactionCoordinator({ config, clock, log, producerIds, writeMarkers, ensureTopic });
 * await txns.start();
 * await txns.initProducerId("tx", 60000, null); // { errorCode: 0, producerId: 1000, producerEpoch: 0 }
 * ```
 */
export class TransactionCoordinator {
  readonly machine: TransactionStateMachine;
  readonly #o: TransactionCoordinatorOptions;
  readonly #replies = new Map<ReplyId, (e: Extract<TxnEffect, { type: "reply" }>) => void>();
  readonly #timers: TransactionCoordinatorOptions["timers"];
  #nextId = 1;
  #loaded: Promise<void> | undefined;
  #timer: number | undefined;
  #stopped = false;

  constructor(o: TransactionCoordinatorOptions) {
    this.#o = o;
    this.machine = new TransactionStateMachine(o.config, o.clock.now());
    this.#timers = o.timers === undefined ? realTimers : o.timers;
  }

  /** Loads `__transaction_state` if it exists (else it is loaded once created). */
  async start(): Promise<void> {
    if (this.#o.log.exists()) await this.#load();
    this.#reschedule();
  }

  /** Stops the timers. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers?.clear(this.#timer);
    this.#timer = undefined;
  }

  /** FindCoordinator for a transactional id: creates and loads the topic on first use. */
  async ready(): Promise<boolean> {
    if (!(await this.#o.ensureTopic())) return false;
    await this.#load();
    return true;
  }

  /** The `__transaction_state` partition of a transactional id. */
  partitionFor(transactionalId: string): number {
    return this.machine.partitionFor(transactionalId);
  }

  /** InitProducerId with a transactional id. */
  async initProducerId(
    transactionalId: string,
    timeoutMs: number,
    expected: { producerId: number; producerEpoch: number } | null,
  ): Promise<InitResult> {
    let fresh: number | undefined;
    if (this.machine.owns(transactionalId) && this.machine.wantsProducerId(transactionalId)) {
      try {
        fresh = await this.#o.producerIds.generateProducerId();
      } catch {
        return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, producerId: -1, producerEpoch: -1 };
      }
    }
    const r = await this.#call((id) =>
      this.machine.initProducerId(
        id,
        this.#o.clock.now(),
        transactionalId,
        timeoutMs,
        expected,
        fresh,
      )
    );
    return {
      errorCode: r.errorCode,
      producerId: r.errorCode === ErrorCode.NONE ? r.producerId ?? -1 : -1,
      producerEpoch: r.errorCode === ErrorCode.NONE ? r.producerEpoch ?? -1 : -1,
    };
  }

  /** AddPartitionsToTxn / AddOffsetsToTxn: one error code for all the partitions. */
  async addPartitions(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    partitions: readonly TopicPartition[],
  ): Promise<number> {
    const now = this.#o.clock.now();
    const r = await this.#call((id) =>
      this.machine.addPartitions(id, now, transactionalId, producerId, producerEpoch, partitions)
    );
    return r.errorCode;
  }

  /** EndTxn. */
  async endTxn(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    commit: boolean,
  ): Promise<number> {
    const now = this.#o.clock.now();
    const r = await this.#call((id) =>
      this.machine.endTxn(id, now, transactionalId, producerId, producerEpoch, commit)
    );
    return r.errorCode;
  }

  /** Runs what is due at the clock's time (the timer calls it; tests may). */
  runTimers(): void {
    this.#timer = undefined;
    this.#apply(this.machine.tick(this.#o.clock.now()));
    this.#reschedule();
  }

  #load(): Promise<void> {
    return this.#loaded ??= (async () => {
      const m = this.machine;
      // The topic's own partition count wins over the setting (it may have been created before).
      m.config.partitionCount = this.#o.log.partitionCount;
      for (let p = 0; p < this.#o.log.partitionCount; p++) m.beginLoading(p);
      for (let p = 0; p < this.#o.log.partitionCount; p++) {
        for await (const bytes of this.#o.log.readAll(p)) {
          for (const e of scanEntries(bytes).entries) {
            const batch = new RecordBatch(bytes.subarray(e.position, e.position + e.sizeInBytes));
            for (const r of batch.records()) {
              if (r.key === null) continue;
              m.loadRecord(p, decodeTransactionLogKey(r.key), decodeTransactionLogValue(r.value));
            }
          }
        }
        this.#apply(m.finishLoading(p, this.#o.log.coordinatorEpoch(p), this.#o.clock.now()));
      }
    })().catch((e) => {
      this.#loaded = undefined;
      throw e;
    });
  }

  #call(run: (id: ReplyId) => TxnEffect[]): Promise<Extract<TxnEffect, { type: "reply" }>> {
    const id = this.#nextId++;
    const answer = new Promise<Extract<TxnEffect, { type: "reply" }>>((resolve) => {
      this.#replies.set(id, resolve);
    });
    this.#apply(run(id));
    this.#reschedule();
    return answer;
  }

  #apply(effects: TxnEffect[]): void {
    for (const e of effects) {
      if (e.type === "reply") {
        const k = this.#replies.get(e.id);
        this.#replies.delete(e.id);
        k?.(e);
      } else if (e.type === "append") {
        const batch = buildRecordBatch({
          records: [{
            timestamp: this.#o.clock.now(),
            key: encodeTransactionLogKey(e.transactionalId),
            value: e.value === null ? null : encodeTransactionLogValue(e.value),
          }],
        });
        this.#o.log.append(e.partition, batch).then(
          () => ErrorCode.NONE,
          (err: unknown) => {
            this.#o.warn?.(`Appending to ${TRANSACTION_STATE_TOPIC}-${e.partition} failed: ${err}`);
            return errorCodeOf(err);
          },
        ).then((code) => this.#done(this.machine.appendDone(e.token, code, this.#o.clock.now())));
      } else {
        this.#o.writeMarkers(e).catch((err: unknown) => {
          this.#o.warn?.(`Writing markers of ${e.transactionalId} failed: ${err}`);
          return errorCodeOf(err);
        }).then((code) => this.#done(this.machine.markersDone(e.token, code, this.#o.clock.now())));
      }
    }
  }

  #done(effects: TxnEffect[]): void {
    this.#apply(effects);
    this.#reschedule();
  }

  #reschedule(): void {
    if (this.#stopped || this.#timers === null || this.#timers === undefined) return;
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    const delay = this.machine.nextDeadline() - this.#o.clock.now();
    this.#timer = this.#timers.set(delay, () => this.runTimers());
  }
}

function errorCodeOf(err: unknown): number {
  const code = (err as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === "number" ? code : ErrorCode.UNKNOWN_SERVER_ERROR;
}
