/**
 * Which election connection survives between two servers: the one the higher sid opened
 * (QuorumCnxManager, quorum-protocol.md §1.4). Data for the shell, so the rule is tested on its
 * own and the shell only carries it out.
 *
 * @module
 */

/** What the initiator does after writing its handshake. */
export type InitiatorAction =
  /** Keep the socket: it is the connection to that peer. */
  | "keep"
  /** Close it: the peer (the higher sid) will dial back. */
  | "drop";

/** What the acceptor does with a connection after reading its handshake. */
export type AcceptorAction =
  /** Keep it, replacing any older connection with that sid. */
  | "keep"
  /** Close it and dial back to the initiator: only the higher sid's connection lives. */
  | "dropAndDialBack"
  /** A connection from our own sid (a misconfigured twin, ZOOKEEPER-2164): refuse it. */
  | "refuseOwnSid";

/**
 * The initiator's side: "Have smaller server identifier, so dropping the connection".
 *
 * @example
 * ```ts
 * import { initiatorAction } from "./connection_rule.ts";
 * initiatorAction(1, 2); // "drop": 2 dials back
 * initiatorAction(3, 2); // "keep"
 * ```
 */
export function initiatorAction(mySid: number, peerSid: number): InitiatorAction {
  return mySid < peerSid ? "drop" : "keep";
}

/**
 * The acceptor's side. Apache only logs a warning for its own sid and leaves that socket open;
 * herd closes it, since nothing can be elected through it.
 *
 * @example
 * ```ts
 * import { acceptorAction } from "./connection_rule.ts";
 * acceptorAction(3, 1); // "dropAndDialBack"
 * acceptorAction(1, 3); // "keep"
 * ```
 */
export function acceptorAction(mySid: number, peerSid: number): AcceptorAction {
  if (peerSid === mySid) return "refuseOwnSid";
  return peerSid < mySid ? "dropAndDialBack" : "keep";
}
