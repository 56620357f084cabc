/**
 * A leader's side of ZAB (quorum-protocol.md §4) as a pure machine: discovery (LearnerInfo from a
 * quorum → the new epoch → LEADERINFO → a quorum of ACKEPOCHs), synchronisation of each learner
 * (DIFF, TRUNC or SNAP as Apache chooses, learner_handler.ts; NEWLEADER; a quorum of NEWLEADER
 * ACKs before any UPTODATE) and broadcast (PROPOSAL to followers, COMMIT in zxid order once a
 * quorum of voters — the leader's own durable log among them — has ACKed, INFORM to observers,
 * SYNC answered after the commits pending when it was asked), with PING and syncLimit liveness.
 *
 * `stepLeader(state, input)` returns the next state and the effects the shell must carry out
 * **in order**, each finished before the next starts (the learner's contract): a `log` effect
 * is durable (appended and fsynced) before any later effect runs, so the leader counts its own
 * ACK when it proposes, and a commit — always emitted by a later effect — never precedes it.
 *
 * @module
 */
import type { TxnEntry } from "../tree/txn.ts";
import {
  type HandlerPhase,
  isForwarding,
  type LearnerHandler,
  newHandler,
  planSync,
} from "./learner_handler.ts";
import {
  type LeaderMessage,
  type LearnerMessage,
  type SessionTouch,
  ZAB_PROTOCOL_VERSION,
} from "./quorum_message.ts";
import { epochOf, epochZxid, hexZxid } from "./quorum_packet.ts";
import { containsQuorum } from "./quorum_verifier.ts";

/** Where the leader is in §4. */
export type LeaderPhase = "discovery" | "epochAck" | "newLeader" | "broadcast" | "stopped";

/** What does not change while a leader leads. */
export interface LeaderConfig {
  sid: number;
  /** The participants: only their LearnerInfo, ACKEPOCH and ACKs count. */
  voters: ReadonlySet<number>;
  /** The committed config's version; a learner with a higher one is refused (§4.1 step 2). */
  configVersion?: number;
  /** NEWLEADER's data: the config text (QuorumMaj.toString()), or null. */
  configText?: string | null;
  initLimit: number;
  syncLimit: number;
  /** The committed log's length (zookeeper.commitLogCount, 500). */
  maxCommittedLog?: number;
}

/** What the leader's disk says when it starts leading. */
export interface LeaderStart {
  acceptedEpoch: number;
  currentEpoch: number;
  /** The last txns of its log, all applied (their commit is implied by its election). */
  history: readonly TxnEntry[];
  /** The last applied zxid (the end of the log, or of the snapshot if the log is empty). */
  lastZxid: number;
}

/** One proposal waiting for its quorum. */
export interface Outstanding {
  readonly entry: TxnEntry;
  /** Voters whose ACK arrived (the leader's own included once logged). */
  readonly acks: readonly number[];
}

/** The leader's state. Treat it as immutable: stepLeader returns a new one. */
export interface LeaderState {
  readonly cfg: Required<LeaderConfig>;
  readonly phase: LeaderPhase;
  /** Half-tick passes and full ticks (Leader.lead's loop: tick every other pass, §4.5). */
  readonly passes: number;
  readonly tick: number;
  /** The tick the current wait (epoch, epoch ACKs, NEWLEADER ACKs) started at. */
  readonly waitStart: number;
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  /** The epoch this leader leads, once a quorum's LearnerInfo fixed it (−1 before). */
  readonly epoch: number;
  /** The epoch proposed so far: 1 + the highest acceptedEpoch seen. */
  readonly proposedEpoch: number;
  readonly lastProcessed: number;
  readonly lastProposed: number;
  readonly committedLog: readonly TxnEntry[];
  readonly outstanding: readonly Outstanding[];
  readonly handlers: ReadonlyMap<number, LearnerHandler>;
  /** Voters whose LearnerInfo, ACKEPOCH and NEWLEADER ACK counted (the leader included). */
  readonly connecting: readonly number[];
  readonly epochAcks: readonly number[];
  readonly newLeaderAcks: readonly number[];
  /** Forwarded syncs waiting for the commit of the zxid proposed last when they came. */
  readonly pendingSyncs: readonly { zxid: number; conn: number }[];
  readonly stopReason: string | null;
}

/** What drives the leader. */
export type LeaderInput =
  | { kind: "connected"; conn: number }
  | { kind: "message"; conn: number; message: LearnerMessage }
  | { kind: "disconnected"; conn: number; reason: string }
  /** Every tickTime/2. */
  | { kind: "tick" }
  /** Txns the shell prepared, zxids from {@link nextZxid} on (broadcast only). */
  | { kind: "propose"; entries: readonly TxnEntry[] }
  /** The shell is stopping the leader (a new election). */
  | { kind: "stop"; reason: string };

/** What the shell must do, in order. */
export type LeaderEffect =
  | { kind: "send"; conn: number; message: LeaderMessage }
  /** Write SNAP(zxid) and the tree as it stands (its lastProcessedZxid is `zxid`) to conn. */
  | { kind: "sendSnapshot"; conn: number; zxid: number }
  | { kind: "writeEpoch"; name: "acceptedEpoch" | "currentEpoch"; epoch: number }
  /** Append to the leader's txn log and fsync. */
  | { kind: "log"; entries: readonly TxnEntry[] }
  /** Apply a committed txn to the tree and answer its client. */
  | { kind: "apply"; entry: TxnEntry }
  /** A quorum ACKed NEWLEADER: the leader serves; its tree's lastProcessedZxid is `zxid`. */
  | { kind: "established"; epoch: number; zxid: number }
  /** Session keep-alives from a learner's PING reply (§6). */
  | { kind: "touch"; conn: number; touches: readonly SessionTouch[] }
  /** A forwarded client request other than sync (§3.1): the shell's prep turns it into a txn. */
  | (Omit<Extract<LearnerMessage, { kind: "request" }>, "kind"> & { kind: "request"; conn: number })
  /** REVALIDATE: the shell answers from its session tracker. */
  | { kind: "revalidate"; conn: number; sessionId: bigint; timeoutMs: number }
  | { kind: "close"; conn: number; reason: string }
  /** The leader gives up its role: close every connection, elect again. */
  | { kind: "stepDown"; reason: string }
  | { kind: "info" | "warn"; text: string };

/** A step's outcome. */
export interface LeaderStep {
  state: LeaderState;
  effects: LeaderEffect[];
}

/** The op code of a forwarded sync (ZooDefs.OpCode.sync). */
const OP_SYNC = 9;

/** A leader that has just won an election, from its config and disk. */
export function initialLeader(cfg: LeaderConfig, start: LeaderStart): LeaderState {
  if (start.acceptedEpoch < start.currentEpoch) {
    throw new RangeError(
      `acceptedEpoch ${start.acceptedEpoch} is less than currentEpoch ${start.currentEpoch}`,
    );
  }
  const full: Required<LeaderConfig> = {
    configVersion: 0,
    configText: null,
    maxCommittedLog: 500,
    ...cfg,
  };
  const history = start.history.slice(-full.maxCommittedLog);
  for (let i = 1; i < history.length; i++) {
    if (history[i].hdr.zxid <= history[i - 1].hdr.zxid) {
      throw new RangeError(`history out of order at ${hexZxid(history[i].hdr.zxid)}`);
    }
  }
  return {
    cfg: full,
    phase: "discovery",
    passes: 0,
    tick: 0,
    waitStart: 0,
    acceptedEpoch: start.acceptedEpoch,
    currentEpoch: start.currentEpoch,
    epoch: -1,
    proposedEpoch: start.acceptedEpoch + 1,
    lastProcessed: start.lastZxid,
    lastProposed: start.lastZxid,
    committedLog: history,
    outstanding: [],
    handlers: new Map(),
    connecting: [cfg.sid],
    epochAcks: [cfg.sid],
    newLeaderAcks: [cfg.sid],
    pendingSyncs: [],
    stopReason: null,
  };
}

/** The zxid the next proposal must carry. */
export function nextZxid(state: LeaderState): number {
  return state.lastProposed + 1;
}

/** A mutable copy of the state for one step, and the effects it collects. */
class Step {
  s: { -readonly [K in keyof LeaderState]: LeaderState[K] };
  handlers: Map<number, LearnerHandler>;
  effects: LeaderEffect[] = [];

  constructor(state: LeaderState) {
    this.s = { ...state };
    this.handlers = new Map(state.handlers);
  }

  done(): LeaderStep {
    this.s.handlers = this.handlers;
    return { state: this.s, effects: this.effects };
  }

  send(conn: number, message: LeaderMessage): void {
    this.effects.push({ kind: "send", conn, message });
  }

  set(h: LearnerHandler, patch: Partial<LearnerHandler>): LearnerHandler {
    const next = { ...h, ...patch };
    this.handlers.set(h.conn, next);
    return next;
  }

  close(conn: number, reason: string): void {
    if (!this.handlers.delete(conn)) return;
    this.s.pendingSyncs = this.s.pendingSyncs.filter((p) => p.conn !== conn);
    this.effects.push({ kind: "close", conn, reason });
  }

  stepDown(reason: string): void {
    this.s.phase = "stopped";
    this.s.stopReason = reason;
    this.effects.push({ kind: "stepDown", reason });
  }
}

/** The leader's transition function. */
export function stepLeader(state: LeaderState, input: LeaderInput): LeaderStep {
  if (state.phase === "stopped") return { state, effects: [] };
  const st = new Step(state);
  switch (input.kind) {
    case "connected":
      st.handlers.set(
        input.conn,
        newHandler(input.conn, st.s.tick + st.s.cfg.initLimit + st.s.cfg.syncLimit),
      );
      break;
    case "disconnected":
      if (st.handlers.delete(input.conn)) {
        st.s.pendingSyncs = st.s.pendingSyncs.filter((p) => p.conn !== input.conn);
      }
      break;
    case "message":
      onMessage(st, input.conn, input.message);
      break;
    case "tick":
      onTick(st);
      break;
    case "propose":
      propose(st, input.entries);
      break;
    case "stop":
      st.stepDown(input.reason);
      break;
  }
  return st.done();
}

function onMessage(st: Step, conn: number, m: LearnerMessage): void {
  let h = st.handlers.get(conn);
  if (h === undefined) return; // closed already: what was in flight does not matter
  // Any packet proves the learner alive: its socket's read timeout is initLimit ticks until
  // NEWLEADER is ACKed, syncLimit ticks after (§4.5, LearnerHandler.run).
  if (h.phase !== "connected") h = st.set(h, { deadline: st.s.tick + readLimit(st, h.phase) });
  switch (h.phase) {
    case "connected":
      return learnerInfo(st, h, m);
    case "info":
    case "epochAcked":
      return st.close(conn, `unexpected ${m.kind} before LEADERINFO was answered`);
    case "leaderInfoSent":
      return ackEpoch(st, h, m);
    case "syncing":
      return newLeaderAck(st, h, m);
    case "newLeaderAcked":
    case "upToDate":
      return broadcastMessage(st, h, m);
  }
}

/** §4.1 steps 2–3: who the learner is, and its vote for the epoch. */
function learnerInfo(st: Step, h: LearnerHandler, m: LearnerMessage): void {
  if (m.kind !== "followerInfo" && m.kind !== "observerInfo") {
    return st.close(h.conn, `First packet ${m.kind} is not FOLLOWERINFO or OBSERVERINFO!`);
  }
  if (m.protocolVersion < ZAB_PROTOCOL_VERSION) {
    return st.close(h.conn, `learner speaks Zab protocol 0x${m.protocolVersion.toString(16)}`);
  }
  if (m.configVersion > st.s.cfg.configVersion) {
    return st.close(h.conn, `learner's config version ${m.configVersion} is ahead of ours`);
  }
  const role = m.kind === "followerInfo" ? "follower" : "observer";
  const voter = role === "follower" && st.s.cfg.voters.has(m.sid);
  if (!st.s.cfg.voters.has(m.sid) && role === "follower") {
    st.effects.push({
      kind: "info",
      text: `Follower sid: ${m.sid} not in the current config ${st.s.cfg.voters.size} voters`,
    });
  }
  h = st.set(h, {
    sid: m.sid,
    role,
    voter,
    phase: "info",
    acceptedEpoch: m.acceptedEpoch,
    deadline: st.s.tick + st.s.cfg.initLimit,
  });
  if (st.s.epoch >= 0) return leaderInfo(st, h);
  // getEpochToPropose: every learner's acceptedEpoch raises the proposal; voters make the quorum.
  if (m.acceptedEpoch >= st.s.proposedEpoch) st.s.proposedEpoch = m.acceptedEpoch + 1;
  if (voter && !st.s.connecting.includes(m.sid)) st.s.connecting = [...st.s.connecting, m.sid];
  if (!containsQuorum(st.s.cfg, st.s.connecting)) return;
  const epoch = st.s.proposedEpoch;
  st.s.epoch = epoch;
  st.s.acceptedEpoch = epoch;
  st.s.phase = "epochAck";
  st.s.waitStart = st.s.tick;
  st.effects.push({ kind: "writeEpoch", name: "acceptedEpoch", epoch });
  for (const other of [...st.handlers.values()]) {
    if (other.phase === "info") leaderInfo(st, other);
  }
}

function leaderInfo(st: Step, h: LearnerHandler): void {
  st.set(h, { phase: "leaderInfoSent" });
  st.send(h.conn, {
    kind: "leaderInfo",
    newEpoch: st.s.epoch,
    protocolVersion: ZAB_PROTOCOL_VERSION,
  });
}

/** §4.1 step 6: a quorum of ACKEPOCHs (−1 does not count) fixes currentEpoch. */
function ackEpoch(st: Step, h: LearnerHandler, m: LearnerMessage): void {
  if (m.kind !== "ackEpoch") return st.close(h.conn, `expected ACKEPOCH, got ${m.kind}`);
  h = st.set(h, { phase: "epochAcked", currentEpoch: m.currentEpoch, lastZxid: m.lastZxid });
  if (st.s.phase !== "epochAck") return syncLearner(st, h);
  if (m.currentEpoch !== -1) {
    const ahead = m.currentEpoch > st.s.currentEpoch ||
      (m.currentEpoch === st.s.currentEpoch && m.lastZxid > st.s.lastProcessed);
    if (ahead) {
      return st.close(
        h.conn,
        `Follower is ahead of the leader, leader summary: ${st.s.currentEpoch} (current epoch), ${
          hexZxid(st.s.lastProcessed)
        } (last zxid)`,
      );
    }
    if (m.lastZxid !== -1 && h.voter && !st.s.epochAcks.includes(h.sid)) {
      st.s.epochAcks = [...st.s.epochAcks, h.sid];
    }
  }
  if (!containsQuorum(st.s.cfg, st.s.epochAcks)) return;
  st.s.currentEpoch = st.s.epoch;
  st.s.phase = "newLeader";
  st.s.waitStart = st.s.tick;
  st.effects.push({ kind: "writeEpoch", name: "currentEpoch", epoch: st.s.epoch });
  for (const other of [...st.handlers.values()]) {
    if (other.phase === "epochAcked") syncLearner(st, other);
  }
}

/**
 * §4.2: the op packet (or the snapshot) first, then the committed txns after the learner's
 * zxid, then — from here on it is forwarded — the outstanding proposals (followers only), then
 * NEWLEADER. In one step, so no commit can fall between the plan and the forwarding.
 */
function syncLearner(st: Step, h: LearnerHandler): void {
  const plan = planSync(st.s.committedLog, st.s.lastProcessed, h.lastZxid, h.sid);
  st.effects.push({ kind: "info", text: plan.note });
  if (plan.mode === "snap") {
    st.effects.push({ kind: "sendSnapshot", conn: h.conn, zxid: plan.zxid });
  } else st.send(h.conn, { kind: plan.mode, zxid: plan.zxid });
  for (const entry of plan.entries) {
    st.send(h.conn, { kind: "proposal", entry });
    st.send(h.conn, { kind: "commit", zxid: entry.hdr.zxid });
  }
  const unacked: { zxid: number; tick: number }[] = [];
  if (h.role === "follower") {
    for (const o of st.s.outstanding) {
      st.send(h.conn, { kind: "proposal", entry: o.entry });
      unacked.push({ zxid: o.entry.hdr.zxid, tick: st.s.tick });
    }
  }
  st.send(h.conn, {
    kind: "newLeader",
    zxid: epochZxid(st.s.epoch),
    config: st.s.cfg.configText,
  });
  st.set(h, { phase: "syncing", syncMode: plan.mode, unacked });
}

/** §4.3 step 4: the first packet after NEWLEADER must be its ACK (§9.4). */
function newLeaderAck(st: Step, h: LearnerHandler, m: LearnerMessage): void {
  if (m.kind !== "ack") {
    return st.close(
      h.conn,
      `Next packet was supposed to be an ACK, but received packet: ${m.kind}`,
    );
  }
  h = st.set(h, { phase: "newLeaderAcked", deadline: st.s.tick + st.s.cfg.syncLimit });
  const want = epochZxid(st.s.epoch);
  if (m.zxid !== want) {
    st.effects.push({
      kind: "warn",
      text: `Got unexpected ACK 0x${m.zxid.toString(16)} from a different epoch, expected ${
        hexZxid(want)
      } from sid ${h.sid}`,
    });
  } else if (h.voter && !st.s.newLeaderAcks.includes(h.sid)) {
    st.s.newLeaderAcks = [...st.s.newLeaderAcks, h.sid];
  }
  if (st.s.phase === "broadcast") return upToDate(st, h);
  if (st.s.phase === "newLeader" && containsQuorum(st.s.cfg, st.s.newLeaderAcks)) establish(st);
}

/** A quorum is synced: serve, and let every synced learner in (Leader.startZkServer). */
function establish(st: Step): void {
  const zxid = epochZxid(st.s.epoch);
  st.s.phase = "broadcast";
  st.s.lastProcessed = zxid;
  st.s.lastProposed = zxid;
  st.effects.push({ kind: "established", epoch: st.s.epoch, zxid });
  for (const h of [...st.handlers.values()]) if (h.phase === "newLeaderAcked") upToDate(st, h);
}

function upToDate(st: Step, h: LearnerHandler): void {
  st.set(h, { phase: "upToDate" });
  st.send(h.conn, { kind: "upToDate" });
}

/** §4.4–4.5 and §6: ACKs, PING replies, forwarded requests, REVALIDATE. */
function broadcastMessage(st: Step, h: LearnerHandler, m: LearnerMessage): void {
  switch (m.kind) {
    case "ack":
      return ack(st, h, m.zxid);
    case "pingReply":
      if (m.touches.length > 0) {
        st.effects.push({ kind: "touch", conn: h.conn, touches: m.touches });
      }
      return;
    case "request":
      if (m.opType === OP_SYNC) return sync(st, h.conn);
      st.effects.push({ ...m, conn: h.conn });
      return;
    case "revalidate":
      st.effects.push({
        kind: "revalidate",
        conn: h.conn,
        sessionId: m.sessionId,
        timeoutMs: m.timeoutMs,
      });
      return;
    default:
      st.effects.push({ kind: "warn", text: `unexpected ${m.kind} from sid ${h.sid}` });
  }
}

/** An ACK: counted for a voter; stale, unknown and epoch-marker ACKs are ignored (§4.4 step 4). */
function ack(st: Step, h: LearnerHandler, zxid: number): void {
  if (h.unacked.length > 0) st.set(h, { unacked: h.unacked.filter((u) => u.zxid > zxid) });
  if (zxid % 2 ** 32 === 0) return;
  const i = st.s.outstanding.findIndex((o) => o.entry.hdr.zxid === zxid);
  if (i < 0 || !h.voter) return;
  const o = st.s.outstanding[i];
  if (o.acks.includes(h.sid)) return;
  const outstanding = [...st.s.outstanding];
  outstanding[i] = { ...o, acks: [...o.acks, h.sid] };
  st.s.outstanding = outstanding;
  tryCommit(st);
}

/** Commits the head of the outstanding proposals while it has a quorum: zxid order, no gaps. */
function tryCommit(st: Step): void {
  let n = 0;
  while (n < st.s.outstanding.length && containsQuorum(st.s.cfg, st.s.outstanding[n].acks)) n++;
  if (n === 0) return;
  const done = st.s.outstanding.slice(0, n);
  st.s.outstanding = st.s.outstanding.slice(n);
  const log = [...st.s.committedLog];
  for (const { entry } of done) {
    const zxid = entry.hdr.zxid;
    for (const h of st.handlers.values()) {
      if (!isForwarding(h)) continue;
      if (h.role === "follower") st.send(h.conn, { kind: "commit", zxid });
      else st.send(h.conn, { kind: "inform", entry });
    }
    st.effects.push({ kind: "apply", entry });
    log.push(entry);
    st.s.lastProcessed = zxid;
  }
  st.s.committedLog = log.length > st.s.cfg.maxCommittedLog
    ? log.slice(log.length - st.s.cfg.maxCommittedLog)
    : log;
  const ready = st.s.pendingSyncs.filter((p) => p.zxid <= st.s.lastProcessed);
  if (ready.length === 0) return;
  st.s.pendingSyncs = st.s.pendingSyncs.filter((p) => p.zxid > st.s.lastProcessed);
  for (const p of ready) st.send(p.conn, { kind: "sync" });
}

/** A forwarded sync: answered once what is proposed now has committed (§3 SYNC). */
function sync(st: Step, conn: number): void {
  if (st.s.outstanding.length === 0) return st.send(conn, { kind: "sync" });
  st.s.pendingSyncs = [...st.s.pendingSyncs, { zxid: st.s.lastProposed, conn }];
}

/** §4.4 step 2: PROPOSAL to every forwarding follower, then the leader's own durable log. */
function propose(st: Step, entries: readonly TxnEntry[]): void {
  if (entries.length === 0) return;
  if (st.s.phase !== "broadcast") {
    throw new RangeError(`proposals while the leader is in ${st.s.phase}`);
  }
  let expect = st.s.lastProposed + 1;
  for (const e of entries) {
    if (e.hdr.zxid !== expect || epochOf(e.hdr.zxid) !== st.s.epoch) {
      throw new RangeError(`proposal ${hexZxid(e.hdr.zxid)}, expected ${hexZxid(expect)}`);
    }
    expect++;
  }
  const last = entries[entries.length - 1].hdr.zxid;
  if (last % 2 ** 32 === 0xffffffff) {
    // ZOOKEEPER-1277: the counter would roll over into the next epoch; a new election starts one.
    return st.stepDown("zxid lower 32 bits have rolled over, forcing re-election");
  }
  for (const h of [...st.handlers.values()]) {
    if (!isForwarding(h) || h.role !== "follower") continue;
    for (const entry of entries) st.send(h.conn, { kind: "proposal", entry });
    st.set(h, {
      unacked: [...h.unacked, ...entries.map((e) => ({ zxid: e.hdr.zxid, tick: st.s.tick }))],
    });
  }
  st.effects.push({ kind: "log", entries });
  st.s.lastProposed = last;
  st.s.outstanding = [
    ...st.s.outstanding,
    ...entries.map((entry) => ({ entry, acks: [st.s.cfg.sid] })),
  ];
  tryCommit(st);
}

const WAITS: Partial<Record<LeaderPhase, string>> = {
  discovery: "Timeout while waiting for epoch from quorum",
  epochAck: "Timeout while waiting for epoch to be acked by quorum",
  newLeader: "Timeout while waiting for NEWLEADER to be acked by quorum",
};

/** Leader.lead's loop (§4.5): every pass pings; every other pass is a tick with the checks. */
function onTick(st: Step): void {
  st.s.passes++;
  const isTick = st.s.passes % 2 === 0;
  if (isTick) st.s.tick++;
  const tick = st.s.tick;
  for (const h of [...st.handlers.values()]) {
    if (tick > h.deadline) {
      st.close(h.conn, `Read timed out: nothing from sid ${h.sid} for ${st.s.cfg.syncLimit} ticks`);
      continue;
    }
    if (!pinged(h.phase)) continue;
    const oldest = h.unacked[0];
    if (oldest !== undefined && tick - oldest.tick >= st.s.cfg.syncLimit) {
      st.close(h.conn, "Closing connection to peer due to transaction timeout.");
      continue;
    }
    st.send(h.conn, { kind: "ping", zxid: st.s.lastProposed, authinfo: null });
  }
  if (!isTick) return;
  const wait = WAITS[st.s.phase];
  if (wait !== undefined) {
    if (tick - st.s.waitStart >= st.s.cfg.initLimit) st.stepDown(wait);
    return;
  }
  // Synced voters: the leader and every voter heard from within syncLimit ticks.
  const synced = [st.s.cfg.sid];
  for (const h of st.handlers.values()) if (h.voter && tick <= h.deadline) synced.push(h.sid);
  if (!containsQuorum(st.s.cfg, synced)) {
    st.stepDown(
      `Not sufficient followers synced, only synced with sids: [ ${synced.join(",")} ]`,
    );
  }
}

/** The leader's sender thread starts with the sync: only then are PINGs sent (§4.3 step 5). */
function pinged(phase: HandlerPhase): boolean {
  return phase === "syncing" || phase === "newLeaderAcked" || phase === "upToDate";
}

function readLimit(st: Step, phase: HandlerPhase): number {
  return phase === "newLeaderAcked" || phase === "upToDate"
    ? st.s.cfg.syncLimit
    : st.s.cfg.initLimit;
}
