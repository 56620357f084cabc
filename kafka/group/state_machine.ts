/**
 * The whole group coordinator as a pure state machine: the membership rules of membership.ts,
 * plus committed offsets (OffsetCommit/OffsetFetch, offsets.retention.minutes expiry),
 * group administration (DescribeGroups, ListGroups, DeleteGroups, OffsetDelete) and loading
 * `__consumer_offsets` back at start. Apache 2.8.2's GroupCoordinator and GroupMetadataManager
 * are the reference for every rule and error code.
 *
 * @module
 */
import type { Clock } from "../../internal/clock.ts";
import { javaPropertiesOrder } from "../../internal/java_hash.ts";
import type { GroupCoordinatorConfig } from "./config.ts";
import type { Effect, OffsetDeleteResult } from "./effects.ts";
import { ErrorCode, storeError } from "./errors.ts";
import {
  type CommittedOffset,
  computeSubscribedTopics,
  type Group,
  type GroupState,
  isSubscribedTo,
  type Member,
  metadataFor,
  newGroup,
  type ReplyId,
  tpKey,
  transition,
} from "./group.ts";
import { MembershipMachine, type StateMachineOptions } from "./membership.ts";
import {
  groupMetadataKey,
  type GroupRecord,
  offsetCommitKey,
  offsetCommitValue,
  type OffsetsTopicEntry,
  type OffsetsTopicRecord,
} from "./records.ts";

/** One partition's offset in an OffsetCommit. */
export interface OffsetCommitEntry {
  topic: string;
  partition: number;
  offset: number;
  /** -1 when the client did not say (before OffsetCommit v6). */
  leaderEpoch: number;
  /** null is stored as "". */
  metadata: string | null;
  commitTimestamp: number;
  /** Set from a v2–v4 retention time; null otherwise. */
  expireTimestamp: number | null;
}

/** An OffsetCommit. A generation below 0 is a commit outside group management. */
export interface CommitInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  offsets: OffsetCommitEntry[];
}

/** A partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** One partition's answer to OffsetFetch (-1 and "" when nothing is committed). */
export interface FetchedOffset extends TopicPartition {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  errorCode: number;
}

/** OffsetFetch's answer; `errorCode` set means the partitions are left out. */
export interface FetchResult {
  errorCode: number;
  offsets: FetchedOffset[];
}

/** A member as DescribeGroups shows it (metadata and assignment only when Stable). */
export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  metadata: Uint8Array;
  assignment: Uint8Array;
}

/** One group of a DescribeGroups answer. */
export interface GroupDescription {
  errorCode: number;
  groupId: string;
  state: string;
  protocolType: string;
  protocolData: string;
  members: DescribedMember[];
}

/** One group of a ListGroups answer. */
export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: GroupState;
}

/** The full coordinator state machine. */
export class GroupStateMachine extends MembershipMachine {
  #loadingGroups = new Map<number, Map<string, GroupRecord | null>>();
  #loadingOffsets = new Map<number, Map<string, Map<string, CommittedOffset>>>();

  constructor(config: GroupCoordinatorConfig, clock: Clock, options: StateMachineOptions = {}) {
    super(config, clock, options);
    this.timers.push(clock.now() + config.offsetsRetentionCheckIntervalMs, { kind: "retention" });
  }

  // ---------------------------------------------------------------- OffsetCommit

  /** OffsetCommit: answered when the offsets are durable (or at once on error). */
  commitOffsets(id: ReplyId, req: CommitInput): Effect[] {
    const all = (code: number): Effect[] => [commitReply(id, req.offsets.map(() => code))];
    const invalid = this.validateGroup(req.groupId, "commit");
    if (invalid !== null) return all(invalid);
    let g = this.groups.get(req.groupId);
    if (g === undefined) {
      // Outside group management (generation -1) the group is created to hold the offsets.
      if (req.generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      g = newGroup(req.groupId, this.clock.now());
      this.groups.set(req.groupId, g);
    }
    if (g.state === "Dead") return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (this.isFenced(g, req.memberId, req.groupInstanceId)) {
      return all(ErrorCode.FENCED_INSTANCE_ID);
    }
    if (req.generationId < 0 && g.state === "Empty") return this.storeOffsets(g, id, req.offsets);
    if (g.state === "CompletingRebalance") return all(ErrorCode.REBALANCE_IN_PROGRESS);
    const m = g.members.get(req.memberId);
    if (m === undefined) return all(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.generationId !== g.generation) return all(ErrorCode.ILLEGAL_GENERATION);
    this.scheduleHeartbeat(g, m, m.sessionTimeoutMs, this.clock.now());
    return this.storeOffsets(g, id, req.offsets);
  }

  /**
   * TxnOffsetCommit (Kafka's handleTxnCommitOffsets): the offsets are written in the producer's
   * transaction and become committed when its COMMIT marker reaches this partition
   * ({@link completeTxn}); answered once written.
   */
  commitTxnOffsets(
    id: ReplyId,
    req: CommitInput & { producerId: number; producerEpoch: number },
  ): Effect[] {
    const all = (code: number): Effect[] => [commitReply(id, req.offsets.map(() => code))];
    const invalid = this.validateGroup(req.groupId, "commit");
    if (invalid !== null) return all(invalid);
    let g = this.groups.get(req.groupId);
    if (g === undefined) {
      g = newGroup(req.groupId, this.clock.now());
      this.groups.set(req.groupId, g);
    }
    if (g.state === "Dead") return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (this.isFenced(g, req.memberId, req.groupInstanceId)) {
      return all(ErrorCode.FENCED_INSTANCE_ID);
    }
    if (req.memberId !== "" && !g.members.has(req.memberId)) {
      return all(ErrorCode.UNKNOWN_MEMBER_ID);
    }
    if (req.generationId >= 0 && req.generationId !== g.generation) {
      return all(ErrorCode.ILLEGAL_GENERATION);
    }
    return this.storeOffsets(g, id, req.offsets, req);
  }

  /**
   * A transaction marker was written to partition `p` of `__consumer_offsets`: the producer's
   * pending transactional offsets there are committed or dropped.
   */
  completeTxn(producerId: number, p: number, commit: boolean): void {
    for (const g of this.groups.values()) {
      if (this.partitionFor(g.groupId) !== p) continue;
      const pending = g.pendingTxnOffsets.get(producerId);
      if (pending === undefined) continue;
      g.pendingTxnOffsets.delete(producerId);
      if (commit && g.state !== "Dead") { for (const [k, c] of pending) g.offsets.set(k, c); }
    }
  }

  /** A loaded transactional offset whose transaction is still open (at start). */
  restorePendingTxnOffset(producerId: number, rec: OffsetsTopicRecord): void {
    if (rec.type !== "offset" || rec.value === null) return;
    let g = this.groups.get(rec.group);
    if (g === undefined) this.groups.set(rec.group, g = newGroup(rec.group, this.clock.now()));
    let m = g.pendingTxnOffsets.get(producerId);
    if (m === undefined) g.pendingTxnOffsets.set(producerId, m = new Map());
    m.set(tpKey(rec.topic, rec.partition), {
      topic: rec.topic,
      partition: rec.partition,
      value: rec.value,
    });
  }

  /** Whether a partition has transactional offsets waiting for their marker (OffsetFetch v7). */
  hasPendingTxnOffsets(groupId: string, topic: string, partition: number): boolean {
    const g = this.groups.get(groupId);
    if (g === undefined) return false;
    const k = tpKey(topic, partition);
    for (const m of g.pendingTxnOffsets.values()) if (m.has(k)) return true;
    return false;
  }

  private storeOffsets(
    g: Group,
    id: ReplyId,
    offsets: OffsetCommitEntry[],
    producer?: { producerId: number; producerEpoch: number },
  ): Effect[] {
    const errors = offsets.map((o) =>
      o.metadata !== null && utf8Length(o.metadata) > this.config.offsetMetadataMaxBytes
        ? ErrorCode.OFFSET_METADATA_TOO_LARGE
        : ErrorCode.NONE
    );
    const valid: CommittedOffset[] = [];
    const entries: OffsetsTopicEntry[] = [];
    offsets.forEach((o, i) => {
      if (errors[i] !== ErrorCode.NONE) return;
      const value = {
        offset: o.offset,
        leaderEpoch: o.leaderEpoch,
        metadata: o.metadata ?? "",
        commitTimestamp: o.commitTimestamp,
        expireTimestamp: o.expireTimestamp,
      };
      valid.push({ topic: o.topic, partition: o.partition, value });
      entries.push({
        key: offsetCommitKey(g.groupId, o.topic, o.partition),
        value: offsetCommitValue(value),
      });
    });
    if (entries.length === 0) return [commitReply(id, errors)];
    if (producer) {
      return [this.append(g.groupId, entries, true, (appendError) => {
        const code = storeError(appendError, true);
        if (code === ErrorCode.NONE && g.state !== "Dead") {
          let m = g.pendingTxnOffsets.get(producer.producerId);
          if (m === undefined) g.pendingTxnOffsets.set(producer.producerId, m = new Map());
          for (const c of valid) m.set(tpKey(c.topic, c.partition), c);
        }
        return [commitReply(id, errors.map((e) => e === ErrorCode.NONE ? code : e))];
      }, { producerId: producer.producerId, producerEpoch: producer.producerEpoch })];
    }
    for (const c of valid) {
      const k = tpKey(c.topic, c.partition);
      g.pendingOffsetCommits.set(k, (g.pendingOffsetCommits.get(k) ?? 0) + 1);
    }
    return [this.append(g.groupId, entries, true, (appendError) => {
      const code = storeError(appendError, true);
      for (const c of valid) {
        const k = tpKey(c.topic, c.partition);
        const n = g.pendingOffsetCommits.get(k)! - 1;
        if (n === 0) g.pendingOffsetCommits.delete(k);
        else g.pendingOffsetCommits.set(k, n);
        if (code === ErrorCode.NONE && g.state !== "Dead") g.offsets.set(k, c);
      }
      return [commitReply(id, errors.map((e) => e === ErrorCode.NONE ? code : e))];
    })];
  }

  // ---------------------------------------------------------------- OffsetFetch

  /** OffsetFetch of `partitions`, or of every committed offset when null. */
  fetchOffsets(groupId: string, partitions: TopicPartition[] | null): FetchResult {
    const invalid = this.validateGroup(groupId, "fetch");
    if (invalid !== null) return { errorCode: invalid, offsets: [] };
    const g = this.groups.get(groupId);
    const known = g === undefined || g.state === "Dead" ? undefined : g;
    if (partitions === null) {
      const offsets = known === undefined ? [] : [...known.offsets.values()].map(fetched);
      return { errorCode: ErrorCode.NONE, offsets };
    }
    return {
      errorCode: ErrorCode.NONE,
      offsets: partitions.map(({ topic, partition }) => {
        const c = known?.offsets.get(tpKey(topic, partition));
        return c === undefined
          ? {
            topic,
            partition,
            offset: -1,
            leaderEpoch: -1,
            metadata: "",
            errorCode: ErrorCode.NONE,
          }
          : fetched(c);
      }),
    };
  }

  // ---------------------------------------------------------------- DescribeGroups, ListGroups

  /** DescribeGroups for one group: a group it does not know is described as Dead. */
  describeGroup(groupId: string): GroupDescription {
    const invalid = this.validateGroup(groupId, "describe");
    const blank = { groupId, protocolType: "", protocolData: "", members: [] };
    if (invalid !== null) return { ...blank, errorCode: invalid, state: "" };
    const g = this.groups.get(groupId);
    if (g === undefined) return { ...blank, errorCode: ErrorCode.NONE, state: "Dead" };
    const stable = g.state === "Stable";
    const member = (m: Member): DescribedMember => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      metadata: stable ? metadataFor(m, g.protocolName) : new Uint8Array(0),
      assignment: stable ? m.assignment : new Uint8Array(0),
    });
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      state: g.state,
      protocolType: g.protocolType ?? "",
      protocolData: stable ? g.protocolName ?? "" : "",
      members: [...g.members.values()].map(member),
    };
  }

  /**
   * ListGroups, filtered by state when `states` is not empty, in the order Apache's group cache
   * (a ConcurrentHashMap) hands them out.
   */
  listGroups(states: readonly string[]): { errorCode: number; groups: ListedGroup[] } {
    const ids = javaPropertiesOrder([...this.groups.keys()]);
    const groups: ListedGroup[] = [];
    for (const id of ids) {
      const g = this.groups.get(id)!;
      if (states.length > 0 && !states.includes(g.state)) continue;
      groups.push({ groupId: id, protocolType: g.protocolType ?? "", state: g.state });
    }
    const errorCode = this.loading.size > 0
      ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS
      : ErrorCode.NONE;
    return { errorCode, groups };
  }

  // ---------------------------------------------------------------- DeleteGroups, OffsetDelete

  /** DeleteGroups: Empty groups (and their offsets) are deleted; answered at once. */
  deleteGroups(id: ReplyId, groupIds: string[]): Effect[] {
    const eligible: Group[] = [];
    const errors = groupIds.map((groupId) => {
      const invalid = this.validateGroup(groupId, "delete");
      if (invalid !== null) return invalid;
      const g = this.groups.get(groupId);
      if (g === undefined || g.state === "Dead") return ErrorCode.GROUP_ID_NOT_FOUND;
      if (g.state !== "Empty") return ErrorCode.NON_EMPTY_GROUP;
      transition(g, "Dead", this.clock.now());
      eligible.push(g);
      return ErrorCode.NONE;
    });
    const appends = this.cleanup(eligible.map((g) => [g, [...g.offsets.values()]]));
    return [{ type: "reply", id, body: { api: "deleteGroups", errors } }, ...appends];
  }

  /** OffsetDelete: offsets of topics the group does not consume are deleted. */
  deleteOffsets(id: ReplyId, groupId: string, partitions: TopicPartition[]): Effect[] {
    const reply = (result: OffsetDeleteResult): Effect => ({
      type: "reply",
      id,
      body: { api: "offsetDelete", result },
    });
    const top = (code: number) => [reply({ errorCode: code, partitionErrors: [] })];
    const invalid = this.validateGroup(groupId, "offsetDelete");
    if (invalid !== null) return top(invalid);
    const g = this.groups.get(groupId);
    if (g === undefined || g.state === "Dead") return top(ErrorCode.GROUP_ID_NOT_FOUND);
    if (g.state !== "Empty" && g.protocolType !== "consumer") return top(ErrorCode.NON_EMPTY_GROUP);
    const partitionErrors = partitions.map((p) =>
      g.state !== "Empty" && isSubscribedTo(g, p.topic)
        ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC
        : ErrorCode.NONE
    );
    const removed: CommittedOffset[] = [];
    partitions.forEach((p, i) => {
      if (partitionErrors[i] !== ErrorCode.NONE) return;
      const c = g.offsets.get(tpKey(p.topic, p.partition));
      if (c !== undefined) removed.push(c);
    });
    const appends = this.cleanup([[g, removed]]);
    return [reply({ errorCode: ErrorCode.NONE, partitionErrors }), ...appends];
  }

  /**
   * Removes `offsets` from their groups and writes their tombstones; a group left Empty without
   * offsets dies, and one that ever had a generation gets a tombstone too (a group used only to
   * store offsets never wrote a metadata record). One batch per offsets partition; the answer does
   * not wait for it (as in Apache).
   */
  private cleanup(work: [Group, CommittedOffset[]][]): Effect[] {
    const byPartition = new Map<number, { groupId: string; entries: OffsetsTopicEntry[] }>();
    const now = this.clock.now();
    for (const [g, offsets] of work) {
      const entries: OffsetsTopicEntry[] = [];
      for (const c of offsets) {
        g.offsets.delete(tpKey(c.topic, c.partition));
        entries.push({ key: offsetCommitKey(g.groupId, c.topic, c.partition), value: null });
      }
      if (g.state === "Empty" && g.offsets.size === 0) transition(g, "Dead", now);
      if (g.state === "Dead" && this.groups.get(g.groupId) === g) {
        this.groups.delete(g.groupId);
        if (g.generation > 0) entries.push({ key: groupMetadataKey(g.groupId), value: null });
      }
      if (entries.length === 0) continue;
      const p = this.partitionFor(g.groupId);
      const batch = byPartition.get(p) ?? { groupId: g.groupId, entries: [] };
      batch.entries.push(...entries);
      byPartition.set(p, batch);
    }
    return [...byPartition.values()].map((b) => this.append(b.groupId, b.entries, false, () => []));
  }

  /** offsets.retention.minutes: drop expired offsets, then groups left Empty with none. */
  protected override expireOffsets(): Effect[] {
    const now = this.clock.now();
    const retention = this.config.offsetsRetentionMs;
    this.timers.push(now + this.config.offsetsRetentionCheckIntervalMs, { kind: "retention" });
    const work: [Group, CommittedOffset[]][] = [];
    for (const g of this.groups.values()) {
      let base: ((c: CommittedOffset) => number) | null = null;
      let subscribed: Set<string> | null = null;
      if (g.protocolType !== null && g.state === "Empty") {
        base = (c) => g.currentStateTimestamp ?? c.value.commitTimestamp;
      } else if (g.protocolType === "consumer" && g.subscribedTopics !== null) {
        base = (c) => c.value.commitTimestamp;
        subscribed = g.subscribedTopics;
      } else if (g.protocolType === null) {
        base = (c) => c.value.commitTimestamp;
      }
      const expired: CommittedOffset[] = [];
      if (base !== null) {
        for (const [k, c] of g.offsets) {
          if (subscribed?.has(c.topic) || g.pendingOffsetCommits.has(k)) continue;
          const e = c.value.expireTimestamp;
          if (e !== null ? now >= e : now - base(c) >= retention) expired.push(c);
        }
      }
      if (expired.length > 0 || (g.state === "Empty" && g.offsets.size === 0)) {
        work.push([g, expired]);
      }
    }
    return this.cleanup(work);
  }

  // ---------------------------------------------------------------- loading

  /** Marks partitions of `__consumer_offsets` as loading (their groups answer LOAD_IN_PROGRESS). */
  beginLoading(partitions: Iterable<number>): void {
    for (const p of partitions) {
      this.loading.add(p);
      this.#loadingGroups.set(p, new Map());
      this.#loadingOffsets.set(p, new Map());
    }
  }

  /** One record read back from partition `p`, in log order (a later one replaces an earlier). */
  loadRecord(p: number, rec: OffsetsTopicRecord): void {
    const groups = this.#loadingGroups.get(p);
    const offsets = this.#loadingOffsets.get(p);
    if (groups === undefined || offsets === undefined) {
      throw new Error(`partition ${p} of __consumer_offsets is not loading`);
    }
    if (rec.type === "group") {
      groups.set(rec.group, rec.value);
      return;
    }
    let of = offsets.get(rec.group);
    if (of === undefined) offsets.set(rec.group, of = new Map());
    const k = tpKey(rec.topic, rec.partition);
    if (rec.value === null) of.delete(k);
    else of.set(k, { topic: rec.topic, partition: rec.partition, value: rec.value });
  }

  /** Partition `p` is read: its groups come alive, members' sessions start now. */
  finishLoading(p: number): Effect[] {
    const groups = this.#loadingGroups.get(p) ?? new Map<string, GroupRecord | null>();
    const offsets = this.#loadingOffsets.get(p) ?? new Map<string, Map<string, CommittedOffset>>();
    this.#loadingGroups.delete(p);
    this.#loadingOffsets.delete(p);
    this.loading.delete(p);
    const now = this.clock.now();
    const out: Effect[] = [];
    const ids = new Set([...groups.keys(), ...offsets.keys()]);
    for (const id of ids) {
      const rec = groups.get(id) ?? null;
      const of = offsets.get(id) ?? new Map<string, CommittedOffset>();
      if (rec === null && of.size === 0) continue;
      const g = rec === null ? newGroup(id, now) : this.loadedGroup(id, rec, now);
      g.offsets = of;
      this.groups.set(id, g);
      for (const m of g.members.values()) this.scheduleHeartbeat(g, m, m.sessionTimeoutMs, now);
      if (g.members.size > this.config.groupMaxSize) {
        out.push(...this.rebalanceOversized(g));
      }
    }
    return out;
  }

  private loadedGroup(id: string, rec: GroupRecord, now: number): Group {
    const g = newGroup(id, now);
    g.generation = rec.generation;
    g.protocolType = rec.protocolType === "" ? null : rec.protocolType;
    g.protocolName = rec.protocol;
    g.leaderId = rec.leader;
    g.currentStateTimestamp = rec.currentStateTimestamp === -1 ? null : rec.currentStateTimestamp;
    for (const r of rec.members) {
      g.members.set(r.memberId, {
        memberId: r.memberId,
        groupInstanceId: r.groupInstanceId,
        clientId: r.clientId,
        clientHost: r.clientHost,
        rebalanceTimeoutMs: r.rebalanceTimeoutMs,
        sessionTimeoutMs: r.sessionTimeoutMs,
        protocolType: rec.protocolType,
        protocols: [{ name: rec.protocol ?? "", metadata: r.subscription }],
        assignment: r.assignment,
        awaitingJoin: null,
        awaitingSync: null,
        isNew: false,
        heartbeatDeadline: null,
        heartbeatSeq: 0,
      });
      if (r.groupInstanceId !== null) g.staticMembers.set(r.groupInstanceId, r.memberId);
    }
    g.state = g.members.size === 0 ? "Empty" : "Stable";
    g.subscribedTopics = computeSubscribedTopics(g);
    return g;
  }

  /** A group loaded above group.max.size rebalances so the excess members are dropped. */
  private rebalanceOversized(g: Group): Effect[] {
    return this.maybePrepareRebalance(g);
  }
}

function commitReply(id: ReplyId, errors: number[]): Effect {
  return { type: "reply", id, body: { api: "commit", errors } };
}

function fetched(c: CommittedOffset): FetchedOffset {
  return {
    topic: c.topic,
    partition: c.partition,
    offset: c.value.offset,
    leaderEpoch: c.value.leaderEpoch,
    metadata: c.value.metadata,
    errorCode: ErrorCode.NONE,
  };
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}
