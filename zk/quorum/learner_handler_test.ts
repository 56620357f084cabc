// The leader's choice of DIFF, TRUNC or SNAP for one learner (quorum-protocol.md §4.2), rule by
// rule, as Apache 3.8.0's LearnerHandler.syncFollower makes it.
import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { planSync } from "./learner_handler.ts";

const E = 2 ** 32;
function txn(zxid: number): TxnEntry {
  return {
    hdr: { clientId: 1n, cxid: 0, zxid, time: 0, type: OpCode.error },
    txn: { type: OpCode.error, err: -1 },
  };
}
/** The committed log: epoch 1's txns 3..6, then epoch 2's 1..3. */
const LOG = [E + 3, E + 4, E + 5, E + 6, 2 * E + 1, 2 * E + 2, 2 * E + 3].map(txn);
const LAST = 2 * E + 3;
const zxids = (es: TxnEntry[]) => es.map((e) => e.hdr.zxid - 0);

Deno.test("planSync: a learner in sync gets an empty DIFF of its own zxid", () => {
  const p = planSync(LOG, LAST, LAST, 2);
  assert.deepEqual([p.mode, p.zxid, p.entries], ["diff", LAST, []]);
  assert.equal(p.note, `Sending DIFF zxid=0x${LAST.toString(16)}  for peer sid: 2`);
});

Deno.test("planSync: a learner past the committed log is TRUNCated to its end", () => {
  const p = planSync(LOG, LAST, 2 * E + 9, 2);
  assert.deepEqual([p.mode, p.zxid, p.entries], ["trunc", LAST, []]);
});

Deno.test("planSync: a new-epoch zxid past the log is not TRUNCated but SNAPped", () => {
  const p = planSync(LOG, LAST, 3 * E, 2);
  assert.deepEqual([p.mode, p.zxid], ["snap", LAST]);
});

Deno.test("planSync: inside the log, a DIFF of every later committed txn", () => {
  const p = planSync(LOG, LAST, E + 5, 2);
  assert.deepEqual([p.mode, p.zxid], ["diff", LAST]);
  assert.deepEqual(zxids(p.entries), [E + 6, 2 * E + 1, 2 * E + 2, 2 * E + 3]);
});

Deno.test("planSync: an unknown zxid of the same epoch is cut back to the txn before it", () => {
  const log = [E + 3, E + 4, E + 6, 2 * E + 1].map(txn);
  const p = planSync(log, 2 * E + 1, E + 5, 2);
  assert.deepEqual([p.mode, p.zxid], ["trunc", E + 4]);
  assert.deepEqual(zxids(p.entries), [E + 6, 2 * E + 1]);
});

Deno.test("planSync: a TRUNC that would cross an epoch falls back to SNAP", () => {
  const log = [E + 3, E + 4, 2 * E + 1].map(txn);
  const p = planSync(log, 2 * E + 1, E + 5, 2);
  assert.deepEqual([p.mode, p.zxid], ["snap", 2 * E + 1]);
});

Deno.test("planSync: a new-epoch zxid inside the log gets a DIFF from there", () => {
  const p = planSync(LOG, LAST, 2 * E, 2);
  assert.deepEqual([p.mode, p.zxid], ["diff", LAST]);
  assert.deepEqual(zxids(p.entries), [2 * E + 1, 2 * E + 2, 2 * E + 3]);
});

Deno.test("planSync: older than the committed log means SNAP (herd reads no txn log)", () => {
  const p = planSync(LOG, LAST, E + 1, 2);
  assert.deepEqual([p.mode, p.zxid], ["snap", LAST]);
  assert.match(p.note, /^Sending snapshot last zxid of peer is 0x100000001, zxid of leader/);
  // An empty learner and a leader with history: SNAP too.
  assert.equal(planSync(LOG, LAST, 0, 2).mode, "snap");
});

Deno.test("planSync: an empty leader and an empty learner: empty DIFF", () => {
  assert.deepEqual(planSync([], 0, 0, 2), {
    mode: "diff",
    zxid: 0,
    entries: [],
    note: "Sending DIFF zxid=0x0  for peer sid: 2",
  });
  // A learner with txns the empty leader lacks: TRUNC to 0.
  assert.deepEqual([planSync([], 0, E + 2, 2).mode, planSync([], 0, E + 2, 2).zxid], [
    "trunc",
    0,
  ]);
});
