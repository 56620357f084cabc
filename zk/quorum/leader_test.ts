// The leader machine rule by rule (quorum-protocol.md §4): discovery's epoch and its quorums,
// each learner's sync and NEWLEADER, the NEWLEADER quorum before UPTODATE, proposals committed
// in zxid order on a voter quorum, INFORM to observers, SYNC after pending commits, PINGs and
// syncLimit liveness.
import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import type { TxnEntry } from "../tree/txn.ts";
import {
  initialLeader,
  type LeaderEffect,
  type LeaderInput,
  type LeaderState,
  nextZxid,
  stepLeader,
} from "./leader.ts";
import type { LearnerMessage } from "./quorum_message.ts";

const E = 2 ** 32;
function txn(zxid: number): TxnEntry {
  return {
    hdr: { clientId: 1n, cxid: 0, zxid, time: 0, type: OpCode.error },
    txn: { type: OpCode.error, err: -1 },
  };
}
const info = (sid: number, acceptedEpoch: number, kind = "followerInfo"): LearnerMessage => ({
  kind: kind as "followerInfo",
  acceptedEpoch,
  sid,
  protocolVersion: 0x10000,
  configVersion: 0,
});

/** A leader (sid 1) of voters 1–3 (4 is an observer) driven input by input. */
class Harness {
  state: LeaderState;
  effects: LeaderEffect[] = [];
  constructor(history = [E + 1, E + 2].map(txn), voters = [1, 2, 3]) {
    this.state = initialLeader(
      { sid: 1, voters: new Set(voters), initLimit: 10, syncLimit: 5 },
      { acceptedEpoch: 1, currentEpoch: 1, history, lastZxid: history.at(-1)?.hdr.zxid ?? 0 },
    );
  }
  step(input: LeaderInput): LeaderEffect[] {
    const r = stepLeader(this.state, input);
    this.state = r.state;
    this.effects.push(...r.effects);
    return r.effects;
  }
  msg(conn: number, message: LearnerMessage): LeaderEffect[] {
    return this.step({ kind: "message", conn, message });
  }
  /** What conn was sent in `fx`, as kinds (and zxids in hex where they matter). */
  sent(fx: LeaderEffect[], conn: number): string[] {
    return fx.flatMap((e) => {
      if (e.kind === "sendSnapshot" && e.conn === conn) return [`SNAP ${e.zxid.toString(16)}`];
      if (e.kind !== "send" || e.conn !== conn) return [];
      const m = e.message;
      if ("zxid" in m) return [`${m.kind} ${m.zxid.toString(16)}`];
      if ("entry" in m) return [`${m.kind} ${m.entry.hdr.zxid.toString(16)}`];
      return [m.kind];
    });
  }
  /** Learners 2 and 3 (conns 2, 3) through discovery and sync, up to broadcast. */
  establish(lastZxid = E + 2): void {
    for (const c of [2, 3]) this.step({ kind: "connected", conn: c });
    for (const c of [2, 3]) this.msg(c, info(c, 1));
    for (const c of [2, 3]) this.msg(c, { kind: "ackEpoch", lastZxid, currentEpoch: 1 });
    for (const c of [2, 3]) this.msg(c, { kind: "ack", zxid: 2 * E });
    assert.equal(this.state.phase, "broadcast");
  }
}

Deno.test("leader: the epoch is 1 + the highest acceptedEpoch once a voter quorum connects", () => {
  const h = new Harness();
  for (const c of [2, 3, 4]) h.step({ kind: "connected", conn: c });
  // An observer's acceptedEpoch raises the epoch but does not make a quorum.
  assert.deepEqual(h.msg(4, info(4, 6, "observerInfo")), []);
  assert.deepEqual(h.msg(2, info(2, 3)), [
    { kind: "writeEpoch", name: "acceptedEpoch", epoch: 7 },
    { kind: "send", conn: 2, message: { kind: "leaderInfo", newEpoch: 7, protocolVersion: 65536 } },
    { kind: "send", conn: 4, message: { kind: "leaderInfo", newEpoch: 7, protocolVersion: 65536 } },
  ]);
  // A late learner gets LEADERINFO at once; its higher acceptedEpoch no longer changes anything.
  assert.deepEqual(h.sent(h.msg(3, info(3, 9)), 3), ["leaderInfo"]);
  assert.equal(h.state.epoch, 7);
});

Deno.test("leader: ACKEPOCH quorum writes currentEpoch, then each learner is synced", () => {
  const h = new Harness();
  for (const c of [2, 3, 4]) h.step({ kind: "connected", conn: c });
  h.msg(4, info(4, 1, "observerInfo"));
  h.msg(2, info(2, 1));
  h.msg(3, info(3, 1));
  // −1 ("already accepted") and observers do not count: no quorum yet.
  assert.deepEqual(h.msg(3, { kind: "ackEpoch", lastZxid: E + 2, currentEpoch: -1 }), []);
  assert.deepEqual(h.msg(4, { kind: "ackEpoch", lastZxid: 0, currentEpoch: 0 }), []);
  const fx = h.msg(2, { kind: "ackEpoch", lastZxid: E + 1, currentEpoch: 1 });
  assert.deepEqual(fx[0], { kind: "writeEpoch", name: "currentEpoch", epoch: 2 });
  assert.deepEqual(h.sent(fx, 2), [
    "diff 100000002",
    "proposal 100000002",
    "commit 100000002",
    "newLeader 200000000",
  ]);
  assert.deepEqual(h.sent(fx, 3), ["diff 100000002", "newLeader 200000000"]);
  assert.deepEqual(h.sent(fx, 4), ["SNAP 100000002", "newLeader 200000000"]);
  assert.equal(h.state.phase, "newLeader");
});

Deno.test("leader: a learner ahead of the leader is refused during discovery", () => {
  const h = new Harness();
  h.step({ kind: "connected", conn: 2 });
  h.msg(2, info(2, 1));
  const fx = h.msg(2, { kind: "ackEpoch", lastZxid: E + 9, currentEpoch: 1 });
  assert.equal(fx[0].kind, "close");
  assert.match((fx[0] as { reason: string }).reason, /^Follower is ahead of the leader/);
  assert.equal(h.state.handlers.size, 0);
});

Deno.test("leader: UPTODATE only after a quorum ACKed NEWLEADER; the first reply must be an ACK", () => {
  const h = new Harness();
  for (const c of [2, 3, 4]) h.step({ kind: "connected", conn: c });
  for (const c of [2, 3]) h.msg(c, info(c, 1));
  h.msg(4, info(4, 1));
  for (const c of [2, 3, 4]) h.msg(c, { kind: "ackEpoch", lastZxid: E + 2, currentEpoch: 1 });
  // 4 answers NEWLEADER with a PING reply: dropped (§9.4).
  const bad = h.msg(4, { kind: "pingReply", zxid: 0, touches: [], authinfo: null });
  assert.equal(bad[0].kind, "close");
  // An ACK of another zxid is not counted.
  const wrong = h.msg(2, { kind: "ack", zxid: E + 2 });
  assert.equal(wrong[0].kind, "warn");
  assert.equal(h.state.phase, "newLeader");
  const fx = h.msg(3, { kind: "ack", zxid: 2 * E });
  assert.deepEqual(fx[0], { kind: "established", epoch: 2, zxid: 2 * E });
  assert.deepEqual(h.sent(fx, 2), ["upToDate"]);
  assert.deepEqual(h.sent(fx, 3), ["upToDate"]);
  assert.equal(nextZxid(h.state), 2 * E + 1);
});

Deno.test("leader: proposals commit in zxid order on a voter quorum; observers get INFORM", () => {
  const h = new Harness(undefined, [1, 2, 3, 5, 6]);
  // Voters 1,2,3,5,6 (quorum 3); 4 an observer, 7 a non-voting follower.
  for (const c of [2, 3, 4, 7]) h.step({ kind: "connected", conn: c });
  for (const c of [2, 3, 7]) h.msg(c, info(c, 1));
  h.msg(4, info(4, 1, "observerInfo"));
  for (const c of [2, 3, 4, 7]) h.msg(c, { kind: "ackEpoch", lastZxid: E + 2, currentEpoch: 1 });
  for (const c of [2, 3, 4, 7]) h.msg(c, { kind: "ack", zxid: 2 * E });
  assert.equal(h.state.phase, "broadcast");
  const [a, b] = [txn(2 * E + 1), txn(2 * E + 2)];
  const fx = h.step({ kind: "propose", entries: [a, b] });
  assert.deepEqual(h.sent(fx, 2), ["proposal 200000001", "proposal 200000002"]);
  assert.deepEqual(h.sent(fx, 7), ["proposal 200000001", "proposal 200000002"]);
  assert.deepEqual(h.sent(fx, 4), []);
  assert.deepEqual(fx.at(-1), { kind: "log", entries: [a, b] });
  // b reaches a quorum first (1, 2, 3) but waits for a; the non-voter's ACK never counts.
  h.msg(7, { kind: "ack", zxid: 2 * E + 1 });
  h.msg(2, { kind: "ack", zxid: 2 * E + 2 });
  assert.deepEqual(h.msg(3, { kind: "ack", zxid: 2 * E + 2 }), []);
  h.msg(2, { kind: "ack", zxid: 2 * E + 1 });
  const commit = h.msg(3, { kind: "ack", zxid: 2 * E + 1 });
  assert.deepEqual(h.sent(commit, 2), ["commit 200000001", "commit 200000002"]);
  assert.deepEqual(h.sent(commit, 7), ["commit 200000001", "commit 200000002"]);
  assert.deepEqual(h.sent(commit, 4), ["inform 200000001", "inform 200000002"]);
  assert.deepEqual(
    commit.filter((e) => e.kind === "apply").map((e) => (e as { entry: TxnEntry }).entry),
    [a, b],
  );
  assert.equal(h.state.lastProcessed, 2 * E + 2);
  // Stale and epoch-marker ACKs are ignored.
  assert.deepEqual(h.msg(2, { kind: "ack", zxid: 2 * E + 1 }), []);
  assert.deepEqual(h.msg(2, { kind: "ack", zxid: 2 * E }), []);
});

Deno.test("leader: a late learner gets committed txns, then outstanding proposals, then NEWLEADER", () => {
  const h = new Harness();
  h.establish();
  h.step({ kind: "propose", entries: [txn(2 * E + 1)] });
  h.msg(2, { kind: "ack", zxid: 2 * E + 1 }); // committed
  h.step({ kind: "propose", entries: [txn(2 * E + 2)] }); // outstanding
  h.step({ kind: "connected", conn: 9 });
  assert.deepEqual(h.sent(h.msg(9, info(9, 2)), 9), ["leaderInfo"]);
  const fx = h.msg(9, { kind: "ackEpoch", lastZxid: E + 1, currentEpoch: 1 });
  assert.deepEqual(h.sent(fx, 9), [
    "diff 200000001",
    "proposal 100000002",
    "commit 100000002",
    "proposal 200000001",
    "commit 200000001",
    "proposal 200000002",
    "newLeader 200000000",
  ]);
  // In broadcast, its NEWLEADER ACK is answered with UPTODATE at once, and it then gets COMMIT.
  assert.deepEqual(h.sent(h.msg(9, { kind: "ack", zxid: 2 * E }), 9), ["upToDate"]);
  assert.deepEqual(h.sent(h.msg(3, { kind: "ack", zxid: 2 * E + 2 }), 9), ["commit 200000002"]);
});

Deno.test("leader: SYNC is answered after the proposals pending when it came commit", () => {
  const h = new Harness();
  h.establish();
  const sync: LearnerMessage = {
    kind: "request" as const,
    sessionId: 5n,
    cxid: 1,
    opType: 9,
    body: new Uint8Array(),
    authinfo: [],
  };
  assert.deepEqual(h.sent(h.msg(2, sync), 2), ["sync"]); // nothing pending: at once
  h.step({ kind: "propose", entries: [txn(2 * E + 1)] });
  assert.deepEqual(h.sent(h.msg(3, sync), 3), []);
  h.step({ kind: "propose", entries: [txn(2 * E + 2)] });
  const fx = h.msg(2, { kind: "ack", zxid: 2 * E + 1 });
  assert.deepEqual(h.sent(fx, 3), ["commit 200000001", "sync"]);
  // Other requests go to the shell's prep.
  const w = h.msg(2, { ...sync, opType: 1 } as LearnerMessage);
  assert.equal(w[0].kind, "request");
});

Deno.test("leader: PINGs each half tick; a silent learner is dropped; no quorum, no leader", () => {
  const h = new Harness();
  h.establish();
  const fx = h.step({ kind: "tick" });
  assert.deepEqual(h.sent(fx, 2), ["ping 200000000"]);
  // Learner 2 keeps answering, 3 goes silent: after syncLimit (5) ticks 3 is dropped, and the
  // leader still has a quorum (1, 2).
  for (let i = 0; i < 12; i++) {
    h.step({ kind: "tick" });
    h.msg(2, { kind: "pingReply", zxid: 0, touches: [], authinfo: null });
  }
  assert(h.effects.some((e) => e.kind === "close" && e.conn === 3));
  assert.equal(h.state.phase, "broadcast");
  for (let i = 0; i < 14; i++) h.step({ kind: "tick" });
  assert.equal(h.state.phase, "stopped");
  assert.match(
    h.state.stopReason!,
    /^Not sufficient followers synced, only synced with sids: \[ 1 \]/,
  );
});

Deno.test("leader: a follower that does not ACK a proposal within syncLimit is dropped", () => {
  const h = new Harness();
  h.establish();
  h.step({ kind: "propose", entries: [txn(2 * E + 1)] });
  h.msg(2, { kind: "ack", zxid: 2 * E + 1 });
  for (let i = 0; i < 10; i++) {
    h.step({ kind: "tick" });
    for (const c of [2, 3]) h.msg(c, { kind: "pingReply", zxid: 0, touches: [], authinfo: null });
  }
  const closes = h.effects.filter((e) => e.kind === "close");
  assert.deepEqual(closes, [{
    kind: "close",
    conn: 3,
    reason: "Closing connection to peer due to transaction timeout.",
  }]);
});

Deno.test("leader: no epoch quorum within initLimit ticks: the leader steps down", () => {
  const h = new Harness();
  h.step({ kind: "connected", conn: 2 });
  for (let i = 0; i < 19; i++) h.step({ kind: "tick" });
  assert.equal(h.state.phase, "discovery");
  h.step({ kind: "tick" });
  assert.equal(h.state.phase, "stopped");
  assert.equal(h.state.stopReason, "Timeout while waiting for epoch from quorum");
});

Deno.test("leader: proposals must carry the next zxids; a rollover forces a new election", () => {
  const h = new Harness();
  h.establish();
  assert.throws(() => h.step({ kind: "propose", entries: [txn(2 * E + 2)] }), RangeError);
  const s = { ...h.state, lastProposed: 2 * E + 0xfffffffe };
  const r = stepLeader(s, { kind: "propose", entries: [txn(2 * E + 0xffffffff)] });
  assert.equal(r.state.phase, "stopped");
  assert.match(r.state.stopReason!, /rolled over/);
});

Deno.test("leader: a learner waiting for the epoch quorum has initLimit ticks, not syncLimit", () => {
  const h = new Harness(undefined, [1, 2, 3, 4, 5]); // 1 and 2 are no quorum of 5
  h.step({ kind: "connected", conn: 2 });
  h.msg(2, info(2, 1));
  for (let i = 0; i < 18; i++) h.step({ kind: "tick" }); // 9 ticks: past syncLimit (5)
  assert.deepEqual(h.effects.filter((e) => e.kind === "close"), []);
  h.step({ kind: "tick" });
  h.step({ kind: "tick" }); // the 10th tick: initLimit without a quorum ends the round
  assert.equal(h.state.stopReason, "Timeout while waiting for epoch from quorum");
});
