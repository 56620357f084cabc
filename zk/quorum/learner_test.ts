// The learner machine, one rule of quorum-protocol.md §4 (and §7, §9.2) per test: the effects
// and their order are the contract with the shell.
import assert from "node:assert/strict";
import { applyAll, create, entry } from "../persist/_fixtures_test.ts";
import type { TxnEntry } from "../tree/txn.ts";
import {
  groupLogs,
  initialLearner,
  type LearnerEffect,
  type LearnerInput,
  type LearnerRole,
  type LearnerState,
  stepLearner,
} from "./learner.ts";
import type { LeaderMessage } from "./quorum_message.ts";

const E1 = 0x100000000;
const E2 = 0x200000000;

function learner(role: LearnerRole, over: Partial<Parameters<typeof initialLearner>[0]> = {}) {
  return initialLearner({
    role,
    sid: 4,
    acceptedEpoch: 1,
    currentEpoch: 1,
    lastZxid: E1 + 3,
    ...over,
  });
}

/** Runs inputs; returns the final state and every effect, in order. */
function run(s: LearnerState, ...inputs: (LearnerInput | LeaderMessage)[]) {
  const effects: LearnerEffect[] = [];
  for (const i of inputs) {
    const input: LearnerInput =
      "kind" in i && ["connected", "disconnected", "snap", "message"].includes(i.kind)
        ? i as LearnerInput
        : { kind: "message", message: i as LeaderMessage };
    const r = stepLearner(s, input);
    s = r.state;
    effects.push(...r.effects);
  }
  return { s, effects };
}

/** Effects as short strings, ignoring log lines. */
function brief(effects: LearnerEffect[]): string[] {
  return effects.filter((e) => e.kind !== "info" && e.kind !== "warn").map((e) => {
    switch (e.kind) {
      case "send": {
        const m = e.message;
        if (m.kind === "ack") return `send ack ${m.zxid.toString(16)}`;
        if (m.kind === "ackEpoch") {
          return `send ackEpoch ${m.lastZxid.toString(16)} ${m.currentEpoch}`;
        }
        return `send ${m.kind}`;
      }
      case "writeEpoch":
        return `${e.name}=${e.epoch}`;
      case "log":
        return `log ${e.entries.map((x) => x.hdr.zxid.toString(16)).join(",")}`;
      case "apply":
        return `apply ${e.entry.hdr.zxid.toString(16)}`;
      case "truncateLog":
        return `truncate ${e.zxid.toString(16)}`;
      case "loadSnapshot":
        return `load ${e.zxid.toString(16)}`;
      case "synced":
        return `synced ${e.epoch} ${e.mode}`;
      case "replyPing":
        return `ping ${e.zxid.toString(16)}`;
      case "fail":
        return `fail ${e.reason}`;
      default:
        return e.kind;
    }
  });
}

const tx = (zxid: number): TxnEntry => entry(zxid, create(`/n${zxid.toString(16)}`, "x"));
const leaderInfo = (newEpoch: number): LeaderMessage => ({
  kind: "leaderInfo",
  newEpoch,
  protocolVersion: 0x10000,
});
const proposal = (zxid: number): LeaderMessage => ({ kind: "proposal", entry: tx(zxid) });
const inform = (zxid: number): LeaderMessage => ({ kind: "inform", entry: tx(zxid) });
const commit = (zxid: number): LeaderMessage => ({ kind: "commit", zxid });
const newLeader: LeaderMessage = { kind: "newLeader", zxid: E2, config: "version=0" };
const upToDate: LeaderMessage = { kind: "upToDate" };
const connected: LearnerInput = { kind: "connected" };

Deno.test("§4.1: an observer sends OBSERVERINFO with its acceptedEpoch, a follower FOLLOWERINFO", () => {
  for (const role of ["observer", "follower"] as const) {
    const { s, effects } = run(learner(role, { acceptedEpoch: 3, currentEpoch: 2 }), connected);
    assert.equal(s.phase, "discovery");
    assert.deepEqual(effects, [{
      kind: "send",
      message: {
        kind: role === "observer" ? "observerInfo" : "followerInfo",
        acceptedEpoch: 3,
        sid: 4,
        protocolVersion: 0x10000,
        configVersion: 0,
      },
    }]);
  }
});

Deno.test("§4.1 step 5: a newer epoch is written to acceptedEpoch before ACKEPOCH carries currentEpoch", () => {
  const { s, effects } = run(learner("observer"), connected, leaderInfo(2));
  assert.deepEqual(brief(effects).slice(1), ["acceptedEpoch=2", "send ackEpoch 100000003 1"]);
  assert.deepEqual([s.phase, s.acceptedEpoch, s.currentEpoch], ["awaitingSync", 2, 1]);
});

Deno.test("§4.1 step 5: the same epoch again is ACKEPOCH −1 with no write; an older one fails", () => {
  const same = run(learner("observer", { acceptedEpoch: 2 }), connected, leaderInfo(2));
  assert.deepEqual(brief(same.effects).slice(1), ["send ackEpoch 100000003 -1"]);
  const older = run(learner("observer", { acceptedEpoch: 3 }), connected, leaderInfo(2));
  assert.deepEqual(brief(older.effects).slice(1), [
    "fail Leaders epoch, 2 is less than accepted epoch, 3",
  ]);
  assert.equal(older.s.phase, "stopped");
  // And nothing is done after a failure.
  assert.deepEqual(run(older.s, commit(1)).effects, []);
});

Deno.test("§4.1: anything but LEADERINFO first, or an old protocol, fails", () => {
  assert.match(brief(run(learner("observer"), connected, commit(1)).effects)[1], /LEADERINFO/);
  const old = run(
    learner("observer"),
    connected,
    { ...leaderInfo(2), protocolVersion: 0 } as LeaderMessage,
  );
  assert.match(brief(old.effects)[1], /protocol/);
  assert.throws(() => learner("observer", { acceptedEpoch: 0, currentEpoch: 1 }), RangeError);
});

const discovered = (role: LearnerRole) => run(learner(role), connected, leaderInfo(2)).s;

Deno.test("§4.3 DIFF, follower: NEWLEADER logs the sync txns, then currentEpoch, then ACKs NEWLEADER, then each proposal (§9.2)", () => {
  const { s, effects } = run(
    discovered("follower"),
    { kind: "diff", zxid: E1 + 5 },
    proposal(E1 + 4),
    commit(E1 + 4),
    proposal(E1 + 5),
    newLeader,
  );
  assert.deepEqual(brief(effects), [
    "log 100000004,100000005",
    "currentEpoch=2",
    "send ack 200000000",
    "send ack 100000004",
    "send ack 100000005",
  ]);
  assert.equal(s.phase, "newLeaderAcked");
  assert.equal(s.currentEpoch, 2);
  // Nothing is applied before UPTODATE; then the committed ones, in order, and the rest waits.
  const up = run(s, proposal(E2 + 1), commit(E1 + 5), upToDate);
  assert.deepEqual(brief(up.effects), [
    "log 200000001",
    "send ack 200000001",
    "send ack 200000000",
    "synced 2 diff",
    "apply 100000004",
    "apply 100000005",
  ]);
  assert.deepEqual(up.s.pending.map((e) => e.hdr.zxid), [E2 + 1]);
  assert.equal(up.s.phase, "broadcast");
  // The COMMIT for it in broadcast applies it.
  assert.deepEqual(brief(run(up.s, commit(E2 + 1)).effects), ["apply 200000001"]);
});

Deno.test("§4.3 DIFF, observer: INFORMs are logged at NEWLEADER, applied at UPTODATE, never ACKed", () => {
  const { s, effects } = run(
    discovered("observer"),
    { kind: "diff", zxid: E1 + 5 },
    proposal(E1 + 4),
    commit(E1 + 4),
    inform(E1 + 5),
    newLeader,
    inform(E1 + 6),
    upToDate,
  );
  assert.deepEqual(brief(effects), [
    "log 100000004,100000005",
    "currentEpoch=2",
    "send ack 200000000",
    "log 100000006",
    "send ack 200000000",
    "synced 2 diff",
    "apply 100000004",
    "apply 100000005",
    "apply 100000006",
  ]);
  assert.equal(s.lastZxid, E1 + 6);
  assert.deepEqual(s.pending, []);
});

Deno.test("§4.3 SNAP: load, apply commits in memory, fsynced snapshot before anything else at NEWLEADER", () => {
  const snapshot = { tree: applyAll([]), sessions: [] };
  const { s, effects } = run(
    discovered("follower"),
    { kind: "snap", zxid: E1 + 9, snapshot },
    proposal(E1 + 10),
    commit(E1 + 10),
    proposal(E1 + 11),
    newLeader,
  );
  assert.deepEqual(brief(effects), [
    "load 100000009",
    "apply 10000000a",
    "takeSnapshot",
    "log 10000000b",
    "currentEpoch=2",
    "send ack 200000000",
    "send ack 10000000b",
  ]);
  assert.equal(s.syncMode, "snap");
  // A commit that is not the head is only warned about during sync, as Apache does.
  const odd = run(
    discovered("observer"),
    { kind: "snap", zxid: E1 + 9, snapshot },
    proposal(E1 + 10),
    commit(E1 + 11),
  );
  assert.deepEqual(brief(odd.effects), ["load 100000009"]);
  assert(odd.effects.some((e) => e.kind === "warn" && /Committing 0x10000000b/.test(e.text)));
});

Deno.test("§4.3 TRUNC: the log is cut to the zxid; past the log's end is refused", () => {
  const { s, effects } = run(discovered("observer"), { kind: "trunc", zxid: E1 + 2 });
  assert.deepEqual(brief(effects), ["truncate 100000002"]);
  assert.equal(s.lastZxid, E1 + 2);
  const bad = run(discovered("observer"), { kind: "trunc", zxid: E1 + 9 });
  assert.match(brief(bad.effects)[0], /past the log's end/);
});

Deno.test("§4.3: any other first sync packet, UPTODATE before NEWLEADER, or a NEWLEADER of another epoch fails", () => {
  assert.match(
    brief(run(discovered("observer"), proposal(E1 + 4)).effects)[0],
    /unexpected packet/,
  );
  const diff = run(discovered("observer"), { kind: "diff", zxid: 0 }).s;
  assert.match(brief(run(diff, upToDate).effects)[0], /UPTODATE before NEWLEADER/);
  assert.match(
    brief(run(diff, { kind: "newLeader", zxid: 0x300000000, config: null }).effects)[0],
    /not of the epoch 2/,
  );
  // A sync-phase proposal that goes back in time.
  assert.match(brief(run(diff, proposal(E1 + 2)).effects)[0], /not after/);
});

Deno.test("§4.3 step 5: PINGs during sync are ignored, answered in broadcast", () => {
  const ping: LeaderMessage = { kind: "ping", zxid: E2 + 7, authinfo: null };
  const diff = run(discovered("observer"), { kind: "diff", zxid: 0 }, ping).s;
  assert.deepEqual(run(diff, ping).effects, []);
  const live = run(diff, newLeader, upToDate).s;
  assert.deepEqual(brief(run(live, ping).effects), ["ping 200000007"]);
});

const live = (role: LearnerRole) =>
  run(discovered(role), { kind: "diff", zxid: E1 + 3 }, newLeader, upToDate).s;

Deno.test("§7: an observer in broadcast logs then applies each INFORM; PROPOSAL/COMMIT are only warned about", () => {
  const { s, effects } = run(live("observer"), inform(E2 + 1), inform(E2 + 2), proposal(E2 + 3));
  assert.deepEqual(brief(effects), [
    "log 200000001",
    "apply 200000001",
    "log 200000002",
    "apply 200000002",
  ]);
  assert(effects.some((e) => e.kind === "warn" && /Unknown packet type: proposal/.test(e.text)));
  // An INFORM that goes back is a broken invariant: stop, do not diverge.
  assert.match(brief(run(s, inform(E2 + 1)).effects)[0], /not after/);
});

Deno.test("§4.4: a follower ACKs each PROPOSAL after logging it, applies on COMMIT, stops on a COMMIT out of order", () => {
  const { s, effects } = run(live("follower"), proposal(E2 + 1), proposal(E2 + 2), commit(E2 + 1));
  assert.deepEqual(brief(effects), [
    "log 200000001",
    "send ack 200000001",
    "log 200000002",
    "send ack 200000002",
    "apply 200000001",
  ]);
  const wrong = run(s, commit(E2 + 3));
  assert.match(
    brief(wrong.effects)[0],
    /Committing zxid 0x200000003 but next pending txn 0x200000002/,
  );
  assert.equal(wrong.s.phase, "stopped");
  // A gap in proposal zxids is logged as Apache does, not refused.
  const gap = run(s, proposal(E2 + 5));
  assert(gap.effects.some((e) => e.kind === "warn" && /expected 0x200000003/.test(e.text)));
});

Deno.test("broadcast: REVALIDATE and SYNC answers go to the host; a disconnect stops the learner", () => {
  const l = live("observer");
  assert.deepEqual(run(l, { kind: "revalidateReply", sessionId: 9n, valid: true }).effects, [
    { kind: "revalidated", sessionId: 9n, valid: true },
  ]);
  assert.deepEqual(run(l, { kind: "sync" }).effects, [{ kind: "syncDone" }]);
  const gone = run(l, { kind: "disconnected", reason: "EOF" });
  assert.deepEqual([gone.s.phase, gone.s.stopReason], ["stopped", "EOF"]);
});

Deno.test("groupLogs: one append for a burst, never moved past the disk's other effects", () => {
  const l = live("follower");
  const { effects } = run(l, proposal(E2 + 1), proposal(E2 + 2), commit(E2 + 1), proposal(E2 + 3));
  assert.deepEqual(brief(groupLogs(effects)), [
    "log 200000001,200000002,200000003",
    "send ack 200000001",
    "send ack 200000002",
    "apply 200000001",
    "send ack 200000003",
  ]);
  // A log after a snapshot, an epoch write or a truncation stays after it.
  const sync = run(
    discovered("follower"),
    { kind: "trunc", zxid: E1 + 3 },
    proposal(E1 + 4),
    newLeader,
    proposal(E2 + 1),
  );
  assert.deepEqual(brief(groupLogs(sync.effects)), [
    "truncate 100000003",
    "takeSnapshot",
    "log 100000004",
    "currentEpoch=2",
    "send ack 200000000",
    "send ack 100000004",
    "log 200000001",
    "send ack 200000001",
  ]);
});
