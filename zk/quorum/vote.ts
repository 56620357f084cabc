/**
 * Votes in fast leader election: which of two is better, and when two count as the same
 * (quorum-protocol.md §2.4).
 *
 * @module
 */
import type { ServerState } from "./election_wire.ts";

/** Long.MIN_VALUE: every field of an observer's own vote (§2.2). */
export const NO_VOTE = -(2n ** 63n);

/** What a server proposes: a leader and that leader's last zxid and epoch. */
export interface Proposal {
  leader: bigint;
  zxid: bigint;
  peerEpoch: bigint;
}

/** A vote as recorded from a notification, or a server's current (decided) vote. */
export interface Vote extends Proposal {
  /** The round it was cast in. */
  electionEpoch: bigint;
  /** The voter's state when it sent the vote. */
  state: ServerState;
  /** The notification format it came in (0 for the old forms). */
  version: number;
}

/**
 * totalOrderPredicate: true iff `a` is strictly better than `b`, comparing (peerEpoch, zxid,
 * leader sid) in that order. Majority quorums weigh every server 1, so no weight check applies.
 *
 * @example
 * ```ts
 * import { isBetter } from "./vote.ts";
 * isBetter({ leader: 1n, zxid: 5n, peerEpoch: 2n }, { leader: 3n, zxid: 9n, peerEpoch: 1n }); // true
 * ```
 */
export function isBetter(a: Proposal, b: Proposal): boolean {
  if (a.peerEpoch !== b.peerEpoch) return a.peerEpoch > b.peerEpoch;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid;
  return a.leader > b.leader;
}

/**
 * Vote.equals: while either side is LOOKING, leader, zxid, round and epoch must match; between
 * settled servers, leader and epoch (leader alone when exactly one vote is of format 0).
 *
 * @example
 * ```ts
 * import { sameVote } from "./vote.ts";
 * const v = { leader: 3n, zxid: 0n, electionEpoch: 1n, peerEpoch: 1n, state: "FOLLOWING" as const, version: 2 };
 * sameVote(v, { ...v, zxid: 7n, electionEpoch: 4n, state: "LEADING" }); // true
 * ```
 */
export function sameVote(a: Vote, b: Vote): boolean {
  if (a.state === "LOOKING" || b.state === "LOOKING") {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch &&
      a.peerEpoch === b.peerEpoch;
  }
  if ((a.version > 0) !== (b.version > 0)) return a.leader === b.leader;
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}

/** Long.toHexString: two's complement for negative values, as Apache's logs print them. */
export function hex64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16);
}
