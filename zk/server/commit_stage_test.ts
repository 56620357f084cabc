/**
 * The commit stage applies only what it is told is committed, in zxid order, and refuses a commit
 * for a txn it never queued (a follower told to commit what it was never proposed).
 */
import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import { DataTree } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { ChangeView } from "./changes.ts";
import { CommitStage } from "./commit_stage.ts";

function setData(zxid: number, value: string): TxnEntry {
  return {
    hdr: { clientId: 1n, cxid: zxid, zxid, time: 0, type: OpCode.setData },
    txn: {
      type: OpCode.setData,
      path: "/zookeeper",
      data: new TextEncoder().encode(value),
      version: zxid,
    },
  };
}

Deno.test("commit stage: applies up to the committed zxid, in order, barriers in their place", () => {
  const tree = new DataTree();
  const stage = new CommitStage(tree, new ChangeView(tree));
  const seen: string[] = [];
  stage.add(setData(1, "a"), (r) => void seen.push(`1:${r.err}`));
  stage.barrier(() => void seen.push("barrier"));
  stage.add(setData(2, "b"), () => void seen.push("2"));
  stage.add(setData(3, "c"), () => void seen.push("3"));
  assert.equal(stage.pending, 4);
  stage.commit(2);
  assert.deepEqual(seen, ["1:0", "barrier", "2"]);
  assert.equal(tree.lastProcessedZxid, 2);
  assert.equal(new TextDecoder().decode(tree.get("/zookeeper")!.data), "b");
  stage.commit(3);
  assert.deepEqual(seen, ["1:0", "barrier", "2", "3"]);
  assert.equal(stage.pending, 0);
  let ran = false;
  stage.barrier(() => (ran = true));
  assert.ok(ran, "a barrier with nothing pending runs at once");
});

Deno.test("commit stage: a write submitted by a waiter applies after the txns before it", () => {
  const tree = new DataTree();
  const stage = new CommitStage(tree, new ChangeView(tree));
  const order: number[] = [];
  stage.add(setData(1, "a"), () => {
    order.push(1);
    stage.add(setData(3, "c"), () => void order.push(3));
    stage.commit(3); // committed at once, as an in-memory log does
  });
  stage.add(setData(2, "b"), () => void order.push(2));
  stage.commit(2);
  assert.deepEqual(order, [1, 2, 3]);
});

Deno.test("commit stage: refuses a commit past what was queued, and zxids out of order", () => {
  const tree = new DataTree();
  const stage = new CommitStage(tree, new ChangeView(tree));
  stage.add(setData(1, "a"), () => {});
  assert.throws(() => stage.commit(2), /past the last queued txn 0x1/);
  assert.throws(() => stage.add(setData(1, "b"), () => {}), /queued after 0x1/);
  assert.equal(tree.lastProcessedZxid, 0);
});
