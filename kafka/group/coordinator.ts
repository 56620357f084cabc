/**
 * The group coordinator's shell: owns the {@link GroupStateMachine}, turns its effects into
 * promises answered and batches appended to `__consumer_offsets`, wakes it at its next
 * deadline, and loads every partition at start (one broker coordinates every group).
 *
 * @module
 */
import { type Clock, systemClock } from "../../internal/clock.ts";
import { CONTROL_MASK, TRANSACTIONAL_MASK } from "../protocol/records/attributes.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { DEFAULT_GROUP_CONFIG, type GroupCoordinatorConfig } from "./config.ts";
import type {
  Effect,
  JoinResult,
  LeaveResult,
  OffsetDeleteResult,
  ReplyBody,
  SyncResult,
} from "./effects.ts";
import { ErrorCode } from "./errors.ts";
import type { ReplyId } from "./group.ts";
import type { HeartbeatInput, JoinInput, LeaveInput, SyncInput } from "./membership.ts";
import { bodyOf } from "./membership.ts";
import type { OffsetsTopicLog } from "./offsets_topic_log.ts";
import {
  buildOffsetsTopicBatch,
  decodeOffsetsTopicRecord,
  type OffsetsTopicRecord,
} from "./records.ts";
import { decodeEndTxnMarker } from "../protocol/records/control.ts";
import {
  type CommitInput,
  type FetchResult,
  type GroupDescription,
  GroupStateMachine,
  type ListedGroup,
  type TopicPartition,
} from "./state_machine.ts";

/** Where the shell's timers come from (setTimeout by default; tests fire them by hand). */
export interface TimerScheduler {
  set(delayMs: number, fire: () => void): number;
  clear(handle: number): void;
}

/** The default scheduler: unref'd setTimeout, so a pending timer never keeps a process alive. */
export const realTimers: TimerScheduler = {
  set(delayMs, fire) {
    const t = Number(setTimeout(fire, Math.max(0, Math.min(delayMs, 2 ** 31 - 1))));
    Deno.unrefTimer(t);
    return t;
  },
  clear: (h) => clearTimeout(h),
};

/** What the coordinator is built from. */
export interface GroupCoordinatorOptions {
  /** `__consumer_offsets` (its partitionCount wins over the config's). */
  log: OffsetsTopicLog;
  config?: Partial<GroupCoordinatorConfig>;
  clock?: Clock;
  /** null: no automatic timers; call {@link GroupCoordinator.runTimers} after moving the clock. */
  timers?: TimerScheduler | null;
  /**
   * Makes sure `__consumer_offsets` exists (creating it if needed); resolves true once it is
   * ready. FindCoordinator answers COORDINATOR_NOT_AVAILABLE until then, as Apache does.
   */
  ensureOffsetsTopic?: () => Promise<boolean>;
  /** For repeatable member ids in tests. */
  newUuid?: () => string;
}

/**
 * The group coordinator of one broker.
 *
 * @example
 * ```ts
 * import { GroupCoordinator, MemoryOffsetsTopicLog } from "./mod.ts";
 * const groups = new GroupCoordinator({ log: new MemoryOffsetsTopicLog(50) });
 * await groups.start();
 * groups.listGroups([]).groups.length; // 0
 * groups.stop();
 * ```
 */
export class GroupCoordinator {
  readonly machine: GroupStateMachine;
  readonly #log: OffsetsTopicLog;
  readonly #timers: TimerScheduler | null;
  readonly #ensure: () => Promise<boolean>;
  readonly #pending = new Map<ReplyId, (body: ReplyBody) => void>();
  #nextId = 1;
  #timer: number | null = null;
  #timerAt = Infinity;
  #stopped = false;
  #topicReady = false;

  constructor(o: GroupCoordinatorOptions) {
    this.#log = o.log;
    const config = {
      ...DEFAULT_GROUP_CONFIG,
      ...o.config,
      offsetsTopicPartitions: o.log.partitionCount,
    };
    this.machine = new GroupStateMachine(config, o.clock ?? systemClock, { newUuid: o.newUuid });
    this.#timers = o.timers === undefined ? realTimers : o.timers;
    this.#ensure = o.ensureOffsetsTopic ?? (() => Promise.resolve(true));
  }

  /** Loads every partition of `__consumer_offsets`; groups answer LOAD_IN_PROGRESS meanwhile. */
  async start(): Promise<void> {
    const partitions = [...Array(this.#log.partitionCount).keys()];
    this.machine.beginLoading(partitions);
    for (const p of partitions) {
      const open = new Map<number, OffsetsTopicRecord[]>();
      for await (const bytes of this.#log.readAll(p)) this.#loadBatches(p, bytes, open);
      this.#apply(this.machine.finishLoading(p));
      // Transactional offsets whose marker is not written yet stay pending.
      for (const [producerId, recs] of open) {
        for (const r of recs) this.machine.restorePendingTxnOffset(producerId, r);
      }
    }
    this.#reschedule();
  }

  /**
   * One read of partition `p`: plain records are loaded; a transaction's offsets (TxnOffsetCommit)
   * wait in `open` for its marker, loaded on COMMIT and dropped on ABORT (as Kafka's loader).
   */
  #loadBatches(p: number, bytes: Uint8Array, open: Map<number, OffsetsTopicRecord[]>): void {
    for (const e of scanEntries(bytes).entries) {
      const batch = new RecordBatch(bytes.subarray(e.position, e.position + e.sizeInBytes));
      const h = batch.header;
      if ((h.attributes & CONTROL_MASK) !== 0) {
        const r = batch.records()[0];
        const recs = open.get(h.producerId);
        open.delete(h.producerId);
        if (r && recs && decodeEndTxnMarker(r.key, r.value).type === "COMMIT") {
          for (const rec of recs) this.machine.loadRecord(p, rec);
        }
        continue;
      }
      const txn = (h.attributes & TRANSACTIONAL_MASK) !== 0;
      for (const r of batch.records()) {
        if (r.key === null) continue;
        let rec: OffsetsTopicRecord;
        try {
          rec = decodeOffsetsTopicRecord(r.key, r.value);
        } catch (err) {
          throw new Error(
            `__consumer_offsets-${p} offset ${r.offset}: ${(err as Error).message}`,
            { cause: err },
          );
        }
        if (!txn) this.machine.loadRecord(p, rec);
        else {
          const recs = open.get(h.producerId) ?? [];
          recs.push(rec);
          open.set(h.producerId, recs);
        }
      }
    }
  }

  /** Stops the timers; answers still pending are left unanswered. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#timers?.clear(this.#timer);
    this.#timer = null;
  }

  /** The partition of `__consumer_offsets` that holds `groupId`. */
  partitionFor(groupId: string): number {
    return this.machine.partitionFor(groupId);
  }

  /** Whether FindCoordinator may name this broker (the offsets topic exists). */
  async coordinatorReady(): Promise<boolean> {
    if (!this.#topicReady) this.#topicReady = await this.#ensure();
    return this.#topicReady;
  }

  joinGroup(req: JoinInput): Promise<JoinResult> {
    return this.#call((id) => this.machine.joinGroup(id, req), "join").then((b) => b.result);
  }

  syncGroup(req: SyncInput): Promise<SyncResult> {
    return this.#call((id) => this.machine.syncGroup(id, req), "sync").then((b) => b.result);
  }

  heartbeat(req: HeartbeatInput): number {
    const code = this.machine.heartbeat(req);
    this.#reschedule();
    return code;
  }

  leaveGroup(req: LeaveInput): Promise<LeaveResult> {
    return this.#call((id) => this.machine.leaveGroup(id, req), "leave").then((b) => b.result);
  }

  /** Per-offset error codes, in request order. */
  commitOffsets(req: CommitInput): Promise<number[]> {
    return this.#call((id) => this.machine.commitOffsets(id, req), "commit").then((b) => b.errors);
  }

  /** TxnOffsetCommit: per-offset error codes, in request order. */
  commitTxnOffsets(
    req: CommitInput & { producerId: number; producerEpoch: number },
  ): Promise<number[]> {
    return this.#call((id) => this.machine.commitTxnOffsets(id, req), "commit")
      .then((b) => b.errors);
  }

  /** A transaction marker reached partition `p` of `__consumer_offsets` (WriteTxnMarkers). */
  completeTxn(producerId: number, p: number, commit: boolean): void {
    this.machine.completeTxn(producerId, p, commit);
  }

  fetchOffsets(groupId: string, partitions: TopicPartition[] | null): FetchResult {
    return this.machine.fetchOffsets(groupId, partitions);
  }

  describeGroup(groupId: string): GroupDescription {
    return this.machine.describeGroup(groupId);
  }

  listGroups(states: readonly string[]): { errorCode: number; groups: ListedGroup[] } {
    return this.machine.listGroups(states);
  }

  /** Per-group error codes, in request order. */
  deleteGroups(groupIds: string[]): Promise<number[]> {
    return this.#call((id) => this.machine.deleteGroups(id, groupIds), "deleteGroups")
      .then((b) => b.errors);
  }

  deleteOffsets(groupId: string, partitions: TopicPartition[]): Promise<OffsetDeleteResult> {
    return this.#call((id) => this.machine.deleteOffsets(id, groupId, partitions), "offsetDelete")
      .then((b) => b.result);
  }

  /** Fires the timers due at the clock's time (the scheduler calls it; tests may too). */
  runTimers(): void {
    this.#timer = null;
    this.#timerAt = Infinity;
    this.#apply(this.machine.tick());
    this.#reschedule();
  }

  #call<A extends ReplyBody["api"]>(
    run: (id: ReplyId) => Effect[],
    api: A,
  ): Promise<Extract<ReplyBody, { api: A }>> {
    const id = this.#nextId++;
    const answer = new Promise<Extract<ReplyBody, { api: A }>>((resolve, reject) => {
      this.#pending.set(id, (body) => {
        try {
          resolve(bodyOf(body, api));
        } catch (e) {
          reject(e);
        }
      });
    });
    this.#apply(run(id));
    this.#reschedule();
    return answer;
  }

  #apply(effects: Effect[]): void {
    for (const e of effects) {
      if (e.type === "reply") {
        const k = this.#pending.get(e.id);
        this.#pending.delete(e.id);
        k?.(e.body);
        continue;
      }
      const batch = buildOffsetsTopicBatch(
        e.entries,
        this.machine.clock.now(),
        e.offsetCommit,
        e.producer,
      );
      this.#log.append(e.partition, batch).then(
        () => this.#completed(e.token, ErrorCode.NONE),
        (err: unknown) => this.#completed(e.token, errorCodeOf(err)),
      );
    }
  }

  #completed(token: number, code: number): void {
    this.#apply(this.machine.appendCompleted(token, code));
    this.#reschedule();
  }

  #reschedule(): void {
    if (this.#stopped) return;
    // What is already due fires now (a zero initial delay completes the join at once).
    for (let n = 0; (this.machine.nextDeadline() ?? Infinity) <= this.machine.clock.now(); n++) {
      if (n > 1000) throw new Error("group coordinator timers keep firing at one instant");
      this.#apply(this.machine.tick());
    }
    if (this.#timers === null) return;
    const at = this.machine.nextDeadline();
    if (at === undefined || at >= this.#timerAt) return;
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#timers.set(at - this.machine.clock.now(), () => this.runTimers());
  }
}

function errorCodeOf(err: unknown): number {
  const code = (err as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === "number" ? code : ErrorCode.UNKNOWN_SERVER_ERROR;
}
