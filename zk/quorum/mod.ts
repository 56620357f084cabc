/**
 * The ZooKeeper ensemble's server-to-server protocols, as Apache ZooKeeper 3.8.0 speaks them.
 * So far: fast leader election — the election port's bytes (election_wire.ts), the majority
 * quorum and its config text (quorum_verifier.ts), the pure election machine (election.ts) and
 * the socket shell that runs it (election_peer.ts); and ZAB's learner side — the quorum port's
 * packets (quorum_packet.ts, quorum_message.ts, snap_stream.ts, leader_stream.ts), the pure
 * learner machine (learner.ts) and its shell (learner_peer.ts); ZAB's leader side — the
 * per-learner record and sync choice (learner_handler.ts), the pure leader machine (leader.ts),
 * the learner stream reader (learner_stream.ts) and the leader's shell (leader_peer.ts); and the
 * member's main loop (quorum_peer.ts), which elects, learns and serves clients through
 * zk/server's Forwarder.
 *
 * @module
 */
export * from "./election_wire.ts";
export * from "./quorum_verifier.ts";
export * from "./vote.ts";
export * from "./election.ts";
export * from "./connection_rule.ts";
export * from "./election_peer.ts";
export * from "./quorum_packet.ts";
export * from "./quorum_message.ts";
export * from "./snap_stream.ts";
export * from "./leader_stream.ts";
export * from "./learner.ts";
export * from "./learner_peer.ts";
export * from "./learner_handler.ts";
export * from "./leader.ts";
export * from "./learner_stream.ts";
export * from "./leader_peer.ts";
export * from "./quorum_peer.ts";
