/**
 * The leader's view of one learner connection (Apache's LearnerHandler), and the choice of how to
 * bring that learner up to date (`LearnerHandler.syncFollower` and `queueCommittedProposals`,
 * quorum-protocol.md §4.2): pure data and pure functions, used by the leader machine in
 * leader.ts.
 *
 * @module
 */
import type { TxnEntry } from "../tree/txn.ts";
import { epochOf } from "./quorum_packet.ts";
import type { SyncMode } from "./learner.ts";

/** Where one learner is in §4's steps, as its leader sees it. */
export type HandlerPhase =
  /** Connected; its LearnerInfo has not come yet. */
  | "connected"
  /** LearnerInfo received; waiting for the epoch quorum before LEADERINFO. */
  | "info"
  /** LEADERINFO sent; waiting for its ACKEPOCH. */
  | "leaderInfoSent"
  /** ACKEPOCH received; waiting for the epoch-ACK quorum before syncing it. */
  | "epochAcked"
  /** Sync packets and NEWLEADER queued; the next packet must be the NEWLEADER ACK. */
  | "syncing"
  /** NEWLEADER ACKed; waiting for the leader's quorum before UPTODATE. */
  | "newLeaderAcked"
  /** UPTODATE sent: in broadcast. */
  | "upToDate";

/** One learner connection. Treat as immutable. */
export interface LearnerHandler {
  /** The shell's name for the connection: a sid can reconnect before its old socket dies. */
  readonly conn: number;
  readonly sid: number;
  readonly role: "follower" | "observer";
  /** A follower the config lists as a participant: only its ACKs count (§7 item 4). */
  readonly voter: boolean;
  readonly phase: HandlerPhase;
  readonly acceptedEpoch: number;
  /** From ACKEPOCH: the learner's currentEpoch (−1: "already accepted") and lastLoggedZxid. */
  readonly currentEpoch: number;
  readonly lastZxid: number;
  readonly syncMode: SyncMode | null;
  /** The tick by which the next packet must come (tickOfNextAckDeadline, §4.5). */
  readonly deadline: number;
  /** Proposals sent and not yet ACKed, with the tick each was sent at (the ACK deadline). */
  readonly unacked: readonly { zxid: number; tick: number }[];
}

/** A connection whose LearnerInfo has not come yet; `deadline`: the tick it must come by. */
export function newHandler(conn: number, deadline: number): LearnerHandler {
  return {
    conn,
    sid: -1,
    role: "follower",
    voter: false,
    phase: "connected",
    acceptedEpoch: -1,
    currentEpoch: -1,
    lastZxid: -1,
    syncMode: null,
    deadline,
    unacked: [],
  };
}

/** Whether PROPOSAL/COMMIT/INFORM reach this learner: from its sync on (startForwarding). */
export function isForwarding(h: LearnerHandler): boolean {
  return h.phase === "syncing" || h.phase === "newLeaderAcked" || h.phase === "upToDate";
}

/** How a learner is synced: the op packet, and the committed txns to send as PROPOSAL+COMMIT. */
export interface SyncPlan {
  mode: SyncMode;
  /** The DIFF or TRUNC packet's zxid; for SNAP, the snapshot's zxid (lastProcessedZxid). */
  zxid: number;
  /** Committed txns after the learner's zxid, in order (empty for SNAP). */
  entries: TxnEntry[];
  /** Apache's log line for the choice. */
  note: string;
}

const low32 = (zxid: number) => zxid % 2 ** 32;
const hex = (zxid: number) => zxid.toString(16);

/**
 * Apache's choice (§4.2), first matching rule wins: in sync → empty DIFF; past the committed log
 * (and not a new-epoch zxid) → TRUNC to its end; inside the committed log → DIFF (or TRUNC to the
 * txn before an unknown zxid of the same epoch) and every later committed txn; otherwise SNAP.
 * Apache's 4th rule (a DIFF read from the on-disk log for a learner older than the committed log)
 * is not taken: herd sends SNAP there, which Apache also falls back to.
 *
 * @param log the committed log: the last committed txns, in zxid order (committedLog)
 * @param lastProcessed the leader's last applied zxid
 * @param peer the learner's last logged zxid (from ACKEPOCH)
 */
export function planSync(
  log: readonly TxnEntry[],
  lastProcessed: number,
  peer: number,
  sid: number,
): SyncPlan {
  const min = log.length === 0 ? 0 : log[0].hdr.zxid;
  const max = log.length === 0 ? 0 : log[log.length - 1].hdr.zxid;
  const newEpochPeer = low32(peer) === 0;
  if (peer === lastProcessed) {
    return { mode: "diff", zxid: peer, entries: [], note: diffNote(peer, sid) };
  }
  if (peer > max && !newEpochPeer) {
    return {
      mode: "trunc",
      zxid: max,
      entries: [],
      note: `Sending TRUNC to follower zxidToSend=0x${hex(max)} for peer sid:${sid}`,
    };
  }
  if (max >= peer && min <= peer) {
    const plan = fromCommittedLog(log, peer, max, sid);
    if (plan !== null) return plan;
  }
  return {
    mode: "snap",
    zxid: lastProcessed,
    entries: [],
    note: `Sending snapshot last zxid of peer is 0x${hex(peer)}, zxid of leader is 0x${
      hex(lastProcessed)
    }, send zxid of db as 0x${hex(lastProcessed)}`,
  };
}

function diffNote(zxid: number, sid: number): string {
  return `Sending DIFF zxid=0x${hex(zxid)}  for peer sid: ${sid}`;
}

/**
 * queueCommittedProposals over the committed log, for a peer inside it. Null when no op packet
 * can be sent (a TRUNC would cross an epoch boundary): the caller falls back to SNAP.
 */
function fromCommittedLog(
  log: readonly TxnEntry[],
  peer: number,
  lastCommitted: number,
  sid: number,
): SyncPlan | null {
  const newEpochPeer = low32(peer) === 0;
  let op: Omit<SyncPlan, "entries"> | null = null;
  let prev = -1;
  const entries: TxnEntry[] = [];
  for (const e of log) {
    const zxid = e.hdr.zxid;
    if (zxid < peer) {
      prev = zxid;
      continue;
    }
    if (op === null) {
      if (zxid === peer) {
        op = { mode: "diff", zxid: lastCommitted, note: diffNote(lastCommitted, sid) };
        continue;
      }
      if (newEpochPeer) {
        op = { mode: "diff", zxid: lastCommitted, note: diffNote(lastCommitted, sid) };
      } else {
        // The peer has txns this leader never saw (it may have led): cut them, unless that
        // would cross an epoch, which the learner cannot do.
        if (epochOf(zxid) !== epochOf(peer)) return null;
        op = {
          mode: "trunc",
          zxid: prev,
          note: `Sending TRUNC zxid=0x${hex(prev)}  for peer sid: ${sid}`,
        };
      }
    }
    if (zxid > peer) entries.push(e);
  }
  if (op === null && newEpochPeer) {
    op = { mode: "diff", zxid: lastCommitted, note: diffNote(lastCommitted, sid) };
  }
  return op === null ? null : { ...op, entries };
}
