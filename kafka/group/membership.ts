/**
 * The group coordinator of Apache Kafka 2.8.2 (GroupCoordinator.scala) as a pure state machine:
 * requests and timer ticks in, {@link Effect}s out (answers, records to append). Time comes from
 * the injected Clock; timers are deadlines the shell asks for with {@link nextDeadline} and
 * fires with {@link tick}. Nothing here touches sockets or files, so tests drive it with a
 * ManualClock and an in-memory log.
 *
 * Membership (JoinGroup/SyncGroup/Heartbeat/LeaveGroup, rebalances, static members) is in this
 * file; offsets and group administration (commit, fetch, expiry, delete, describe, list) in
 * state_machine.ts, which extends it into the whole coordinator.
 *
 * @module
 */
import type { Clock } from "../../internal/clock.ts";
import { javaStringHash } from "../../internal/java_hash.ts";
import { type GroupCoordinatorConfig, NEW_MEMBER_JOIN_TIMEOUT_MS } from "./config.ts";
import { DeadlineHeap } from "./deadlines.ts";
import type { Effect, JoinResult, ReplyBody, SyncResult } from "./effects.ts";
import { ErrorCode, storeError } from "./errors.ts";
import {
  canRebalance,
  computeSubscribedTopics,
  type Group,
  hasAllMembersJoined,
  type Member,
  type MemberProtocol,
  metadataFor,
  newGroup,
  rebalanceTimeoutMs,
  type ReplyId,
  sameProtocols,
  selectProtocol,
  supportsProtocols,
  transition,
} from "./group.ts";
import { groupMetadataKey, groupMetadataValue, type OffsetsTopicEntry } from "./records.ts";

/** A JoinGroup as the coordinator needs it (KafkaApis has already resolved the version). */
export interface JoinInput {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  /** As Apache writes it: "/" + the client's address. */
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  /** v4+: a new member is first handed a member id with MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
}

/** A SyncGroup. `protocolType`/`protocolName` are null before v5. */
export interface SyncInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Uint8Array }[];
}

/** A Heartbeat. */
export interface HeartbeatInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

/** A LeaveGroup (v0–v2 carry one member, v3+ a batch). */
export interface LeaveInput {
  groupId: string;
  members: { memberId: string; groupInstanceId: string | null }[];
}

/** APIs whose group id may be empty (GroupCoordinator.isValidGroupId). */
export type GroupApi =
  | "join"
  | "sync"
  | "heartbeat"
  | "leave"
  | "commit"
  | "fetch"
  | "describe"
  | "delete"
  | "offsetDelete";

type Timer =
  | { kind: "heartbeat"; groupId: string; memberId: string; seq: number }
  | { kind: "pending"; groupId: string; memberId: string; seq: number }
  | { kind: "join"; groupId: string; seq: number }
  | { kind: "retention" };

/** Options that make runs repeatable in tests. */
export interface StateMachineOptions {
  /** Where member ids' random part comes from (crypto.randomUUID by default). */
  newUuid?: () => string;
}

/**
 * The coordinator's state: every group, its timers and its appends in flight.
 *
 * @example
 * ```ts ignore
 * const m = new GroupStateMachine(DEFAULT_GROUP_CONFIG, clock);
 * const effects = m.joinGroup(1, join);
 * ```
 */
export class MembershipMachine {
  /** Groups by id. */
  readonly groups: Map<string, Group> = new Map();
  /** Partitions of `__consumer_offsets` still being loaded. */
  readonly loading: Set<number> = new Set();
  protected readonly timers: DeadlineHeap<Timer> = new DeadlineHeap();
  readonly #appends = new Map<number, (errorCode: number) => Effect[]>();
  #nextToken = 1;
  #seq = 1;
  readonly #newUuid: () => string;

  constructor(
    readonly config: GroupCoordinatorConfig,
    readonly clock: Clock,
    options: StateMachineOptions = {},
  ) {
    this.#newUuid = options.newUuid ?? (() => crypto.randomUUID());
  }

  /** The partition of `__consumer_offsets` holding `groupId` (Utils.abs(hashCode) % count). */
  partitionFor(groupId: string): number {
    const h = javaStringHash(groupId);
    return (h === -2147483648 ? 0 : Math.abs(h)) % this.config.offsetsTopicPartitions;
  }

  /** The earliest timer, for the shell to wake up at (undefined: none). */
  nextDeadline(): number | undefined {
    return this.timers.peek();
  }

  /** Fires every timer due at the clock's time. */
  tick(): Effect[] {
    const now = this.clock.now();
    const out: Effect[] = [];
    for (let t = this.timers.popDue(now); t !== undefined; t = this.timers.popDue(now)) {
      out.push(...this.fire(t));
    }
    return out;
  }

  /** The outcome of an append the machine asked for (NONE, or the Kafka error). */
  appendCompleted(token: number, errorCode: number): Effect[] {
    const k = this.#appends.get(token);
    if (k === undefined) throw new Error(`no append with token ${token} is in flight`);
    this.#appends.delete(token);
    return k(errorCode);
  }

  /** An append effect whose outcome runs `then`. */
  protected append(
    groupId: string,
    entries: OffsetsTopicEntry[],
    offsetCommit: boolean,
    then: (errorCode: number) => Effect[],
    producer?: { producerId: number; producerEpoch: number },
  ): Effect {
    const token = this.#nextToken++;
    this.#appends.set(token, then);
    const partition = this.partitionFor(groupId);
    return { type: "append", token, partition, entries, offsetCommit, producer };
  }

  /** Answers to the members, or null when the group id is not acceptable for `api` right now. */
  protected validateGroup(groupId: string, api: GroupApi): number | null {
    const emptyOk = api === "commit" || api === "fetch" || api === "describe" || api === "delete";
    if (!emptyOk && groupId === "") return ErrorCode.INVALID_GROUP_ID;
    if (this.loading.has(this.partitionFor(groupId))) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    return null;
  }

  // ---------------------------------------------------------------- JoinGroup

  /** JoinGroup: answered at once on error, otherwise when the rebalance completes. */
  joinGroup(id: ReplyId, req: JoinInput): Effect[] {
    const fail = (code: number, memberId = req.memberId) => [
      joinReply(id, joinError(memberId, code)),
    ];
    const invalid = this.validateGroup(req.groupId, "join");
    if (invalid !== null) return fail(invalid);
    const c = this.config;
    if (
      req.sessionTimeoutMs < c.groupMinSessionTimeoutMs ||
      req.sessionTimeoutMs > c.groupMaxSessionTimeoutMs
    ) return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    const unknown = req.memberId === "";
    let g = this.groups.get(req.groupId);
    if (g === undefined) {
      if (!unknown) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      g = newGroup(req.groupId, this.clock.now());
      this.groups.set(req.groupId, g);
    }
    const out: Effect[] = [];
    if (!this.acceptJoiningMember(g, req.memberId)) {
      const m = g.members.get(req.memberId);
      if (m !== undefined) out.push(...this.removeMember(g, m, ErrorCode.GROUP_MAX_SIZE_REACHED));
      out.push(joinReply(id, joinError("", ErrorCode.GROUP_MAX_SIZE_REACHED)));
      return out;
    }
    out.push(...(unknown ? this.joinUnknown(g, id, req) : this.joinKnown(g, id, req)));
    if (g.state === "PreparingRebalance") out.push(...this.tryCompleteJoin(g));
    return out;
  }

  private acceptJoiningMember(g: Group, memberId: string): boolean {
    const max = this.config.groupMaxSize;
    switch (g.state) {
      case "Empty":
      case "Dead":
        return true;
      case "PreparingRebalance":
        return (g.members.get(memberId)?.awaitingJoin ?? null) !== null ||
          g.numMembersAwaitingJoin < max;
      default:
        return g.members.has(memberId) || g.members.size < max;
    }
  }

  private joinUnknown(g: Group, id: ReplyId, req: JoinInput): Effect[] {
    if (g.state === "Dead") {
      return [joinReply(id, joinError("", ErrorCode.COORDINATOR_NOT_AVAILABLE))];
    }
    if (!supportsProtocols(g, req.protocolType, req.protocols)) {
      return [joinReply(id, joinError("", ErrorCode.INCONSISTENT_GROUP_PROTOCOL))];
    }
    const memberId = `${req.groupInstanceId ?? req.clientId}-${this.#newUuid()}`;
    if (req.groupInstanceId !== null) {
      const existing = g.staticMembers.get(req.groupInstanceId);
      if (existing !== undefined) {
        return this.replaceStaticMember(g, id, existing, memberId, req);
      }
      return this.addMemberAndRebalance(g, id, memberId, req);
    }
    if (req.requireKnownMemberId) {
      const seq = this.#seq++;
      const deadline = this.clock.now() + req.sessionTimeoutMs;
      g.pendingMembers.set(memberId, { deadline, seq });
      this.timers.push(deadline, { kind: "pending", groupId: g.groupId, memberId, seq });
      return [joinReply(id, joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED))];
    }
    return this.addMemberAndRebalance(g, id, memberId, req);
  }

  private joinKnown(g: Group, id: ReplyId, req: JoinInput): Effect[] {
    const fail = (code: number) => [joinReply(id, joinError(req.memberId, code))];
    if (g.state === "Dead") return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (!supportsProtocols(g, req.protocolType, req.protocols)) {
      return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (g.pendingMembers.has(req.memberId)) {
      return this.addMemberAndRebalance(g, id, req.memberId, req);
    }
    if (this.isFenced(g, req.memberId, req.groupInstanceId)) {
      return fail(ErrorCode.FENCED_INSTANCE_ID);
    }
    const m = g.members.get(req.memberId);
    const instanceUnknown = req.groupInstanceId !== null &&
      !g.staticMembers.has(req.groupInstanceId);
    if (m === undefined || instanceUnknown) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    switch (g.state) {
      case "PreparingRebalance":
        return this.updateMemberAndRebalance(g, m, id, req);
      case "CompletingRebalance":
        if (sameProtocols(m, req.protocols)) {
          // It missed the answer: send this generation's again.
          return [joinReply(id, this.joinAnswer(g, m))];
        }
        return this.updateMemberAndRebalance(g, m, id, req);
      case "Stable":
        // The leader's rejoin forces a rebalance (metadata changes only it can see).
        if (g.leaderId === m.memberId || !sameProtocols(m, req.protocols)) {
          return this.updateMemberAndRebalance(g, m, id, req);
        }
        return [joinReply(id, { ...this.joinAnswer(g, m), members: [] })];
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  private addMemberAndRebalance(g: Group, id: ReplyId, memberId: string, req: JoinInput): Effect[] {
    const now = this.clock.now();
    const m: Member = {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      assignment: new Uint8Array(0),
      awaitingJoin: null,
      awaitingSync: null,
      isNew: true,
      heartbeatDeadline: null,
      heartbeatSeq: 0,
    };
    if (g.state === "PreparingRebalance" && g.generation === 0) g.newMemberAdded = true;
    g.members.set(memberId, m);
    g.leaderId ??= memberId;
    g.protocolType ??= req.protocolType;
    m.awaitingJoin = id;
    g.numMembersAwaitingJoin++;
    this.scheduleHeartbeat(g, m, NEW_MEMBER_JOIN_TIMEOUT_MS, now);
    if (m.groupInstanceId !== null) g.staticMembers.set(m.groupInstanceId, memberId);
    else g.pendingMembers.delete(memberId);
    return this.maybePrepareRebalance(g);
  }

  private updateMemberAndRebalance(g: Group, m: Member, id: ReplyId, req: JoinInput): Effect[] {
    const out = this.setAwaitingJoin(g, m, id);
    m.protocols = req.protocols;
    m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    m.sessionTimeoutMs = req.sessionTimeoutMs;
    out.push(...this.maybePrepareRebalance(g));
    return out;
  }

  /** Records `id` as `m`'s JoinGroup; a JoinGroup it replaces is answered (its connection is gone). */
  private setAwaitingJoin(g: Group, m: Member, id: ReplyId): Effect[] {
    const out: Effect[] = [];
    if (m.awaitingJoin !== null) {
      out.push(joinReply(m.awaitingJoin, joinError(m.memberId, ErrorCode.REBALANCE_IN_PROGRESS)));
    } else g.numMembersAwaitingJoin++;
    m.awaitingJoin = id;
    return out;
  }

  /** A static member rejoining with a new member id: the old id is fenced, no rebalance if Stable. */
  private replaceStaticMember(
    g: Group,
    id: ReplyId,
    oldId: string,
    newId: string,
    req: JoinInput,
  ): Effect[] {
    const out: Effect[] = [];
    const old = g.members.get(oldId)!;
    const oldLeader = g.leaderId;
    const oldProtocols = old.protocols;
    if (old.awaitingJoin !== null) {
      out.push(joinReply(old.awaitingJoin, joinError(oldId, ErrorCode.FENCED_INSTANCE_ID)));
      old.awaitingJoin = null;
      g.numMembersAwaitingJoin--;
    }
    if (old.awaitingSync !== null) {
      out.push(syncReply(old.awaitingSync, syncError(ErrorCode.FENCED_INSTANCE_ID)));
      old.awaitingSync = null;
    }
    const m = this.renameMember(g, old, newId);
    this.scheduleHeartbeat(g, m, m.sessionTimeoutMs, this.clock.now());
    m.protocols = req.protocols;
    m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    m.sessionTimeoutMs = req.sessionTimeoutMs;
    switch (g.state) {
      case "Stable": {
        if (g.protocolName !== selectProtocol(g)) {
          out.push(...this.setAwaitingJoin(g, m, id), ...this.maybePrepareRebalance(g));
          return out;
        }
        const assignments = new Map([...g.members.values()].map((x) => [x.memberId, x.assignment]));
        const generation = g.generation;
        out.push(this.storeGroup(g, assignments, (error) => {
          if (error === ErrorCode.NONE) {
            // The old leader id, so a new static leader does not assign in a Stable group.
            return [joinReply(id, {
              ...this.joinAnswer(g, m),
              members: [],
              leader: oldLeader ?? "",
              generationId: generation,
            })];
          }
          if (g.members.get(newId) === m) {
            m.protocols = oldProtocols;
            this.renameMember(g, m, oldId);
            this.scheduleHeartbeat(g, m, m.sessionTimeoutMs, this.clock.now());
          }
          return [
            joinReply(id, {
              ...this.joinAnswer(g, m),
              memberId: "",
              members: [],
              errorCode: error,
              leader: oldLeader ?? "",
            }),
          ];
        }));
        return out;
      }
      case "CompletingRebalance":
        out.push(...this.setAwaitingJoin(g, m, id), ...this.maybePrepareRebalance(g));
        return out;
      default: // PreparingRebalance: answered when it completes
        out.push(...this.setAwaitingJoin(g, m, id));
        return out;
    }
  }

  private renameMember(g: Group, m: Member, newId: string): Member {
    const renamed: Member = { ...m, memberId: newId };
    const entries = [...g.members.entries()].map(([k, v]) =>
      k === m.memberId ? [newId, renamed] as const : [k, v] as const
    );
    g.members.clear();
    for (const [k, v] of entries) g.members.set(k, v);
    if (g.leaderId === m.memberId) g.leaderId = newId;
    if (m.groupInstanceId !== null) g.staticMembers.set(m.groupInstanceId, newId);
    return renamed;
  }

  protected maybePrepareRebalance(g: Group): Effect[] {
    return canRebalance(g) ? this.prepareRebalance(g) : [];
  }

  private prepareRebalance(g: Group): Effect[] {
    const out: Effect[] = [];
    if (g.state === "CompletingRebalance") {
      out.push(...this.resetAndPropagateAssignmentError(g, ErrorCode.REBALANCE_IN_PROGRESS));
    }
    const now = this.clock.now();
    const seq = this.#seq++;
    const rebalanceMs = rebalanceTimeoutMs(g);
    if (g.state === "Empty") {
      const delay = this.config.groupInitialRebalanceDelayMs;
      g.join = {
        deadline: now + delay,
        seq,
        initial: true,
        remainingMs: Math.max(rebalanceMs - delay, 0),
      };
    } else {
      g.join = { deadline: now + rebalanceMs, seq, initial: false, remainingMs: 0 };
    }
    transition(g, "PreparingRebalance", now);
    this.timers.push(g.join.deadline, { kind: "join", groupId: g.groupId, seq });
    out.push(...this.tryCompleteJoin(g));
    return out;
  }

  /** Completes the rebalance early when everyone has rejoined (not during the initial delay). */
  private tryCompleteJoin(g: Group): Effect[] {
    if (g.join === null || g.join.initial || !hasAllMembersJoined(g)) return [];
    g.join = null;
    return this.completeJoin(g);
  }

  private completeJoin(g: Group): Effect[] {
    const out: Effect[] = [];
    for (const m of [...g.members.values()]) {
      if (m.awaitingJoin === null && m.groupInstanceId === null) {
        out.push(...this.dropMember(g, m));
      }
    }
    if (g.state === "Dead") return out;
    if (!this.electJoinedLeader(g) && g.members.size > 0) {
      // Nobody rejoined: wait another rebalance timeout for sessions to expire.
      const seq = this.#seq++;
      const deadline = this.clock.now() + rebalanceTimeoutMs(g);
      g.join = { deadline, seq, initial: false, remainingMs: 0 };
      this.timers.push(deadline, { kind: "join", groupId: g.groupId, seq });
      return out;
    }
    const now = this.clock.now();
    g.generation++;
    if (g.members.size > 0) {
      g.protocolName = selectProtocol(g);
      g.subscribedTopics = computeSubscribedTopics(g);
      transition(g, "CompletingRebalance", now);
      for (const m of g.members.values()) {
        if (m.awaitingJoin !== null) {
          out.push(joinReply(m.awaitingJoin, this.joinAnswer(g, m)));
          m.awaitingJoin = null;
          g.numMembersAwaitingJoin--;
        }
        this.scheduleHeartbeat(g, m, m.sessionTimeoutMs, now);
        m.isNew = false;
      }
    } else {
      g.protocolName = null;
      g.subscribedTopics = computeSubscribedTopics(g);
      transition(g, "Empty", now);
      out.push(this.storeGroup(g, new Map(), () => []));
    }
    return out;
  }

  /** Keeps the leader if it rejoined, else picks a member that did; false when none did. */
  private electJoinedLeader(g: Group): boolean {
    if (g.leaderId === null) return false;
    if (g.members.get(g.leaderId)?.awaitingJoin !== null) return true;
    for (const m of g.members.values()) {
      if (m.awaitingJoin !== null) {
        g.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  /** This generation's JoinGroup answer for `m` (the leader gets everyone's metadata). */
  protected joinAnswer(g: Group, m: Member): JoinResult {
    const isLeader = g.leaderId === m.memberId;
    return {
      errorCode: ErrorCode.NONE,
      generationId: g.generation,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leader: g.leaderId ?? "",
      memberId: m.memberId,
      members: isLeader
        ? [...g.members.values()].map((x) => ({
          memberId: x.memberId,
          groupInstanceId: x.groupInstanceId,
          metadata: metadataFor(x, g.protocolName),
        }))
        : [],
    };
  }

  // ---------------------------------------------------------------- SyncGroup

  /** SyncGroup: the leader's assignment is stored, then every member gets its share. */
  syncGroup(id: ReplyId, req: SyncInput): Effect[] {
    const fail = (code: number) => [syncReply(id, syncError(code))];
    const invalid = this.validateGroup(req.groupId, "sync");
    if (invalid === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) {
      return fail(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    if (invalid !== null) return fail(invalid);
    const g = this.groups.get(req.groupId);
    if (g === undefined) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (g.state === "Dead") return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (this.isFenced(g, req.memberId, req.groupInstanceId)) {
      return fail(ErrorCode.FENCED_INSTANCE_ID);
    }
    const m = g.members.get(req.memberId);
    if (m === undefined) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.generationId !== g.generation) return fail(ErrorCode.ILLEGAL_GENERATION);
    if (
      (req.protocolType !== null && req.protocolType !== g.protocolType) ||
      (req.protocolName !== null && req.protocolName !== g.protocolName)
    ) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    switch (g.state) {
      case "Empty":
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      case "PreparingRebalance":
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case "Stable":
        this.scheduleHeartbeat(g, m, m.sessionTimeoutMs, this.clock.now());
        return [syncReply(id, this.syncAnswer(g, m))];
    }
    // CompletingRebalance
    const out: Effect[] = [];
    if (m.awaitingSync !== null) {
      out.push(syncReply(m.awaitingSync, syncError(ErrorCode.REBALANCE_IN_PROGRESS)));
    }
    m.awaitingSync = id;
    if (g.leaderId !== m.memberId) return out;
    const assignments = new Map<string, Uint8Array>();
    for (const a of req.assignments) {
      if (g.members.has(a.memberId)) assignments.set(a.memberId, a.assignment);
    }
    for (const x of g.members.keys()) {
      if (!assignments.has(x)) assignments.set(x, new Uint8Array(0));
    }
    const generation = g.generation;
    out.push(this.storeGroup(g, assignments, (error) => {
      if (g.state !== "CompletingRebalance" || g.generation !== generation) return [];
      if (error !== ErrorCode.NONE) {
        return [
          ...this.resetAndPropagateAssignmentError(g, error),
          ...this.maybePrepareRebalance(g),
        ];
      }
      for (const [memberId, a] of assignments) g.members.get(memberId)!.assignment = a;
      transition(g, "Stable", this.clock.now());
      return this.propagateAssignment(g, ErrorCode.NONE);
    }));
    return out;
  }

  private syncAnswer(g: Group, m: Member): SyncResult {
    return {
      errorCode: ErrorCode.NONE,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      assignment: m.assignment,
    };
  }

  private resetAndPropagateAssignmentError(g: Group, error: number): Effect[] {
    for (const m of g.members.values()) m.assignment = new Uint8Array(0);
    return this.propagateAssignment(g, error);
  }

  private propagateAssignment(g: Group, error: number): Effect[] {
    const out: Effect[] = [];
    const now = this.clock.now();
    for (const m of g.members.values()) {
      if (m.awaitingSync === null) continue;
      const answer = error === ErrorCode.NONE ? this.syncAnswer(g, m) : syncError(error);
      out.push(syncReply(m.awaitingSync, answer));
      m.awaitingSync = null;
      // Its session may have lapsed while it waited: start it again from now.
      this.scheduleHeartbeat(g, m, m.sessionTimeoutMs, now);
    }
    return out;
  }

  /** Appends the group's metadata record (GroupMetadataValue v3) and runs `then` after. */
  protected storeGroup(
    g: Group,
    assignments: Map<string, Uint8Array>,
    then: (errorCode: number) => Effect[],
  ): Effect {
    const value = groupMetadataValue({
      protocolType: g.protocolType ?? "",
      generation: g.generation,
      protocol: g.protocolName,
      leader: g.leaderId,
      currentStateTimestamp: g.currentStateTimestamp ?? -1,
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: metadataFor(m, g.protocolName),
        assignment: assignments.get(m.memberId) ?? new Uint8Array(0),
      })),
    });
    return this.append(
      g.groupId,
      [{ key: groupMetadataKey(g.groupId), value }],
      false,
      (code) => then(storeError(code, false)),
    );
  }

  // ---------------------------------------------------------------- Heartbeat and LeaveGroup

  /** Heartbeat: always answered at once. */
  heartbeat(req: HeartbeatInput): number {
    const invalid = this.validateGroup(req.groupId, "heartbeat");
    if (invalid === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return ErrorCode.NONE;
    if (invalid !== null) return invalid;
    const g = this.groups.get(req.groupId);
    if (g === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (g.state === "Dead") return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (this.isFenced(g, req.memberId, req.groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    const m = g.members.get(req.memberId);
    if (m === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (req.generationId !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    if (g.state === "Empty") return ErrorCode.UNKNOWN_MEMBER_ID;
    this.scheduleHeartbeat(g, m, m.sessionTimeoutMs, this.clock.now());
    return g.state === "PreparingRebalance" ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** LeaveGroup: answered at once; the rebalance it starts answers the others later. */
  leaveGroup(id: ReplyId, req: LeaveInput): Effect[] {
    const reply = (errorCode: number, memberErrors: number[]): Effect => ({
      type: "reply",
      id,
      body: { api: "leave", result: { errorCode, memberErrors } },
    });
    const invalid = this.validateGroup(req.groupId, "leave");
    if (invalid !== null) return [reply(invalid, [])];
    const g = this.groups.get(req.groupId);
    if (g === undefined) {
      return [reply(ErrorCode.NONE, req.members.map(() => ErrorCode.UNKNOWN_MEMBER_ID))];
    }
    if (g.state === "Dead") return [reply(ErrorCode.COORDINATOR_NOT_AVAILABLE, [])];
    const out: Effect[] = [];
    const errors = req.members.map(({ memberId, groupInstanceId }) => {
      if (memberId === "") {
        const current = groupInstanceId === null ? undefined : g.staticMembers.get(groupInstanceId);
        if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
        out.push(...this.removeMember(g, g.members.get(current)!, ErrorCode.UNKNOWN_MEMBER_ID));
        return ErrorCode.NONE;
      }
      if (g.pendingMembers.has(memberId)) {
        g.pendingMembers.delete(memberId);
        if (g.state === "PreparingRebalance") out.push(...this.tryCompleteJoin(g));
        return ErrorCode.NONE;
      }
      if (this.isFenced(g, memberId, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
      const m = g.members.get(memberId);
      if (m === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      out.push(...this.removeMember(g, m, ErrorCode.UNKNOWN_MEMBER_ID));
      return ErrorCode.NONE;
    });
    return [reply(ErrorCode.NONE, errors), ...out];
  }

  /** Whether `groupInstanceId` is registered to another member id (a zombie instance). */
  protected isFenced(g: Group, memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false;
    const current = g.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  /** Removes `m` (its waiting JoinGroup gets `joinError`) and rebalances what is left. */
  protected removeMember(g: Group, m: Member, joinErrorCode: number): Effect[] {
    const out = this.dropMember(g, m, joinErrorCode);
    switch (g.state) {
      case "Stable":
      case "CompletingRebalance":
        out.push(...this.maybePrepareRebalance(g));
        break;
      case "PreparingRebalance":
        out.push(...this.tryCompleteJoin(g));
        break;
    }
    return out;
  }

  /** Takes `m` out of the group, answering what it waits for. */
  private dropMember(
    g: Group,
    m: Member,
    joinErrorCode: number = ErrorCode.UNKNOWN_MEMBER_ID,
  ): Effect[] {
    const out: Effect[] = [];
    if (m.awaitingJoin !== null) {
      out.push(joinReply(m.awaitingJoin, joinError(m.memberId, joinErrorCode)));
      m.awaitingJoin = null;
      g.numMembersAwaitingJoin--;
    }
    if (m.awaitingSync !== null) {
      out.push(syncReply(m.awaitingSync, syncError(ErrorCode.UNKNOWN_MEMBER_ID)));
      m.awaitingSync = null;
    }
    g.members.delete(m.memberId);
    m.heartbeatDeadline = null;
    if (m.groupInstanceId !== null && g.staticMembers.get(m.groupInstanceId) === m.memberId) {
      g.staticMembers.delete(m.groupInstanceId);
    }
    if (g.leaderId === m.memberId) g.leaderId = g.members.keys().next().value ?? null;
    return out;
  }

  // ---------------------------------------------------------------- timers

  /** Expects `m`'s next heartbeat within `timeoutMs` of `now`. */
  protected scheduleHeartbeat(g: Group, m: Member, timeoutMs: number, now: number): void {
    m.heartbeatDeadline = now + timeoutMs;
    m.heartbeatSeq = this.#seq++;
    this.timers.push(m.heartbeatDeadline, {
      kind: "heartbeat",
      groupId: g.groupId,
      memberId: m.memberId,
      seq: m.heartbeatSeq,
    });
  }

  /** Handles one due timer; a stale one does nothing. */
  protected fire(t: Timer): Effect[] {
    if (t.kind === "retention") return this.expireOffsets();
    const g = this.groups.get(t.groupId);
    if (g === undefined || g.state === "Dead") return [];
    switch (t.kind) {
      case "pending": {
        const p = g.pendingMembers.get(t.memberId);
        if (p === undefined || p.seq !== t.seq) return [];
        g.pendingMembers.delete(t.memberId);
        return g.state === "PreparingRebalance" ? this.tryCompleteJoin(g) : [];
      }
      case "heartbeat": {
        const m = g.members.get(t.memberId);
        if (m === undefined || m.heartbeatSeq !== t.seq) return [];
        m.heartbeatDeadline = null;
        // A member waiting in a rebalance is kept; the rebalance deadline decides for it.
        if (!m.isNew && (m.awaitingJoin !== null || m.awaitingSync !== null)) return [];
        return this.removeMember(g, m, ErrorCode.UNKNOWN_MEMBER_ID);
      }
      case "join": {
        const j = g.join;
        if (j === null || j.seq !== t.seq) return [];
        if (j.initial && g.newMemberAdded && j.remainingMs > 0) {
          // Someone joined during the initial delay: wait again, up to the rebalance timeout.
          g.newMemberAdded = false;
          const delay = Math.min(this.config.groupInitialRebalanceDelayMs, j.remainingMs);
          const seq = this.#seq++;
          g.join = {
            deadline: this.clock.now() + delay,
            seq,
            initial: true,
            remainingMs: Math.max(j.remainingMs - delay, 0),
          };
          this.timers.push(g.join.deadline, { kind: "join", groupId: g.groupId, seq });
          return [];
        }
        g.join = null;
        return this.completeJoin(g);
      }
    }
  }

  /** Offset expiry (state_machine.ts overrides it). */
  protected expireOffsets(): Effect[] {
    return [];
  }
}

function joinReply(id: ReplyId, result: JoinResult): Effect {
  return { type: "reply", id, body: { api: "join", result } };
}

function syncReply(id: ReplyId, result: SyncResult): Effect {
  return { type: "reply", id, body: { api: "sync", result } };
}

/** A failed JoinGroup's answer (JoinGroupResult(memberId, error)). */
export function joinError(memberId: string, errorCode: number): JoinResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: "",
    memberId,
    members: [],
  };
}

/** A failed SyncGroup's answer. */
export function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: new Uint8Array(0) };
}

/** Narrows a reply body to one API's, for the shell. */
export function bodyOf<A extends ReplyBody["api"]>(
  body: ReplyBody,
  api: A,
): Extract<ReplyBody, { api: A }> {
  if (body.api !== api) throw new Error(`expected a ${api} answer, got ${body.api}`);
  return body as Extract<ReplyBody, { api: A }>;
}
