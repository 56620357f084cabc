/**
 * Group membership as Kafka 2.8's Java consumer speaks it (ConsumerCoordinator): FindCoordinator,
 * JoinGroup with protocol type "consumer" and the range assignor, MEMBER_ID_REQUIRED answered by
 * joining again with the id given, the leader computing every member's assignment from their
 * subscriptions, SyncGroup, Heartbeat every heartbeat.interval.ms (a rebalance or a lost
 * membership sends the member back to join), OffsetFetch / OffsetCommit for the group, and
 * LeaveGroup on close.
 *
 * @module
 */
import type { BrokerConnection } from "./broker_connection.ts";
import { isRetriable, type KafkaClient, KafkaError } from "./client.ts";
import {
  CONSUMER_PROTOCOL_TYPE,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type TopicPartitions,
} from "./consumer_protocol.ts";
import { RANGE_ASSIGNOR, rangeAssign } from "./range_assignor.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import { javaException } from "./error_names.ts";
import type { JoinGroupResponse } from "../protocol/messages/join_group.ts";
import type { SyncGroupResponse } from "../protocol/messages/sync_group.ts";
import type { HeartbeatResponse } from "../protocol/messages/heartbeat.ts";
import type { OffsetFetchResponse } from "../protocol/messages/offset_fetch.ts";
import type { OffsetCommitResponse } from "../protocol/messages/offset_commit.ts";
import type { LeaveGroupResponse } from "../protocol/messages/leave_group.ts";

const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const LEAVE_GROUP = 13;
const SYNC_GROUP = 14;
const OFFSET_FETCH = 9;
const OFFSET_COMMIT = 8;
/** Offsets of a transaction not yet committed (KIP-447): the Java client waits and asks again. */
const UNSTABLE_OFFSET_COMMIT = 88;
/** The group error codes (Kafka's numbers) this client reacts to. */
const G = {
  ILLEGAL_GENERATION: 22,
  UNKNOWN_MEMBER_ID: 25,
  REBALANCE_IN_PROGRESS: 27,
  MEMBER_ID_REQUIRED: 79,
} as const;

/** Group settings (the Java consumer's names and 2.8 defaults in comments). */
export interface GroupOptions {
  groupId: string;
  /** session.timeout.ms, 10000 */
  sessionTimeoutMs: number;
  /** max.poll.interval.ms (the rebalance timeout), 300000 */
  rebalanceTimeoutMs: number;
  /** heartbeat.interval.ms, 3000 */
  heartbeatIntervalMs: number;
  /** retry.backoff.ms, 100 */
  retryBackoffMs: number;
}

/** A partition's committed offset. */
export interface Committed {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** "t-0" keys for maps of partitions. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * One member of a consumer group.
 *
 * @example
 * ```ts ignore
 * const m = new GroupMember(client, { groupId: "g", ...defaults });
 * const assigned = await m.join(["t"]);
 * await m.leave();
 * ```
 */
export class GroupMember {
  memberId = "";
  generationId = -1;
  /** True when the coordinator asked for a rejoin (heartbeat said so). */
  needsRejoin = true;
  private coordinator: BrokerConnection | undefined;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private topics: string[] = [];
  private owned: TopicPartitions[] = [];

  constructor(private readonly client: KafkaClient, readonly options: GroupOptions) {}

  private async coord(): Promise<BrokerConnection> {
    if (this.coordinator && !this.coordinator.closed) return this.coordinator;
    this.coordinator = await this.client.coordinator(this.options.groupId);
    return this.coordinator;
  }

  /** Forget the coordinator (NOT_COORDINATOR, a dropped connection): find it again. */
  private lose(): void {
    this.coordinator = undefined;
  }

  /** Joins (or rejoins) the group subscribed to `topics`; the partitions assigned. */
  async join(topics: string[]): Promise<TopicPartitions[]> {
    this.topics = topics;
    this.stopHeartbeats();
    for (;;) {
      const assigned = await this.tryJoin().catch((e) => {
        if (e instanceof KafkaError && isRetriable(e.code)) return undefined;
        if (e instanceof Error && e.name === "BrokerConnectionError") return undefined;
        throw e;
      });
      if (assigned) {
        this.owned = assigned;
        this.needsRejoin = false;
        this.scheduleHeartbeat();
        return assigned;
      }
      this.lose();
      await sleep(this.options.retryBackoffMs);
    }
  }

  private async tryJoin(): Promise<TopicPartitions[] | undefined> {
    const o = this.options;
    const c = await this.coord();
    const metadata = encodeSubscription({
      topics: this.topics,
      userData: null,
      ownedPartitions: this.owned,
    });
    let join: JoinGroupResponse;
    for (;;) {
      join = await c.send<JoinGroupResponse>(JOIN_GROUP, {
        groupId: o.groupId,
        sessionTimeoutMs: o.sessionTimeoutMs,
        rebalanceTimeoutMs: o.rebalanceTimeoutMs,
        memberId: this.memberId,
        groupInstanceId: null,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocols: [{ name: RANGE_ASSIGNOR, metadata }],
      });
      if (join.errorCode === G.MEMBER_ID_REQUIRED) {
        this.memberId = join.memberId;
        continue;
      }
      if (join.errorCode === G.UNKNOWN_MEMBER_ID) {
        this.memberId = "";
        continue;
      }
      if (join.errorCode === G.REBALANCE_IN_PROGRESS) return undefined;
      if (join.errorCode !== ErrorCode.NONE) throw groupError(join.errorCode);
      break;
    }
    this.memberId = join.memberId;
    this.generationId = join.generationId;
    const assignments = join.leader === join.memberId ? await this.assign(join) : [];
    const sync = await c.send<SyncGroupResponse>(SYNC_GROUP, {
      groupId: o.groupId,
      generationId: join.generationId,
      memberId: this.memberId,
      groupInstanceId: null,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocolName: RANGE_ASSIGNOR,
      assignments,
    });
    if (
      sync.errorCode === G.REBALANCE_IN_PROGRESS ||
      sync.errorCode === G.ILLEGAL_GENERATION
    ) return undefined;
    if (sync.errorCode === G.UNKNOWN_MEMBER_ID) {
      this.memberId = "";
      return undefined;
    }
    if (sync.errorCode !== ErrorCode.NONE) throw groupError(sync.errorCode);
    return decodeAssignment(sync.assignment).partitions;
  }

  /** The leader's work: every member's range assignment from the subscriptions. */
  private async assign(
    join: JoinGroupResponse,
  ): Promise<{ memberId: string; assignment: Uint8Array }[]> {
    const subscriptions = new Map<string, string[]>();
    for (const m of join.members) {
      subscriptions.set(m.memberId, decodeSubscription(m.metadata).topics);
    }
    const all = [...new Set([...subscriptions.values()].flat())];
    const md = await this.client.metadata(all);
    const counts: Record<string, number> = {};
    for (const t of md.topics) {
      if (t.errorCode === ErrorCode.NONE) counts[t.name] = t.partitions.length;
    }
    const plan = rangeAssign(counts, subscriptions);
    return [...plan].map(([memberId, partitions]) => ({
      memberId,
      assignment: encodeAssignment({ partitions, userData: null }),
    }));
  }

  private scheduleHeartbeat(): void {
    this.heartbeatTimer = setTimeout(() => this.heartbeat(), this.options.heartbeatIntervalMs);
  }

  private stopHeartbeats(): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private async heartbeat(): Promise<void> {
    try {
      const c = await this.coord();
      const r = await c.send<HeartbeatResponse>(HEARTBEAT, {
        groupId: this.options.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: null,
      });
      if (r.errorCode === G.UNKNOWN_MEMBER_ID) {
        this.memberId = "";
        this.generationId = -1;
      }
      if (r.errorCode !== ErrorCode.NONE) {
        if (r.errorCode === ErrorCode.NOT_COORDINATOR) this.lose();
        this.needsRejoin = true;
        return;
      }
    } catch {
      this.lose();
    }
    if (!this.needsRejoin) this.scheduleHeartbeat();
  }

  /** The group's committed offsets for `partitions` (-1: none). */
  async fetchOffsets(partitions: TopicPartitions[]): Promise<Map<string, Committed>> {
    for (;;) {
      const c = await this.coord();
      const r = await c.send<OffsetFetchResponse>(OFFSET_FETCH, {
        groupId: this.options.groupId,
        topics: partitions.map((tp) => ({ name: tp.topic, partitionIndexes: tp.partitions })),
        requireStable: true,
      });
      const code = r.errorCode ?? ErrorCode.NONE;
      if (isRetriable(code) || code === UNSTABLE_OFFSET_COMMIT) {
        if (code === ErrorCode.NOT_COORDINATOR) this.lose();
        await sleep(this.options.retryBackoffMs);
        continue;
      }
      if (code !== ErrorCode.NONE) throw groupError(code);
      const out = new Map<string, Committed>();
      for (const t of r.topics) {
        for (const p of t.partitions) {
          out.set(tpKey(t.name, p.partitionIndex), {
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch ?? -1,
            metadata: p.metadata,
          });
        }
      }
      return out;
    }
  }

  /** Commits `offsets` (topic → partition → offset) for this generation. */
  async commit(offsets: Map<string, Map<number, number>>): Promise<void> {
    if (offsets.size === 0) return;
    const c = await this.coord();
    const r = await c.send<OffsetCommitResponse>(OFFSET_COMMIT, {
      groupId: this.options.groupId,
      generationIdOrMemberEpoch: this.generationId,
      memberId: this.memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [...offsets].map(([name, parts]) => ({
        name,
        partitions: [...parts].map(([partitionIndex, committedOffset]) => ({
          partitionIndex,
          committedOffset,
          committedLeaderEpoch: -1,
          commitTimestamp: -1,
          committedMetadata: "",
        })),
      })),
    });
    for (const t of r.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === ErrorCode.NONE) continue;
        if (
          p.errorCode === G.REBALANCE_IN_PROGRESS ||
          p.errorCode === G.ILLEGAL_GENERATION ||
          p.errorCode === G.UNKNOWN_MEMBER_ID
        ) this.needsRejoin = true;
        throw groupError(p.errorCode);
      }
    }
  }

  /** LeaveGroup (members who never joined send nothing), then stop heartbeats. */
  async leave(): Promise<void> {
    this.stopHeartbeats();
    if (this.memberId === "" || this.generationId < 0) return;
    try {
      const c = await this.coord();
      await c.send<LeaveGroupResponse>(LEAVE_GROUP, {
        groupId: this.options.groupId,
        memberId: this.memberId,
        members: [{ memberId: this.memberId, groupInstanceId: null }],
      });
    } catch { /* leaving is best effort, as in the Java client */ }
    this.memberId = "";
    this.generationId = -1;
  }

  /** Stops heartbeats without leaving. */
  close(): void {
    this.stopHeartbeats();
  }
}

/** A group error as the Java exception it becomes. */
export function groupError(code: number): KafkaError {
  const ex = javaException(code);
  const e = new KafkaError(code, ex.message);
  e.name = ex.className;
  return e;
}
