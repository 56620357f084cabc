// What an Apache ZooKeeper 3.8.0 leader sent herd's observer (sid 4) in learner_peer_apache_test,
// byte for byte (testdata/README.md): the first connection is synced with SNAP, the second, after
// a restart at 0x100000050, with DIFF; INFORMs follow in both. Decoding them in random chunks and
// driving the learner machine over them must reproduce, after every txn, the tree digest
// Apache's leader computed for its own tree (the TxnDigest it sends with each txn, §3.2).
import assert from "node:assert/strict";
import { mulberry32 } from "../persist/_fixtures_test.ts";
import { DIGEST_VERSION } from "../tree/digest.ts";
import type { DataTree } from "../tree/data_tree.ts";
import { LeaderStreamDecoder, type LeaderStreamEvent } from "./leader_stream.ts";
import { initialLearner, type LearnerInput, type LearnerState, stepLearner } from "./learner.ts";
import { decodeLeaderPacket } from "./quorum_message.ts";

const dir = new URL("./testdata/", import.meta.url);
const SNAP = Deno.readFileSync(new URL("apache-3.8.0-observer-snap.bin", dir));
const DIFF = Deno.readFileSync(new URL("apache-3.8.0-observer-diff.bin", dir));

function decode(bytes: Uint8Array, rand: () => number): LeaderStreamEvent[] {
  const d = new LeaderStreamDecoder();
  const out: LeaderStreamEvent[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = Math.min(1 + Math.floor(rand() * 700), bytes.length - at);
    out.push(...d.push(bytes.subarray(at, at + n)));
    at += n;
  }
  assert.equal(d.pending, 0, "the capture ends on a record boundary");
  return out;
}

interface Replay {
  state: LearnerState;
  tree: DataTree | null;
  kinds: string[];
  sent: string[];
  digests: number;
  config: string | null;
}

/** Runs the observer machine over a capture, doing what the shell does with the tree. */
function replay(bytes: Uint8Array, start: LearnerState, tree: DataTree | null, seed: number) {
  const r: Replay = { state: start, tree, kinds: [], sent: [], digests: 0, config: null };
  const step = (input: LearnerInput) => {
    const { state, effects } = stepLearner(r.state, input);
    r.state = state;
    for (const e of effects) {
      if (e.kind === "fail") throw new Error(e.reason);
      if (e.kind === "send") r.sent.push(e.message.kind);
      if (e.kind === "replyPing") r.sent.push("pingReply");
      if (e.kind === "loadSnapshot") r.tree = e.snapshot.tree;
      if (e.kind !== "apply") continue;
      const t = r.tree!;
      t.apply(e.entry.hdr, e.entry.txn);
      const d = e.entry.digest;
      if (d === undefined) continue;
      assert.equal(d.version, DIGEST_VERSION);
      assert.equal(t.digest.value, d.treeDigest, `digest after 0x${e.entry.hdr.zxid.toString(16)}`);
      r.digests++;
    }
  };
  step({ kind: "connected" });
  for (const ev of decode(bytes, mulberry32(seed))) {
    if (ev.kind === "snap") {
      r.kinds.push("snap");
      step({ kind: "snap", zxid: ev.zxid, snapshot: ev.snapshot });
      continue;
    }
    const m = decodeLeaderPacket(ev.packet);
    r.kinds.push(m.kind);
    if (m.kind === "newLeader") r.config = m.config;
    step({ kind: "message", message: m });
  }
  return r;
}

const compact = (kinds: string[]) =>
  kinds.reduce<string[]>((acc, k) => {
    const last = acc.at(-1);
    if (last?.startsWith(`${k}×`)) acc[acc.length - 1] = `${k}×${Number(last.split("×")[1]) + 1}`;
    else acc.push(`${k}×1`);
    return acc;
  }, []);

Deno.test("an Apache 3.8.0 leader's SNAP then DIFF streams, replayed with its digests", () => {
  const seed = Number(Deno.env.get("HERD_SEED") ?? 38);
  console.log(`seed ${seed}`);
  const observer = (acceptedEpoch: number, lastZxid: number) =>
    initialLearner({
      role: "observer",
      sid: 4,
      acceptedEpoch,
      currentEpoch: acceptedEpoch,
      lastZxid,
    });

  const snap = replay(SNAP, observer(0, 0), null, seed);
  assert.deepEqual(compact(snap.kinds), [
    "leaderInfo×1",
    "snap×1",
    "newLeader×1",
    "upToDate×1",
    "ping×1",
    "inform×41",
  ]);
  assert.deepEqual(snap.sent, ["observerInfo", "ackEpoch", "ack", "ack", "pingReply"]);
  // The leader's last-seen config: every server line, the observer included, and version 0.
  assert.match(snap.config!, /^server\.1=127\.0\.0\.12:\d+:\d+:participant\n/);
  assert.match(snap.config!, /\nserver\.4=127\.0\.0\.15:\d+:\d+:observer\nversion=0$/);
  assert.equal(snap.state.phase, "broadcast");
  assert.equal(snap.state.lastZxid, 0x100000050);
  assert.equal(snap.digests, 39); // 41 INFORMs, 2 of them error txns without a digest

  const diff = replay(DIFF, observer(1, 0x100000050), snap.tree, seed);
  assert.deepEqual(compact(diff.kinds).slice(0, 3), ["leaderInfo×1", "diff×1", "proposal×1"]);
  const proposals = diff.kinds.filter((k) => k === "proposal").length;
  assert.equal(proposals, diff.kinds.filter((k) => k === "commit").length);
  assert(diff.kinds.indexOf("newLeader") > diff.kinds.lastIndexOf("commit"));
  assert.equal(diff.sent[1], "ackEpoch");
  assert.equal(diff.state.lastZxid, 0x1000000a0);
  assert(diff.digests > 70, `${diff.digests} digests`);
});
