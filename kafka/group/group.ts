/**
 * One group as the coordinator holds it (Apache 2.8.2's GroupMetadata and MemberMetadata): its
 * state, generation, selected protocol, leader, members (with the answer each one is waiting
 * for) and committed offsets. Plain data and small functions over it; the rules of moving
 * between states live in state_machine.ts.
 *
 * @module
 */
import type { OffsetAndMetadata } from "./records.ts";

/** The five states of Kafka's classic group protocol, named as DescribeGroups prints them. */
export type GroupState = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable" | "Dead";

/** A protocol a member supports, with its metadata (a consumer's subscription). */
export interface MemberProtocol {
  name: string;
  metadata: Uint8Array;
}

/** A caller's token for an answer that may come later (the shell maps it to a promise). */
export type ReplyId = number;

/** One member. */
export interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  assignment: Uint8Array;
  /** The JoinGroup waiting for the rebalance to finish, if any. */
  awaitingJoin: ReplyId | null;
  /** The SyncGroup waiting for the leader's assignment, if any. */
  awaitingSync: ReplyId | null;
  /** Joined during this rebalance: expires after 5 minutes, not by session timeout. */
  isNew: boolean;
  /** When the member is dropped unless it heartbeats (or is waiting in a rebalance). */
  heartbeatDeadline: number | null;
  /** Bumped on every reschedule, so stale timers are ignored. */
  heartbeatSeq: number;
}

/** A committed offset of a group, with the commit that wrote it. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  value: OffsetAndMetadata;
}

/** One group. */
export interface Group {
  groupId: string;
  state: GroupState;
  /** When the state last changed (GroupMetadataValue v2+'s currentStateTimestamp). */
  currentStateTimestamp: number | null;
  generation: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  /** In join order (Apache's is a hash map's; clients do not depend on it). */
  members: Map<string, Member>;
  /** group.instance.id → member id. */
  staticMembers: Map<string, string>;
  /** Member ids handed out with MEMBER_ID_REQUIRED, until they join or expire. */
  pendingMembers: Map<string, { deadline: number; seq: number }>;
  numMembersAwaitingJoin: number;
  /** The rebalance's deadline (DelayedJoin / InitialDelayedJoin). */
  join: { deadline: number; seq: number; initial: boolean; remainingMs: number } | null;
  /** group.initial.rebalance.delay.ms may be extended: a member joined in this delay. */
  newMemberAdded: boolean;
  /** Committed offsets by `topic\0partition`. */
  offsets: Map<string, CommittedOffset>;
  /** Commits appended but not yet durable, by `topic\0partition`. */
  pendingOffsetCommits: Map<string, number>;
  /**
   * TxnOffsetCommit offsets written but not yet committed by their transaction's marker, by
   * producer id, then `topic\0partition`.
   */
  pendingTxnOffsets: Map<number, Map<string, CommittedOffset>>;
  /** Topics the members subscribe to (consumer protocol), null when unknown. */
  subscribedTopics: Set<string> | null;
}

/** The key of a partition in a group's offset maps. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** A new group, Empty at generation 0. */
export function newGroup(groupId: string, now: number): Group {
  return {
    groupId,
    state: "Empty",
    currentStateTimestamp: now,
    generation: 0,
    protocolType: null,
    protocolName: null,
    leaderId: null,
    members: new Map(),
    staticMembers: new Map(),
    pendingMembers: new Map(),
    numMembersAwaitingJoin: 0,
    join: null,
    newMemberAdded: false,
    offsets: new Map(),
    pendingOffsetCommits: new Map(),
    pendingTxnOffsets: new Map(),
    subscribedTopics: null,
  };
}

/** Which states a group may enter from which (GroupState.validPreviousStates). */
const PREVIOUS: Record<GroupState, readonly GroupState[]> = {
  Dead: ["Stable", "PreparingRebalance", "CompletingRebalance", "Empty", "Dead"],
  CompletingRebalance: ["PreparingRebalance"],
  Stable: ["CompletingRebalance"],
  PreparingRebalance: ["Stable", "CompletingRebalance", "Empty"],
  Empty: ["PreparingRebalance"],
};

/** Moves `g` to `to`; a move Kafka never makes is a bug here, so it throws. */
export function transition(g: Group, to: GroupState, now: number): void {
  if (!PREVIOUS[to].includes(g.state)) {
    throw new Error(`group ${g.groupId} cannot go from ${g.state} to ${to}`);
  }
  g.state = to;
  g.currentStateTimestamp = now;
}

/** Whether a rebalance may start now. */
export function canRebalance(g: Group): boolean {
  return PREVIOUS.PreparingRebalance.includes(g.state);
}

/** How many members support protocol `name`. */
function supportCount(g: Group, name: string): number {
  let n = 0;
  for (const m of g.members.values()) if (m.protocols.some((p) => p.name === name)) n++;
  return n;
}

/** Whether a member with this protocol type and these protocols may join. */
export function supportsProtocols(
  g: Group,
  protocolType: string,
  protocols: readonly MemberProtocol[],
): boolean {
  if (g.state === "Empty") return protocolType !== "" && protocols.length > 0;
  return g.protocolType === protocolType &&
    protocols.some((p) => supportCount(g, p.name) === g.members.size);
}

/**
 * The protocol for the next generation: each member votes for its most preferred protocol that
 * every member supports; the most votes win (ties: the first member's preference order).
 */
export function selectProtocol(g: Group): string {
  const first = g.members.values().next().value;
  if (first === undefined) throw new Error(`group ${g.groupId} has no members to select from`);
  const candidates = first.protocols.map((p) => p.name).filter((n) =>
    supportCount(g, n) === g.members.size
  );
  if (candidates.length === 0) throw new Error(`group ${g.groupId} has no common protocol`);
  const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
  for (const m of g.members.values()) {
    const vote = m.protocols.find((p) => votes.has(p.name))!.name;
    votes.set(vote, votes.get(vote)! + 1);
  }
  let best = candidates[0];
  for (const c of candidates) if (votes.get(c)! > votes.get(best)!) best = c;
  return best;
}

/** A member's metadata for `protocol` (empty if it does not support it). */
export function metadataFor(m: Member, protocol: string | null): Uint8Array {
  return m.protocols.find((p) => p.name === protocol)?.metadata ?? new Uint8Array(0);
}

/** Whether a rejoin carries the same protocols as before (then no rebalance is needed). */
export function sameProtocols(m: Member, protocols: readonly MemberProtocol[]): boolean {
  if (m.protocols.length !== protocols.length) return false;
  for (let i = 0; i < protocols.length; i++) {
    const a = m.protocols[i];
    const b = protocols[i];
    if (a.name !== b.name || !bytesEqual(a.metadata, b.metadata)) return false;
  }
  return true;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The longest rebalance timeout of the members (how long a rebalance waits for them). */
export function rebalanceTimeoutMs(g: Group): number {
  let t = 0;
  for (const m of g.members.values()) t = Math.max(t, m.rebalanceTimeoutMs);
  return t;
}

/** Whether every member has rejoined and no MEMBER_ID_REQUIRED member is still expected. */
export function hasAllMembersJoined(g: Group): boolean {
  return g.members.size === g.numMembersAwaitingJoin && g.pendingMembers.size === 0;
}

/**
 * The topics a consumer group's members subscribe to, read from their metadata for the selected
 * protocol (ConsumerProtocolSubscription: version int16, topics [string], …); null when the group
 * is not a consumer group or a subscription cannot be read.
 */
export function computeSubscribedTopics(g: Group): Set<string> | null {
  if (g.protocolType !== "consumer" || g.protocolName === null) return null;
  const topics = new Set<string>();
  for (const m of g.members.values()) {
    const read = readSubscriptionTopics(metadataFor(m, g.protocolName));
    if (read === null) return null;
    for (const t of read) topics.add(t);
  }
  return topics;
}

function readSubscriptionTopics(b: Uint8Array): string[] | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  try {
    let pos = 2;
    const n = v.getInt32(pos);
    pos += 4;
    if (n < 0) return null;
    const out: string[] = [];
    const dec = new TextDecoder("utf-8", { fatal: true });
    for (let i = 0; i < n; i++) {
      const len = v.getInt16(pos);
      pos += 2;
      if (len < 0 || pos + len > b.length) return null;
      out.push(dec.decode(b.subarray(pos, pos + len)));
      pos += len;
    }
    return out;
  } catch {
    return null;
  }
}

/** Whether OffsetDelete must refuse `topic` (GROUP_SUBSCRIBED_TO_TOPIC): unknown counts as yes. */
export function isSubscribedTo(g: Group, topic: string): boolean {
  return g.subscribedTopics === null || g.subscribedTopics.has(topic);
}
