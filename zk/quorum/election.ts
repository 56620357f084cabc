/**
 * Fast leader election (Apache's FastLeaderElection, `electionAlg=3`) as a pure state machine:
 * `stepElection(state, input)` returns the next state and the effects (notifications to send,
 * when to be woken, the decision, log lines in Apache's words). Sockets and timers live in the
 * shell (election_peer.ts); the simulator (election_sim_test.ts) drives the same function.
 *
 * It folds Apache's two threads into one step: the receiver's immediate answers (to non-voters,
 * to LOOKING peers of an older round, to LOOKING peers once settled) come first, then the
 * lookForLeader loop's handling of the same notification (quorum-protocol.md §2.2–§2.5).
 *
 * @module
 */
import type { Notification, ServerState } from "./election_wire.ts";
import { NOTIFICATION_VERSION } from "./election_wire.ts";
import {
  containsQuorum,
  parseConfigText,
  type QuorumVerifier,
  sameMembers,
} from "./quorum_verifier.ts";
import { hex64, isBetter, NO_VOTE, type Proposal, sameVote, type Vote } from "./vote.ts";

/** FastLeaderElection.finalizeWait: quiet time after a quorum agrees before deciding (§2.4). */
export const FINALIZE_WAIT = 200;

/** What election needs to know about the ensemble and this server. */
export interface ElectionConfig {
  myid: number;
  qv: QuorumVerifier;
  /** `zookeeper.fastleader.minNotificationInterval`, ms (200). */
  minNotificationInterval: number;
  /** `zookeeper.fastleader.maxNotificationInterval`, ms (60000). */
  maxNotificationInterval: number;
}

/** The election's whole state; steps return a new one and never change the one given. */
export interface ElectionState {
  readonly config: ElectionConfig;
  /** The peer's state; LOOKING while an election runs. */
  peerState: ServerState;
  /** logicalclock: this server's election round. */
  round: bigint;
  /** The vote this server started the round with (its own, or NO_VOTE for an observer). */
  initial: Proposal;
  /** The vote it currently proposes. */
  proposal: Proposal;
  /** The last decided vote (QuorumPeer.getCurrentVote), which settled servers answer with. */
  currentVote: Vote;
  /** Votes of this round, by sender. */
  recvset: ReadonlyMap<number, Vote>;
  /** FOLLOWING/LEADING votes of any round: how a newcomer joins a running ensemble. */
  outOfElection: ReadonlyMap<number, Vote>;
  /** The poll timeout, doubling on each quiet poll (notTimeout). */
  pollTimeout: number;
  /** When the poll or the finalize wait ends (ms); undefined when not LOOKING. */
  deadline?: number;
  /** A quorum agrees with the proposal: deciding at `deadline` unless a better vote comes. */
  finalizing: boolean;
  /** When this round started (for LEADER ELECTION TOOK). */
  lookingSince: number;
}

/** What drives the election. Every input carries the shell's Clock reading, `now` (ms). */
export type ElectionInput =
  /** Start (or restart, after losing the leader) an election with this server's log position. */
  | { kind: "look"; now: number; lastZxid: bigint; currentEpoch: bigint }
  /** A notification received from server `sid`. */
  | { kind: "notification"; now: number; sid: number; n: Notification }
  /** Time passed; `delivered` is QuorumCnxManager.haveDelivered (a peer's queue is empty). */
  | { kind: "tick"; now: number; delivered: boolean }
  /** Discovery agreed on a new epoch: the current vote carries it (ZOOKEEPER-1732, §2.4). */
  | { kind: "synced"; now: number; peerEpoch: bigint };

/** Where Apache logs an election line from: the peer's main thread or the receiver thread. */
export type ElectionThread = "QuorumPeer" | "WorkerReceiver";

/** What the shell must do after a step. */
export type ElectionEffect =
  | { kind: "send"; to: number; n: Notification }
  /** Nothing could be delivered: (re)connect to every voter (QuorumCnxManager.connectAll). */
  | { kind: "connectAll" }
  /**
   * The election is over. `via` says how: "votes" when a quorum's LOOKING votes agreed with this
   * server's proposal; "ensemble" when a quorum answered FOLLOWING/LEADING for the same leader.
   */
  | {
    kind: "decided";
    peerState: ServerState;
    vote: Vote;
    tookMs: number;
    via: "votes" | "ensemble";
  }
  | { kind: "log"; level: "INFO" | "WARN"; thread: ElectionThread; site: string; msg: string };

/** A step's outcome: the new state, effects in order, and when to tick next (if at all). */
export interface ElectionStep {
  state: ElectionState;
  effects: ElectionEffect[];
  /** The shell should send a tick at or after this time; undefined: no timer needed. */
  wakeAt?: number;
}

const RECEIVER_SITE = "FastLeaderElection$Messenger$WorkerReceiver@391";

/**
 * A server before its first election: FOLLOWING nobody, its current vote its own.
 *
 * @example
 * ```ts
 * import { initialElection, stepElection } from "./election.ts";
 * import { quorumVerifier } from "./quorum_verifier.ts";
 * import { parseZooCfg } from "../config/mod.ts";
 * const cfg = parseZooCfg("dataDir=/d\ninitLimit=5\nsyncLimit=2\nserver.1=a:1:2\nserver.2=b:1:2\nserver.3=c:1:2\n", "zoo.cfg");
 * const s0 = initialElection({ myid: 1, qv: quorumVerifier(cfg.servers), minNotificationInterval: 200, maxNotificationInterval: 60000 });
 * const { effects } = stepElection(s0, { kind: "look", now: 0, lastZxid: 0n, currentEpoch: 0n });
 * effects.filter((e) => e.kind === "send").length; // 3: every voter, itself included
 * ```
 */
export function initialElection(config: ElectionConfig): ElectionState {
  const own = ownProposal(config, 0n, 0n);
  return {
    config,
    peerState: "LOOKING",
    round: 0n,
    initial: own,
    proposal: own,
    currentVote: { ...own, electionEpoch: 0n, state: "LOOKING", version: NOTIFICATION_VERSION },
    recvset: new Map(),
    outOfElection: new Map(),
    pollTimeout: config.minNotificationInterval,
    finalizing: false,
    lookingSince: 0,
  };
}

function ownProposal(config: ElectionConfig, lastZxid: bigint, currentEpoch: bigint): Proposal {
  if (!config.qv.voters.has(config.myid)) {
    return { leader: NO_VOTE, zxid: NO_VOTE, peerEpoch: NO_VOTE };
  }
  return { leader: BigInt(config.myid), zxid: lastZxid, peerEpoch: currentEpoch };
}

/** A step in progress: a private copy of the state, the effects so far, self-addressed mail. */
interface Work {
  s: ElectionState & { recvset: Map<number, Vote>; outOfElection: Map<number, Vote> };
  fx: ElectionEffect[];
  /** Notifications to self, delivered locally after the input (QuorumCnxManager loopback). */
  loopback: Notification[];
  now: number;
}

/**
 * One step of the election.
 *
 * @example
 * ```ts ignore
 * const { state, effects, wakeAt } = stepElection(s, { kind: "notification", now, sid: 3, n });
 * ```
 */
export function stepElection(state: ElectionState, input: ElectionInput): ElectionStep {
  const w: Work = {
    s: { ...state, recvset: new Map(state.recvset), outOfElection: new Map(state.outOfElection) },
    fx: [],
    loopback: [],
    now: input.now,
  };
  switch (input.kind) {
    case "look":
      look(w, input.lastZxid, input.currentEpoch);
      break;
    case "notification":
      receive(w, input.sid, input.n);
      break;
    case "tick":
      tick(w, input.delivered);
      break;
    case "synced":
      w.s.currentVote = { ...w.s.currentVote, peerEpoch: input.peerEpoch };
      break;
  }
  // Bounded: a step sends to itself at most once per broadcast, and a broadcast needs a change.
  for (let i = 0; i < w.loopback.length; i++) receive(w, w.s.config.myid, w.loopback[i]);
  return {
    state: w.s,
    effects: w.fx,
    wakeAt: w.s.peerState === "LOOKING" ? w.s.deadline : undefined,
  };
}

function log(w: Work, thread: ElectionThread, site: string, msg: string): void {
  w.fx.push({ kind: "log", level: "INFO", thread, site, msg });
}

/** lookForLeader's start: a new round with this server's own vote, sent to every voter. */
function look(w: Work, lastZxid: bigint, currentEpoch: bigint): void {
  const s = w.s;
  log(w, "QuorumPeer", ROLE_SITES.LOOKING, "LOOKING");
  s.peerState = "LOOKING";
  s.round += 1n;
  s.initial = ownProposal(s.config, lastZxid, currentEpoch);
  s.proposal = s.initial;
  s.recvset.clear();
  s.outOfElection.clear();
  s.pollTimeout = s.config.minNotificationInterval;
  s.deadline = w.now + s.pollTimeout;
  s.finalizing = false;
  s.lookingSince = w.now;
  log(
    w,
    "QuorumPeer",
    "FastLeaderElection@946",
    `New election. My id = ${s.config.myid}, proposed zxid=0x${hex64(s.proposal.zxid)}`,
  );
  sendNotifications(w);
}

/** The proposal, as LOOKING, to every voter of the config (itself included, if it votes). */
function sendNotifications(w: Work): void {
  const s = w.s;
  for (const to of s.config.qv.voters) {
    const n: Notification = {
      state: "LOOKING",
      ...s.proposal,
      round: s.round,
      version: NOTIFICATION_VERSION,
      config: s.config.qv.text,
    };
    if (to === s.config.myid) w.loopback.push(n);
    else w.fx.push({ kind: "send", to, n });
  }
}

/** An answer to one server: `vote` with `round` and this server's state. */
function reply(w: Work, to: number, vote: Proposal, round: bigint): void {
  const n: Notification = {
    state: w.s.peerState,
    leader: vote.leader,
    zxid: vote.zxid,
    round,
    peerEpoch: vote.peerEpoch,
    version: NOTIFICATION_VERSION,
    config: w.s.config.qv.text,
  };
  if (to === w.s.config.myid) w.loopback.push(n);
  else w.fx.push({ kind: "send", to, n });
}

/** WorkerReceiver: the config check, immediate answers, then the main loop if LOOKING. */
function receive(w: Work, sid: number, n: Notification): void {
  const s = w.s;
  if (n.config !== undefined && configRestart(w, n.config)) return;
  if (!s.config.qv.voters.has(sid)) {
    // A non-voter (observer, or a sid not in our config) gets our current vote at once (§2.2).
    reply(w, sid, s.currentVote, s.round);
    return;
  }
  log(
    w,
    "WorkerReceiver",
    RECEIVER_SITE,
    `Notification: my state:${s.peerState}; n.sid:${sid}, n.state:${n.state}, ` +
      `n.leader:${n.leader}, n.round:0x${hex64(n.round)}, n.peerEpoch:0x${hex64(n.peerEpoch)}, ` +
      `n.zxid:0x${hex64(n.zxid)}, message format version:0x${n.version.toString(16)}, ` +
      `n.config version:0x${configVersion(n)}`,
  );
  if (s.peerState === "LOOKING") {
    const olderRound = n.state === "LOOKING" && n.round < s.round;
    const answer = { proposal: s.proposal, round: s.round };
    lookForLeader(w, sid, n);
    if (olderRound) reply(w, sid, answer.proposal, answer.round);
  } else if (n.state === "LOOKING") {
    reply(w, sid, s.currentVote, s.currentVote.electionEpoch);
  }
}

function configVersion(n: Notification): string {
  const parsed = n.config === undefined ? undefined : parseConfigText(n.config);
  return parsed ? hex64(parsed.version) : "0";
}

/**
 * The config-version trap (§2.3): a LOOKING server handed a config of a higher version that
 * names other members restarts its election from round 0, as Apache does even with reconfig off.
 */
function configRestart(w: Work, text: string): boolean {
  const s = w.s;
  const received = parseConfigText(text);
  if (!received || received.version <= s.config.qv.version || s.peerState !== "LOOKING") {
    return false;
  }
  if (sameMembers(s.config.qv, received)) return false;
  log(
    w,
    "WorkerReceiver",
    "FastLeaderElection$Messenger$WorkerReceiver@318",
    "restarting leader election",
  );
  s.round = 0n;
  const initial = s.initial;
  look(w, initial.zxid, initial.peerEpoch);
  return true;
}

/** The lookForLeader loop's handling of one notification from a voter. */
function lookForLeader(w: Work, sid: number, n: Notification): void {
  const s = w.s;
  if (s.finalizing) {
    // The finalize wait drains the queue: a better vote goes back and the election goes on;
    // anything else is dropped, and the wait starts again (recvqueue.poll(finalizeWait)).
    if (!isBetter(n, s.proposal)) {
      s.deadline = w.now + FINALIZE_WAIT;
      return;
    }
    s.finalizing = false;
  }
  s.deadline = w.now + s.pollTimeout;
  const leader = Number(n.leader);
  if (!Number.isSafeInteger(leader) || !s.config.qv.voters.has(leader)) return;
  const vote: Vote = {
    leader: n.leader,
    zxid: n.zxid,
    electionEpoch: n.round,
    peerEpoch: n.peerEpoch,
    state: n.state,
    version: n.version,
  };
  switch (n.state) {
    case "LOOKING":
      return looking(w, sid, vote);
    case "OBSERVING":
      return;
    case "FOLLOWING":
    case "LEADING":
      return settled(w, sid, vote);
  }
}

function looking(w: Work, sid: number, v: Vote): void {
  const s = w.s;
  if (s.initial.zxid === -1n || v.zxid === -1n) return;
  if (v.electionEpoch > s.round) {
    s.round = v.electionEpoch;
    s.recvset.clear();
    s.proposal = isBetter(v, s.initial) ? pick(v) : s.initial;
    sendNotifications(w);
  } else if (v.electionEpoch < s.round) {
    return;
  } else if (isBetter(v, s.proposal)) {
    s.proposal = pick(v);
    sendNotifications(w);
  }
  s.recvset.set(sid, { ...v, state: "LOOKING", version: NOTIFICATION_VERSION });
  const target: Vote = {
    ...s.proposal,
    electionEpoch: s.round,
    state: "LOOKING",
    version: NOTIFICATION_VERSION,
  };
  if (hasQuorum(s, s.recvset, target)) {
    s.finalizing = true;
    s.deadline = w.now + FINALIZE_WAIT;
  }
}

function pick(v: Proposal): Proposal {
  return { leader: v.leader, zxid: v.zxid, peerEpoch: v.peerEpoch };
}

/** A FOLLOWING or LEADING vote: join this round's decision, or the running ensemble (§2.4). */
function settled(w: Work, sid: number, v: Vote): void {
  const s = w.s;
  if (v.electionEpoch === s.round) {
    s.recvset.set(sid, v);
    if (hasQuorum(s, s.recvset, v) && checkLeader(s, s.recvset, v)) {
      return decide(w, v, "ensemble");
    }
  }
  s.outOfElection.set(sid, v);
  if (hasQuorum(s, s.outOfElection, v) && checkLeader(s, s.outOfElection, v)) {
    s.round = v.electionEpoch;
    decide(w, v, "ensemble");
  }
}

function hasQuorum(s: ElectionState, votes: ReadonlyMap<number, Vote>, target: Vote): boolean {
  const agreeing: number[] = [];
  for (const [sid, v] of votes) if (sameVote(v, target)) agreeing.push(sid);
  return containsQuorum(s.config.qv, agreeing);
}

/** The leader itself must have said LEADING, or be this server in this very round. */
function checkLeader(s: ElectionState, votes: ReadonlyMap<number, Vote>, v: Vote): boolean {
  if (v.leader !== BigInt(s.config.myid)) return votes.get(Number(v.leader))?.state === "LEADING";
  return s.round === v.electionEpoch;
}

/** The poll timer or the finalize wait ran out. */
function tick(w: Work, delivered: boolean): void {
  const s = w.s;
  if (s.peerState !== "LOOKING" || s.deadline === undefined || w.now < s.deadline) return;
  if (s.finalizing) {
    return decide(w, {
      ...s.proposal,
      electionEpoch: s.round,
      state: "LOOKING",
      version: NOTIFICATION_VERSION,
    }, "votes");
  }
  if (delivered) sendNotifications(w);
  else w.fx.push({ kind: "connectAll" });
  s.pollTimeout = Math.min(s.pollTimeout * 2, s.config.maxNotificationInterval);
  s.deadline = w.now + s.pollTimeout;
  log(w, "QuorumPeer", "FastLeaderElection@996", `Notification time out: ${s.pollTimeout} ms`);
}

/** The end of lookForLeader: LEADING if the vote is ours, else FOLLOWING or OBSERVING. */
function decide(w: Work, v: Vote, via: "votes" | "ensemble"): void {
  const s = w.s;
  const me = BigInt(s.config.myid);
  const peerState: ServerState = v.leader === me
    ? "LEADING"
    : s.config.qv.voters.has(s.config.myid)
    ? "FOLLOWING"
    : "OBSERVING";
  s.peerState = peerState;
  s.currentVote = {
    leader: v.leader,
    zxid: v.zxid,
    electionEpoch: v.electionEpoch,
    peerEpoch: v.peerEpoch,
    state: peerState,
    version: NOTIFICATION_VERSION,
  };
  s.finalizing = false;
  s.deadline = undefined;
  s.recvset.clear();
  s.outOfElection.clear();
  const tookMs = w.now - s.lookingSince;
  log(w, "QuorumPeer", "QuorumPeer@903", `Peer state changed: ${peerState.toLowerCase()}`);
  log(w, "QuorumPeer", ROLE_SITES[peerState], peerState);
  // Leader and Follower log how long the election took; Observer does not.
  if (peerState !== "OBSERVING") {
    const site = peerState === "LEADING" ? "Leader@588" : "Follower@77";
    log(w, "QuorumPeer", site, `${peerState} - LEADER ELECTION TOOK - ${tookMs} MS`);
  }
  w.fx.push({ kind: "decided", peerState, vote: s.currentVote, tookMs, via });
  // Leaving the election drops what is queued for it (leaveInstance clears recvqueue).
  w.loopback.length = 0;
}

const ROLE_SITES: Record<ServerState, string> = {
  LOOKING: "QuorumPeer@1455",
  FOLLOWING: "QuorumPeer@1537",
  LEADING: "QuorumPeer@1549",
  OBSERVING: "QuorumPeer@1518",
};
