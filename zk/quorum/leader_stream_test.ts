// The leader's stream as a learner reads it: packets back to back with no framing (§3), and the
// SNAP stream (§3.3) — sessions, ACL cache, nodes ended by "/", then "BenWasHere" — cut into
// arbitrary chunks, as TCP delivers it.
import assert from "node:assert/strict";
import { JuteWriter } from "../jute/writer.ts";
import { applyAll, dumpTree, hex, mulberry32, S2, scenario } from "../persist/_fixtures_test.ts";
import { LeaderStreamDecoder, type LeaderStreamEvent } from "./leader_stream.ts";
import { encodeLeaderMessage } from "./quorum_message.ts";
import { QuorumStreamError, writeQuorumPacket } from "./quorum_packet.ts";
import { writeSnapStream } from "./snap_stream.ts";

const entries = scenario(0x100000001);
const tree = applyAll(entries);
const SNAP_ZXID = tree.lastProcessedZxid;
const SNAP_BYTES = (() => {
  const w = new JuteWriter();
  writeSnapStream(w, tree, [{ id: S2, timeout: 12000 }]);
  return w.pos;
})();

/** SNAP packet, snapshot, then an INFORM and UPTODATE, as a leader writes them. */
function stream(signature = "BenWasHere"): Uint8Array {
  const w = new JuteWriter();
  writeQuorumPacket(w, encodeLeaderMessage({ kind: "snap", zxid: SNAP_ZXID }));
  writeSnapStream(w, tree, [{ id: S2, timeout: 12000 }]);
  if (signature !== "BenWasHere") {
    w.pos -= 4 + "BenWasHere".length;
    w.string(signature);
  }
  writeQuorumPacket(w, encodeLeaderMessage({ kind: "inform", entry: entries[3] }));
  writeQuorumPacket(w, encodeLeaderMessage({ kind: "upToDate" }));
  return w.bytes();
}

function feed(bytes: Uint8Array, chunk: () => number): LeaderStreamEvent[] {
  const d = new LeaderStreamDecoder();
  const events: LeaderStreamEvent[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = Math.min(chunk(), bytes.length - at);
    events.push(...d.push(bytes.subarray(at, at + n)));
    at += n;
  }
  assert.equal(d.pending, 0);
  return events;
}

function check(events: LeaderStreamEvent[]) {
  assert.deepEqual(events.map((e) => e.kind), ["snap", "packet", "packet"]);
  const snap = events[0];
  assert(snap.kind === "snap");
  assert.equal(snap.zxid, SNAP_ZXID);
  assert.equal(snap.bytes, SNAP_BYTES);
  assert.equal(snap.snapshot.tree.lastProcessedZxid, SNAP_ZXID);
  assert.deepEqual(snap.snapshot.sessions, [{ id: S2, timeout: 12000 }]);
  // Everything a client or the next txn could see: data, ACLs, stats, ephemerals, quotas.
  assert.deepEqual(dumpTree(snap.snapshot.tree), dumpTree(tree));
  assert.equal(snap.snapshot.tree.digest.value, tree.digest.value);
  const [inform, up] = events.slice(1);
  assert(inform.kind === "packet" && up.kind === "packet");
  assert.deepEqual([inform.packet.type, inform.packet.zxid, up.packet.type], [8, 0x100000004, 12]);
}

Deno.test("the SNAP stream and the packets after it, in one piece and byte by byte", () => {
  const bytes = stream();
  check(feed(bytes, () => bytes.length));
  check(feed(bytes, () => 1));
});

Deno.test("the SNAP stream cut at random places (seeded)", () => {
  const seed = Number(Deno.env.get("HERD_SEED") ?? 16);
  console.log(`seed ${seed}`);
  const rand = mulberry32(seed);
  const bytes = stream();
  for (let round = 0; round < 50; round++) check(feed(bytes, () => 1 + Math.floor(rand() * 40)));
});

Deno.test("a wrong signature or a malformed record stops the stream", () => {
  assert.throws(() => feed(stream("BenWasNotHere"), () => 7), /Missing signature/);
  // A node whose parent is not in the stream.
  const w = new JuteWriter();
  writeQuorumPacket(w, encodeLeaderMessage({ kind: "snap", zxid: 1 }));
  w.int(0);
  w.int(0);
  const d = new LeaderStreamDecoder();
  assert.throws(() => {
    d.push(w.bytes());
    // A record for /app/cfg with no /app before it.
    const node = new JuteWriter();
    node.string("/app/cfg");
    node.buffer(new Uint8Array(0));
    node.long(-1);
    for (let i = 0; i < 4; i++) node.long(0);
    for (let i = 0; i < 3; i++) node.int(0);
    node.long(0);
    node.long(0);
    d.push(node.bytes());
  }, /parent of \/app\/cfg missing/);
  // A negative session count, and a buffer longer than Apache would ever send.
  assert.throws(
    () =>
      new LeaderStreamDecoder().push(hex("0000000f 0000000000000001 ffffffff ffffffff ffffff00")),
    QuorumStreamError,
  );
  assert.throws(
    () => new LeaderStreamDecoder().push(hex("00000002 0000000000000001 7fffffff")),
    QuorumStreamError,
  );
});
