/**
 * The broker's partitions as the data APIs see them (Kafka's ReplicaManager, for a broker that
 * leads every partition it hosts): appends with acks, reads bounded by the high watermark, and
 * the fetches that wait for data (Kafka's fetch purgatory). The Produce, Fetch, ListOffsets,
 * OffsetForLeaderEpoch and DeleteRecords handlers call it; the group coordinator appends to
 * `__consumer_offsets` through it too, so a consumer of that topic wakes up as any other.
 *
 * It reaches logs through {@link LogSource}, a narrow view of kafka/log's PartitionLog, so the
 * data path can be tested with logs in memory and does not care how segments are kept.
 *
 * @module
 */
import type { Clock } from "../../internal/clock.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import { RecordsError } from "../protocol/records/errors.ts";
import { ProducerStateError } from "../log/producer_state.ts";
import type { BrokerState, PartitionState } from "./broker_state.ts";

/** What an append gives back. */
export interface AppendInfo {
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** The broker's time stamped on the records (LogAppendTime topics), else -1. */
  readonly logAppendTime: number;
  readonly logStartOffset: number;
}

/** What a read gives back. */
export interface ReadInfo {
  /** Whole batches from the one holding the fetch offset. */
  readonly records: Uint8Array;
  readonly highWatermark: number;
  readonly logStartOffset: number;
}

/** A partition's log, as the data APIs use it (kafka/log's PartitionLog satisfies it). */
export interface LogView {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  /** The last stable offset (read_committed's bound); the high watermark when absent. */
  readonly lastStableOffset?: number;
  /** Aborted transactions overlapping [fetchOffset, upperBoundOffset), for read_committed. */
  abortedTransactions?(
    fetchOffset: number,
    upperBoundOffset: number,
  ): { producerId: number; firstOffset: number }[];
  appendAsLeader(
    records: Uint8Array,
    leaderEpoch: number,
    origin?: "client" | "coordinator",
  ): Promise<AppendInfo>;
  read(
    fetchOffset: number,
    maxBytes: number,
    o: { minOneMessage: boolean; maxOffset?: number; pooled?: boolean },
  ): Promise<ReadInfo>;
  offsetForTimestamp(
    ts: number,
  ): Promise<{ offset: number; timestamp: number; leaderEpoch?: number } | undefined>;
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: number };
  deleteRecordsBefore(offset: number): Promise<number>;
}

/** Where the logs are. */
export interface LogSource {
  get(topic: string, partition: number): LogView | undefined;
}

/** A partition this broker leads, with its log. */
export interface LedPartition {
  readonly state: PartitionState;
  readonly log: LogView;
  readonly isInternal: boolean;
}

/** An error code with Apache's message. */
export interface PartitionError {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/** The outcome of one partition's append: the append's info, or its error. */
export type AppendOutcome =
  | { readonly ok: true; readonly info: AppendInfo }
  | {
    readonly ok: false;
    readonly errorCode: number;
    readonly errorMessage: string | null;
    readonly recordErrors: readonly { batchIndex: number; message: string }[];
  };

/** A fetch waiting for data: done when enough bytes arrived on its partitions, or at its time. */
interface WaitingFetch {
  readonly logs: readonly LogView[];
  bytesNeeded: number;
  readonly wake: () => void;
}

/**
 * The data path of a single broker: see the module doc.
 *
 * @example
 * ```ts ignore
 * const rm = new ReplicaManager(state, logManager, systemClock);
 * const out = await rm.append("t", 0, records, -1);
 * ```
 */
export class ReplicaManager {
  /** Fetches waiting for data; few (one per idle consumer), so a list scanned on append. */
  private waiting: WaitingFetch[] = [];

  constructor(
    private readonly state: BrokerState,
    private readonly logs: LogSource,
    readonly clock: Clock,
  ) {}

  /**
   * The partition if this broker leads it and hosts its log; otherwise the error Kafka answers
   * (UNKNOWN_TOPIC_OR_PARTITION for a topic or partition it does not know, NOT_LEADER_OR_FOLLOWER
   * when another broker leads, LEADER_NOT_AVAILABLE while the log is being created).
   */
  partition(topic: string, partition: number): LedPartition | PartitionError {
    const t = this.state.topics.get(topic);
    const p = t?.partitions[partition];
    if (!t || !p || p.partition !== partition) {
      return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
    }
    if (p.leader !== this.state.brokerId) {
      return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: null };
    }
    const log = this.logs.get(topic, partition);
    if (!log) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: null };
    return { state: p, log, isInternal: t.isInternal };
  }

  /**
   * Appends a partition's records as leader. Resolves once the log has them as its flush
   * settings promise (on one broker acks=1 and acks=all wait for the same thing), then wakes the
   * fetches waiting on that partition.
   */
  async append(
    topic: string,
    partition: number,
    records: Uint8Array,
    acks: number,
    origin: "client" | "coordinator" = "client",
  ): Promise<AppendOutcome> {
    const p = this.partition(topic, partition);
    if ("errorCode" in p) return { ok: false, ...p, recordErrors: [] };
    if (p.isInternal && origin === "client") {
      return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${topic}`);
    }
    if (acks === -1 && p.state.isr.length < this.minInsyncReplicas(topic)) {
      return fail(
        ErrorCode.NOT_ENOUGH_REPLICAS,
        `The size of the current ISR Set(${p.state.isr.join(", ")}) is insufficient to ` +
          `satisfy the min.isr requirement of ${this.minInsyncReplicas(topic)} for partition ` +
          `${topic}-${partition}`,
      );
    }
    let info: AppendInfo;
    try {
      info = await p.log.appendAsLeader(records, p.state.leaderEpoch, origin);
    } catch (e) {
      if (e instanceof RecordsError) {
        return {
          ok: false,
          errorCode: e.code,
          // 2.8.2 answers producer state errors (sequence, epoch, txn state) without a message.
          errorMessage: e instanceof ProducerStateError ? null : e.message,
          recordErrors: e.recordErrors,
        };
      }
      throw e;
    }
    this.appended(p.log, records.length);
    return { ok: true, info };
  }

  /** min.insync.replicas of a topic; the log config keeps it, 1 until configs are wired. */
  minInsyncReplicasOf: (topic: string) => number = () => 1;

  private minInsyncReplicas(topic: string): number {
    return this.minInsyncReplicasOf(topic);
  }

  /** Wakes the waiting fetches that read `log` and now have enough bytes. */
  private appended(log: LogView, bytes: number): void {
    if (this.waiting.length === 0) return;
    const still: WaitingFetch[] = [];
    for (const w of this.waiting) {
      if (w.logs.includes(log)) w.bytesNeeded -= bytes;
      if (w.bytesNeeded <= 0) w.wake();
      else still.push(w);
    }
    this.waiting = still;
  }

  /**
   * Waits until `bytesNeeded` more bytes are appended to any of `logs`, or `maxWaitMs` passed,
   * or `abort` fires (the connection closed). Resolves either way: the caller reads again.
   */
  waitForData(
    logs: readonly LogView[],
    bytesNeeded: number,
    maxWaitMs: number,
  ): Promise<void> {
    if (bytesNeeded <= 0 || maxWaitMs <= 0 || logs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(w);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve();
      }, maxWaitMs);
      const w: WaitingFetch = {
        logs,
        bytesNeeded,
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiting.push(w);
    });
  }

  /** Wakes every waiting fetch (shutdown). */
  wakeAll(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) f.wake();
  }
}

function fail(errorCode: number, errorMessage: string): AppendOutcome {
  return { ok: false, errorCode, errorMessage, recordErrors: [] };
}
