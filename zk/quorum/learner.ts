/**
 * A learner's side of ZAB (quorum-protocol.md §4) as a pure machine: discovery (LearnerInfo →
 * LEADERINFO → ACKEPOCH), synchronisation (DIFF, TRUNC or SNAP, the proposals and commits around
 * it, NEWLEADER, UPTODATE) and broadcast, as an observer (INFORM) or a follower (PROPOSAL → log →
 * ACK, COMMIT → apply). `stepLearner(state, input)` returns the next state and the effects the
 * shell must carry out **in order**, each finished before the next starts: that order is the
 * durability contract (persist, then send, then apply).
 *
 * NEWLEADER is handled in the order later Apache releases fixed (§4.3, §9.2: ZOOKEEPER-4785 in
 * 3.8.5, 4394/4643/4646/4685 in 3.9.3), not 3.8.0's: the snapshot if one is needed, then every
 * sync-phase txn appended and fsynced, then currentEpoch, then ACK(NEWLEADER), and only then a
 * follower's per-proposal ACKs.
 *
 * @module
 */
import type { Id } from "../jute/records.ts";
import type { TxnEntry } from "../tree/txn.ts";
import type { LeaderMessage, LearnerMessage } from "./quorum_message.ts";
import { ZAB_PROTOCOL_VERSION } from "./quorum_message.ts";
import { epochOf, epochZxid, hexZxid } from "./quorum_packet.ts";
import type { SnapStream } from "./snap_stream.ts";

/** Which learner this is: an observer (OBSERVERINFO, INFORMs) or a follower (FOLLOWERINFO). */
export type LearnerRole = "observer" | "follower";

/** Where the learner is in §4's steps. */
export type LearnerPhase =
  | "connecting"
  | "discovery"
  | "awaitingSync"
  | "syncing"
  | "newLeaderAcked"
  | "broadcast"
  | "stopped";

/** How the leader chose to bring this learner up to date (§4.2). */
export type SyncMode = "diff" | "trunc" | "snap";

/** The learner's state. Treat it as immutable: stepLearner returns a new one. */
export interface LearnerState {
  readonly role: LearnerRole;
  readonly sid: number;
  /** The committed config's version (0 for a static config), sent in LearnerInfo. */
  readonly configVersion: number;
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  /** The last zxid logged or applied (lastLoggedZxid, reported in ACKEPOCH). */
  readonly lastZxid: number;
  readonly phase: LearnerPhase;
  readonly newEpoch: number;
  readonly syncMode: SyncMode | null;
  /** Sync: proposals not yet committed (SNAP/TRUNC), or every txn received (DIFF, after NEWLEADER). */
  readonly notCommitted: readonly TxnEntry[];
  /** Sync: how many of notCommitted are already in the log. */
  readonly logged: number;
  /** Sync: zxids committed but held until UPTODATE. */
  readonly committed: readonly number[];
  /** Broadcast (follower): logged and ACKed proposals waiting for their COMMIT, in zxid order. */
  readonly pending: readonly TxnEntry[];
  /** Why the learner stopped, when it did. */
  readonly stopReason: string | null;
}

/** What drives the learner. */
export type LearnerInput =
  | { kind: "connected" }
  | { kind: "message"; message: LeaderMessage }
  /** A SNAP packet and the snapshot streamed after it (leader_stream.ts delivers them together). */
  | { kind: "snap"; zxid: number; snapshot: SnapStream }
  | { kind: "disconnected"; reason: string };

/** What the shell must do, in order. */
export type LearnerEffect =
  | { kind: "send"; message: LearnerMessage }
  /** Write an epoch file (temp file, fsync, rename: zk/persist/epoch.ts). */
  | { kind: "writeEpoch"; name: "acceptedEpoch" | "currentEpoch"; epoch: number }
  /** Replace the in-memory tree and sessions with the leader's snapshot. */
  | { kind: "loadSnapshot"; zxid: number; snapshot: SnapStream }
  /** Drop logged txns after zxid and rebuild the tree up to it. */
  | { kind: "truncateLog"; zxid: number }
  /** Write an fsynced snapshot of the tree as it now stands. */
  | { kind: "takeSnapshot" }
  /** Append to the txn log and fsync. */
  | { kind: "log"; entries: readonly TxnEntry[] }
  /** Apply a committed txn to the tree (over a fuzzy snapshot, as recovery does). */
  | { kind: "apply"; entry: TxnEntry }
  /** Answer the leader's PING with the sessions touched since the last one. */
  | { kind: "replyPing"; zxid: number; authinfo: Id[] | null }
  | { kind: "revalidated"; sessionId: bigint; valid: boolean }
  /** The leader answered a forwarded sync: complete the oldest pending one. */
  | { kind: "syncDone" }
  /** UPTODATE: the learner is in broadcast and may serve clients. */
  | { kind: "synced"; epoch: number; mode: SyncMode }
  | { kind: "warn"; text: string }
  | { kind: "info"; text: string }
  /** Close the connection: the learner goes back to looking. */
  | { kind: "fail"; reason: string };

/** A step's outcome. */
export interface LearnerStep {
  state: LearnerState;
  effects: LearnerEffect[];
}

/** Where a learner starts, from what its disk says (epoch files and the last logged zxid). */
export interface LearnerStart {
  role: LearnerRole;
  sid: number;
  acceptedEpoch: number;
  currentEpoch: number;
  lastZxid: number;
  configVersion?: number;
}

/** A learner that has not connected yet. */
export function initialLearner(s: LearnerStart): LearnerState {
  if (s.acceptedEpoch < s.currentEpoch) {
    // QuorumPeer refuses to start on this (§5.2): the files are damaged.
    throw new RangeError(
      `acceptedEpoch ${s.acceptedEpoch} is less than currentEpoch ${s.currentEpoch}`,
    );
  }
  return {
    role: s.role,
    sid: s.sid,
    configVersion: s.configVersion ?? 0,
    acceptedEpoch: s.acceptedEpoch,
    currentEpoch: s.currentEpoch,
    lastZxid: s.lastZxid,
    phase: "connecting",
    newEpoch: 0,
    syncMode: null,
    notCommitted: [],
    logged: 0,
    committed: [],
    pending: [],
    stopReason: null,
  };
}

/** The learner's transition function. */
export function stepLearner(state: LearnerState, input: LearnerInput): LearnerStep {
  if (state.phase === "stopped") return { state, effects: [] };
  switch (input.kind) {
    case "connected":
      return connected(state);
    case "disconnected":
      return { state: { ...state, phase: "stopped", stopReason: input.reason }, effects: [] };
    case "snap":
      if (state.phase !== "awaitingSync") {
        return fail(state, `SNAP in phase ${state.phase}: the leader sends it once, first`);
      }
      return {
        state: { ...state, phase: "syncing", syncMode: "snap", lastZxid: input.zxid },
        effects: [
          { kind: "info", text: `Getting a snapshot from leader 0x${input.zxid.toString(16)}` },
          { kind: "loadSnapshot", zxid: input.zxid, snapshot: input.snapshot },
        ],
      };
    case "message":
      return onMessage(state, input.message);
  }
}

function fail(state: LearnerState, reason: string): LearnerStep {
  return {
    state: { ...state, phase: "stopped", stopReason: reason },
    effects: [{ kind: "fail", reason }],
  };
}

function connected(state: LearnerState): LearnerStep {
  if (state.phase !== "connecting") return fail(state, "connected twice");
  const info: LearnerMessage = {
    kind: state.role === "observer" ? "observerInfo" : "followerInfo",
    acceptedEpoch: state.acceptedEpoch,
    sid: state.sid,
    protocolVersion: ZAB_PROTOCOL_VERSION,
    configVersion: state.configVersion,
  };
  return { state: { ...state, phase: "discovery" }, effects: [{ kind: "send", message: info }] };
}

function onMessage(state: LearnerState, m: LeaderMessage): LearnerStep {
  switch (state.phase) {
    case "connecting":
      return fail(state, `${m.kind} before the learner sent its info`);
    case "discovery":
      return discovery(state, m);
    case "awaitingSync":
      return firstSyncPacket(state, m);
    case "syncing":
    case "newLeaderAcked":
      return syncing(state, m);
    case "broadcast":
      return broadcast(state, m);
    default:
      return { state, effects: [] };
  }
}

/** §4.1 step 5: accept the leader's epoch (or not) and report where this learner's log ends. */
function discovery(state: LearnerState, m: LeaderMessage): LearnerStep {
  if (m.kind !== "leaderInfo") {
    return fail(state, `First packet should have been LEADERINFO, got ${m.kind}`);
  }
  if (m.protocolVersion < ZAB_PROTOCOL_VERSION) {
    return fail(state, `leader speaks Zab protocol 0x${m.protocolVersion.toString(16)}`);
  }
  const epoch = m.newEpoch;
  if (epoch < state.acceptedEpoch) {
    return fail(
      state,
      `Leaders epoch, ${epoch} is less than accepted epoch, ${state.acceptedEpoch}`,
    );
  }
  const effects: LearnerEffect[] = [];
  let reported = -1; // "already accepted": the leader does not count this ACKEPOCH (§9.4)
  if (epoch > state.acceptedEpoch) {
    effects.push({ kind: "writeEpoch", name: "acceptedEpoch", epoch });
    reported = state.currentEpoch;
  }
  effects.push({
    kind: "send",
    message: { kind: "ackEpoch", lastZxid: state.lastZxid, currentEpoch: reported },
  });
  return {
    state: { ...state, phase: "awaitingSync", acceptedEpoch: epoch, newEpoch: epoch },
    effects,
  };
}

/** §4.3 step 1: the first packet after ACKEPOCH says how the learner is synced. */
function firstSyncPacket(state: LearnerState, m: LeaderMessage): LearnerStep {
  switch (m.kind) {
    case "diff":
      return {
        state: { ...state, phase: "syncing", syncMode: "diff" },
        effects: [{ kind: "info", text: `Getting a diff from the leader ${hexZxid(m.zxid)}` }],
      };
    case "trunc":
      if (m.zxid > state.lastZxid) {
        return fail(
          state,
          `TRUNC to ${hexZxid(m.zxid)}, past the log's end ${hexZxid(state.lastZxid)}`,
        );
      }
      return {
        state: { ...state, phase: "syncing", syncMode: "trunc", lastZxid: m.zxid },
        effects: [
          {
            kind: "info",
            text: `Truncating log to get in sync with the leader ${hexZxid(m.zxid)}`,
          },
          { kind: "truncateLog", zxid: m.zxid },
        ],
      };
    case "ping":
      // The leader's pings start only with its sender thread, after the sync packet; be lenient.
      return { state, effects: [] };
    default:
      // Apache exits the process here (QUORUM_PACKET_ERROR); herd drops the connection.
      return fail(state, `Got unexpected packet from leader: ${m.kind}, exiting ... `);
  }
}

/** §4.3 steps 2–5: txns around NEWLEADER, until UPTODATE. */
function syncing(state: LearnerState, m: LeaderMessage): LearnerStep {
  const beforeNewLeader = state.phase === "syncing";
  // Before NEWLEADER a SNAP- or TRUNC-synced learner applies committed txns to memory only (the
  // snapshot at NEWLEADER keeps them); a DIFF-synced one, and everyone after NEWLEADER, holds
  // them until UPTODATE.
  const applyNow = beforeNewLeader && state.syncMode !== "diff";
  switch (m.kind) {
    case "proposal":
      return syncProposal(state, m.entry, beforeNewLeader);
    case "commit":
    case "commitAndActivate":
      if (!applyNow) {
        return { state: { ...state, committed: [...state.committed, m.zxid] }, effects: [] };
      }
      return commitInMemory(state, m.zxid);
    case "inform":
    case "informAndActivate": {
      if (applyNow) {
        return {
          state: { ...state, lastZxid: m.entry.hdr.zxid },
          effects: [{ kind: "apply", entry: m.entry }],
        };
      }
      const next = syncProposal(state, m.entry, beforeNewLeader);
      return {
        ...next,
        state: { ...next.state, committed: [...next.state.committed, m.entry.hdr.zxid] },
      };
    }
    case "newLeader":
      if (!beforeNewLeader) return { state, effects: [{ kind: "warn", text: "NEWLEADER twice" }] };
      return newLeader(state, m.zxid);
    case "upToDate":
      if (beforeNewLeader) return fail(state, "UPTODATE before NEWLEADER");
      return upToDate(state);
    case "ping":
      return { state, effects: [] }; // Apache's sync loop has no PING case (§4.3 step 5)
    default:
      return { state, effects: [{ kind: "warn", text: `Unexpected ${m.kind} during sync` }] };
  }
}

function syncProposal(state: LearnerState, e: TxnEntry, beforeNewLeader: boolean): LearnerStep {
  const effects: LearnerEffect[] = [];
  const zxid = e.hdr.zxid;
  const last = state.notCommitted.at(-1)?.hdr.zxid ?? state.lastZxid;
  if (zxid <= last) return fail(state, `proposal ${hexZxid(zxid)} is not after ${hexZxid(last)}`);
  if (epochOf(zxid) === epochOf(last) && zxid !== last + 1) {
    effects.push({ kind: "warn", text: `Got zxid ${hexZxid(zxid)} expected ${hexZxid(last + 1)}` });
  }
  const notCommitted = [...state.notCommitted, e];
  if (beforeNewLeader) return { state: { ...state, notCommitted }, effects };
  // After NEWLEADER a txn is logged as it comes, and a follower ACKs it once it is durable.
  effects.push({ kind: "log", entries: [e] });
  if (state.role === "follower") effects.push({ kind: "send", message: { kind: "ack", zxid } });
  return { state: { ...state, notCommitted, logged: notCommitted.length }, effects };
}

function commitInMemory(state: LearnerState, zxid: number): LearnerStep {
  const head = state.notCommitted[0];
  if (head === undefined || head.hdr.zxid !== zxid) {
    // Apache warns and goes on (Learner.syncWithLeader); the txn stays pending.
    const next = head ? hexZxid(head.hdr.zxid) : "none";
    return {
      state,
      effects: [{
        kind: "warn",
        text: `Committing ${hexZxid(zxid)}, but next proposal is ${next}`,
      }],
    };
  }
  return {
    state: { ...state, notCommitted: state.notCommitted.slice(1), lastZxid: zxid },
    effects: [{ kind: "apply", entry: head }],
  };
}

/** §4.3 step 3, in the fixed order. */
function newLeader(state: LearnerState, zxid: number): LearnerStep {
  if (epochOf(zxid) !== state.newEpoch) {
    return fail(state, `NEWLEADER ${hexZxid(zxid)} is not of the epoch ${state.newEpoch} agreed`);
  }
  const effects: LearnerEffect[] = [];
  if (state.syncMode !== "diff") effects.push({ kind: "takeSnapshot" });
  const toLog = state.notCommitted.slice(state.logged);
  if (toLog.length > 0) effects.push({ kind: "log", entries: toLog });
  effects.push({ kind: "writeEpoch", name: "currentEpoch", epoch: state.newEpoch });
  effects.push({ kind: "send", message: { kind: "ack", zxid } });
  if (state.role === "follower") {
    for (const e of toLog) {
      effects.push({ kind: "send", message: { kind: "ack", zxid: e.hdr.zxid } });
    }
  }
  const lastZxid = state.notCommitted.at(-1)?.hdr.zxid ?? state.lastZxid;
  return {
    state: {
      ...state,
      phase: "newLeaderAcked",
      currentEpoch: state.newEpoch,
      logged: state.notCommitted.length,
      lastZxid,
    },
    effects,
  };
}

/** §4.3 step 5: ACK, start serving, apply what was committed during sync in order. */
function upToDate(state: LearnerState): LearnerStep {
  const effects: LearnerEffect[] = [
    { kind: "send", message: { kind: "ack", zxid: epochZxid(state.newEpoch) } },
    { kind: "synced", epoch: state.newEpoch, mode: state.syncMode ?? "diff" },
  ];
  const committed = [...state.committed];
  const pending: TxnEntry[] = [];
  for (const e of state.notCommitted) {
    if (committed[0] === e.hdr.zxid) {
      committed.shift();
      effects.push({ kind: "apply", entry: e });
    } else pending.push(e);
  }
  if (committed.length > 0) {
    return fail(state, `committed ${hexZxid(committed[0])} during sync without its proposal`);
  }
  const lastZxid = state.notCommitted.at(-1)?.hdr.zxid ?? state.lastZxid;
  // An observer is never sent outstanding proposals (§7 item 5); a follower waits for their COMMIT.
  return {
    state: {
      ...state,
      phase: "broadcast",
      notCommitted: [],
      logged: 0,
      committed: [],
      pending: state.role === "follower" ? pending : [],
      lastZxid,
    },
    effects,
  };
}

/** §4.4 and §7 item 6. */
function broadcast(state: LearnerState, m: LeaderMessage): LearnerStep {
  switch (m.kind) {
    case "ping":
      return { state, effects: [{ kind: "replyPing", zxid: m.zxid, authinfo: m.authinfo }] };
    case "revalidateReply":
      return { state, effects: [{ kind: "revalidated", sessionId: m.sessionId, valid: m.valid }] };
    case "sync":
      return { state, effects: [{ kind: "syncDone" }] };
    case "inform":
    case "informAndActivate":
      if (state.role !== "observer") break;
      return inform(state, m.entry);
    case "proposal":
      if (state.role !== "follower") break;
      return propose(state, m.entry);
    case "commit":
    case "commitAndActivate":
      if (state.role !== "follower") break;
      return commit(state, m.zxid);
  }
  return { state, effects: [{ kind: "warn", text: `Unknown packet type: ${m.kind}` }] };
}

function inform(state: LearnerState, e: TxnEntry): LearnerStep {
  const zxid = e.hdr.zxid;
  if (zxid <= state.lastZxid) {
    return fail(state, `INFORM ${hexZxid(zxid)} is not after ${hexZxid(state.lastZxid)}`);
  }
  return {
    state: { ...state, lastZxid: zxid },
    effects: [{ kind: "log", entries: [e] }, { kind: "apply", entry: e }],
  };
}

function propose(state: LearnerState, e: TxnEntry): LearnerStep {
  const zxid = e.hdr.zxid;
  const last = state.pending.at(-1)?.hdr.zxid ?? state.lastZxid;
  if (zxid <= last) return fail(state, `proposal ${hexZxid(zxid)} is not after ${hexZxid(last)}`);
  const effects: LearnerEffect[] = [];
  if (epochOf(zxid) === epochOf(last) && zxid !== last + 1) {
    effects.push({ kind: "warn", text: `Got zxid ${hexZxid(zxid)} expected ${hexZxid(last + 1)}` });
  }
  effects.push({ kind: "log", entries: [e] }, { kind: "send", message: { kind: "ack", zxid } });
  return { state: { ...state, pending: [...state.pending, e], lastZxid: zxid }, effects };
}

function commit(state: LearnerState, zxid: number): LearnerStep {
  const head = state.pending[0];
  if (head === undefined || head.hdr.zxid !== zxid) {
    // Apache's follower exits here (UNMATCHED_TXN_COMMIT, §4.4 step 5): applying out of order
    // would diverge from the leader.
    const next = head ? hexZxid(head.hdr.zxid) : "none pending";
    return fail(state, `Committing zxid ${hexZxid(zxid)} but next pending txn ${next}`);
  }
  return {
    state: { ...state, pending: state.pending.slice(1) },
    effects: [{ kind: "apply", entry: head }],
  };
}

/** Effects a txn-log append may move ahead of: none of them reads the log or the disk. */
const PASSABLE: ReadonlySet<LearnerEffect["kind"]> = new Set([
  "apply",
  "send",
  "replyPing",
  "revalidated",
  "syncDone",
  "synced",
  "info",
  "warn",
]);

/**
 * Group commit for a run of effects (those of every packet one read brought): each `log` joins
 * the previous `log` when only effects in PASSABLE lie between them. Appending earlier never
 * breaks the contract — a txn is still durable before its ACK is sent or it is applied — and a
 * burst of INFORMs or PROPOSALs then costs one fsync instead of one each, as Apache's
 * SyncRequestProcessor batches them.
 */
export function groupLogs(effects: readonly LearnerEffect[]): LearnerEffect[] {
  const out: LearnerEffect[] = [];
  let open = -1; // index in out of the log that later ones may join
  for (const e of effects) {
    if (e.kind === "log" && open >= 0) {
      const prev = out[open] as Extract<LearnerEffect, { kind: "log" }>;
      out[open] = { kind: "log", entries: [...prev.entries, ...e.entries] };
      continue;
    }
    if (e.kind === "log") open = out.length;
    else if (!PASSABLE.has(e.kind)) open = -1;
    out.push(e);
  }
  return out;
}
