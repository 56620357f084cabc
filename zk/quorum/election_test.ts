import assert from "node:assert/strict";
import { parseZooCfg } from "../config/mod.ts";
import {
  type ElectionEffect,
  type ElectionInput,
  type ElectionState,
  initialElection,
  stepElection,
} from "./election.ts";
import type { Notification, ServerState } from "./election_wire.ts";
import { quorumVerifier } from "./quorum_verifier.ts";
import { isBetter, NO_VOTE, sameVote, type Vote } from "./vote.ts";

// The reference pseudo-cluster (05-zkserver-status-and-cluster.transcript), plus an observer.
const CFG = parseZooCfg(
  "dataDir=/d\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2182:2183\n" +
    "server.2=127.0.0.1:2282:2283\nserver.3=127.0.0.1:2382:2383\n" +
    "server.4=127.0.0.1:2482:2483:observer\n",
  "zoo.cfg",
);
const QV = quorumVerifier(CFG.servers);

function machine(myid: number): ElectionState {
  return initialElection({
    myid,
    qv: QV,
    minNotificationInterval: 200,
    maxNotificationInterval: 60000,
  });
}

/** Runs inputs in order; returns the last state and every effect. */
function run(s: ElectionState, ...inputs: ElectionInput[]) {
  const effects: ElectionEffect[] = [];
  let wakeAt: number | undefined;
  for (const i of inputs) {
    const r = stepElection(s, i);
    s = r.state;
    effects.push(...r.effects);
    wakeAt = r.wakeAt;
  }
  return { s, effects, wakeAt };
}

const sends = (fx: ElectionEffect[]) =>
  fx.flatMap((e) => e.kind === "send" ? [{ to: e.to, ...e.n }] : []);
const logs = (fx: ElectionEffect[]) => fx.flatMap((e) => e.kind === "log" ? [e.msg] : []);
const decided = (fx: ElectionEffect[]) => fx.find((e) => e.kind === "decided");

function note(
  state: ServerState,
  leader: number,
  round: number,
  extra: Partial<Notification> = {},
): Notification {
  return {
    state,
    leader: BigInt(leader),
    zxid: 0n,
    round: BigInt(round),
    peerEpoch: 0n,
    version: 2,
    config: QV.text,
    ...extra,
  };
}
const from = (sid: number, n: Notification, now = 10): ElectionInput => ({
  kind: "notification",
  now,
  sid,
  n,
});
const look: ElectionInput = { kind: "look", now: 0, lastZxid: 0n, currentEpoch: 0n };

Deno.test("look: round 1, own vote to the other voters, itself through loopback (§2.2)", () => {
  const { s, effects, wakeAt } = run(machine(1), look);
  assert.equal(s.round, 1n);
  assert.equal(wakeAt, 200);
  assert.deepEqual(sends(effects).map((n) => n.to), [2, 3]);
  const n = sends(effects)[0];
  assert.deepEqual([n.state, n.leader, n.round, n.version, n.config], [
    "LOOKING",
    1n,
    1n,
    2,
    QV.text,
  ]);
  // The reference log's first lines for server 1 (05-cluster-n1.server.log:97-100).
  assert.deepEqual(logs(effects), [
    "LOOKING",
    "New election. My id = 1, proposed zxid=0x0",
    "Notification: my state:LOOKING; n.sid:1, n.state:LOOKING, n.leader:1, n.round:0x1, " +
    "n.peerEpoch:0x0, n.zxid:0x0, message format version:0x2, n.config version:0x0",
  ]);
  assert.deepEqual([...s.recvset.keys()], [1]);
});

Deno.test("a better vote is adopted and re-sent; a quorum decides after 200 quiet ms", () => {
  let { s, effects } = run(machine(1), look, from(2, note("LOOKING", 2, 1)));
  assert.equal(s.proposal.leader, 2n);
  assert.deepEqual(sends(effects).slice(2).map((n) => [n.to, n.leader]), [[2, 2n], [3, 2n]]);
  // Server 2's vote and our own (via loopback) now agree: finalizing, not decided.
  assert.ok(s.finalizing);
  assert.equal(decided(effects), undefined);
  // A vote that is not better restarts the wait; a tick before it ends decides nothing.
  ({ s, effects } = run(s, from(3, note("LOOKING", 2, 1), 100), {
    kind: "tick",
    now: 250,
    delivered: true,
  }));
  assert.equal(decided(effects), undefined);
  ({ s, effects } = run(s, { kind: "tick", now: 300, delivered: true }));
  const d = decided(effects);
  assert.ok(d && d.kind === "decided");
  assert.deepEqual([d.peerState, d.vote.leader, d.vote.electionEpoch, d.tookMs, d.via], [
    "FOLLOWING",
    2n,
    1n,
    300,
    "votes",
  ]);
  assert.deepEqual(logs(effects), [
    "Peer state changed: following",
    "FOLLOWING",
    "FOLLOWING - LEADER ELECTION TOOK - 300 MS",
  ]);
  assert.equal(s.peerState, "FOLLOWING");
});

Deno.test("the finalize wait gives way to a better vote", () => {
  let { s } = run(machine(1), look, from(2, note("LOOKING", 2, 1)));
  assert.ok(s.finalizing);
  let effects: ElectionEffect[];
  ({ s, effects } = run(s, from(3, note("LOOKING", 3, 1), 50)));
  // Adopted, re-sent, and with server 3's vote and our own a quorum again: a new wait.
  assert.equal(s.proposal.leader, 3n);
  assert.ok(s.finalizing);
  assert.equal(s.deadline, 250);
  assert.deepEqual(sends(effects).map((n) => n.leader), [3n, 3n]);
  ({ s, effects } = run(s, { kind: "tick", now: 300, delivered: true }));
  assert.equal(decided(effects)?.kind, "decided");
  assert.equal(s.currentVote.leader, 3n);
});

Deno.test("vote order: epoch, then zxid, then sid; a newer round resets the count", () => {
  assert.ok(
    isBetter({ leader: 1n, zxid: 0n, peerEpoch: 2n }, { leader: 3n, zxid: 9n, peerEpoch: 1n }),
  );
  assert.ok(
    isBetter({ leader: 1n, zxid: 5n, peerEpoch: 1n }, { leader: 3n, zxid: 4n, peerEpoch: 1n }),
  );
  assert.ok(
    !isBetter({ leader: 2n, zxid: 4n, peerEpoch: 1n }, { leader: 3n, zxid: 4n, peerEpoch: 1n }),
  );
  // Server 3 at round 1 hears round 5 from server 1 with a higher zxid: adopts the round and
  // server 1's vote, forgetting what round 1 collected.
  const { s } = run(
    machine(3),
    look,
    from(1, note("LOOKING", 1, 5, { zxid: 0x100000005n, peerEpoch: 1n })),
  );
  assert.equal(s.round, 5n);
  assert.equal(s.proposal.leader, 1n);
  assert.deepEqual([...s.recvset.keys()].sort(), [1, 3]);
  // A vote from an older round is dropped by the loop, and answered with ours (§2.2).
  const r = stepElection(s, from(2, note("LOOKING", 2, 4)));
  assert.ok(!r.state.recvset.has(2));
  assert.deepEqual(sends(r.effects).map((n) => [n.to, n.leader, n.round]), [[2, 1n, 5n]]);
});

Deno.test("answers: non-voters get the current vote; settled servers answer LOOKING peers", () => {
  // The observer (sid 4, a non-voter) is answered at once with the current vote and round.
  let { s, effects } = run(machine(2), look, from(4, note("LOOKING", -1, 1, { leader: NO_VOTE })));
  assert.deepEqual(sends(effects).slice(2).map((n) => [n.to, n.state, n.leader, n.round]), [
    [4, "LOOKING", 2n, 1n],
  ]);
  assert.ok(!s.recvset.has(4));
  // Settled as FOLLOWING 3: a LOOKING voter gets the decided vote, its round, our state;
  // FOLLOWING/LEADING notifications get no answer.
  ({ s } = run(
    s,
    from(3, note("LOOKING", 3, 1)),
    from(1, note("LOOKING", 3, 1)),
    { kind: "tick", now: 400, delivered: true },
    { kind: "synced", now: 500, peerEpoch: 1n },
  ));
  assert.equal(s.peerState, "FOLLOWING");
  ({ effects } = run(
    s,
    from(1, note("LOOKING", 1, 2, { zxid: 0x100000000n, peerEpoch: 1n }), 600),
  ));
  assert.deepEqual(sends(effects).map((n) => [n.to, n.state, n.leader, n.round, n.peerEpoch]), [
    [1, "FOLLOWING", 3n, 1n, 1n],
  ]);
  assert.deepEqual(sends(run(s, from(1, note("FOLLOWING", 3, 1), 600)).effects), []);
});

Deno.test("a newcomer joins a running ensemble: a quorum settled on a leader that says LEADING", () => {
  // Server 1 restarts at round 1 while 2 follows 3, both in round 7 with epoch 2.
  const settled = { zxid: 0x100000003n, peerEpoch: 2n };
  let { s, effects } = run(machine(1), look, from(2, note("FOLLOWING", 3, 7, settled)));
  assert.equal(decided(effects), undefined); // server 2 alone, and not the leader
  ({ s, effects } = run(s, from(3, note("LEADING", 3, 7, settled))));
  const d = decided(effects);
  assert.ok(d?.kind === "decided");
  assert.deepEqual([d.peerState, d.vote.leader, d.via, s.round], ["FOLLOWING", 3n, "ensemble", 7n]);
  // Without the leader's own LEADING, a quorum of FOLLOWING votes is not enough (checkLeader).
  const r = run(
    machine(1),
    look,
    from(2, note("FOLLOWING", 3, 7, settled)),
    from(4, note("FOLLOWING", 3, 7, settled)),
  );
  assert.equal(decided(r.effects), undefined);
  // OBSERVING notifications are ignored.
  assert.equal(run(machine(1), look, from(3, note("OBSERVING", 3, 1))).s.recvset.has(3), false);
});

Deno.test("an observer votes Long.MIN_VALUE, counts only voters, and decides OBSERVING", () => {
  let { s, effects } = run(machine(4), look);
  assert.deepEqual(sends(effects).map((n) => [n.to, n.leader, n.zxid, n.peerEpoch]), [
    [1, NO_VOTE, NO_VOTE, NO_VOTE],
    [2, NO_VOTE, NO_VOTE, NO_VOTE],
    [3, NO_VOTE, NO_VOTE, NO_VOTE],
  ]);
  ({ s, effects } = run(s, from(1, note("FOLLOWING", 3, 1)), from(3, note("LEADING", 3, 1))));
  const d = decided(effects);
  assert.ok(d?.kind === "decided");
  assert.equal(d.peerState, "OBSERVING");
  // Apache's Observer does not log how long the election took (05-cluster-n3.server.log:686-712).
  assert.deepEqual(logs(effects).slice(-2), ["Peer state changed: observing", "OBSERVING"]);
});

Deno.test("quiet polls double up to maxNotificationInterval, re-sending or reconnecting", () => {
  let { s, effects } = run(machine(1), look);
  const timeouts: number[] = [];
  let now = 0;
  for (let i = 0; i < 12; i++) {
    now = s.deadline!;
    ({ s, effects } = run(s, { kind: "tick", now, delivered: i % 2 === 0 }));
    timeouts.push(s.pollTimeout);
    if (i % 2 === 0) assert.equal(sends(effects).length, 2);
    else assert.deepEqual(effects.filter((e) => e.kind === "connectAll").length, 1);
  }
  assert.deepEqual(timeouts.slice(0, 3), [400, 800, 1600]);
  assert.equal(timeouts.at(-1), 60000);
  assert.equal(logs(effects).at(-1), "Notification time out: 60000 ms");
  // An early tick does nothing.
  assert.deepEqual(run(s, { kind: "tick", now: now + 1, delivered: true }).effects, []);
});

Deno.test("Vote.equals: LOOKING compares round and zxid; settled votes leader and epoch", () => {
  const v: Vote = {
    leader: 3n,
    zxid: 5n,
    electionEpoch: 2n,
    peerEpoch: 1n,
    state: "FOLLOWING",
    version: 2,
  };
  assert.ok(sameVote(v, { ...v, zxid: 9n, electionEpoch: 7n, state: "LEADING" }));
  assert.ok(!sameVote(v, { ...v, peerEpoch: 2n, state: "LEADING" }));
  assert.ok(sameVote(v, { ...v, peerEpoch: 2n, version: 0 })); // only one of format 0: sid alone
  assert.ok(!sameVote(v, { ...v, zxid: 9n, state: "LOOKING" }));
  assert.ok(!sameVote({ ...v, state: "LOOKING" }, { ...v, electionEpoch: 3n }));
});

Deno.test("config-version trap (§2.3): a newer config with other members restarts election", () => {
  const s = run(machine(1), look, from(2, note("LOOKING", 2, 1))).s;
  assert.equal(s.proposal.leader, 2n);
  const other = "server.1=127.0.0.1:2182:2183:participant\nserver.9=x:1:2:participant\nversion=1";
  const r = run(s, from(2, note("LOOKING", 2, 1, { config: other }), 20));
  assert.ok(logs(r.effects).includes("restarting leader election"));
  assert.equal(r.s.round, 1n);
  assert.equal(r.s.proposal.leader, 1n);
  // A newer version with the same members, or an older one, changes nothing.
  const same = QV.text.replace("version=0", "version=5");
  assert.ok(
    !logs(run(s, from(2, note("LOOKING", 2, 1, { config: same }))).effects).includes(
      "restarting leader election",
    ),
  );
});
