/**
 * A durability failure stops the pipeline: the failed batch and everything after it are never
 * applied nor answered, whether the write failed at once (a full disk) or its fsync did later.
 */
import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import { DataTree } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { ChangeView } from "./changes.ts";
import { CommitPipeline } from "./pipeline.ts";
import { systemClock } from "../../internal/clock.ts";
import type { Durability } from "../persist/durability.ts";

function createEntry(zxid: number): TxnEntry {
  return {
    hdr: { clientId: 1n, cxid: zxid, zxid, time: 0, type: OpCode.create },
    txn: {
      type: OpCode.create,
      path: `/n${zxid}`,
      data: new Uint8Array(0),
      acl: [{ perms: 31, id: { scheme: "world", id: "anyone" } }],
      ephemeral: false,
      parentCVersion: -1,
    },
  };
}

function pipelineOver(durability: Durability) {
  const tree = new DataTree();
  // Two batches in flight at most, so a test can fill both slots.
  const p = new CommitPipeline(tree, new ChangeView(tree), durability, null, systemClock, 2);
  const fatal: unknown[] = [];
  p.onFatal = (e) => void fatal.push(e);
  const answered: number[] = [];
  const submit = (zxid: number) => p.submit(createEntry(zxid), () => void answered.push(zxid));
  return { tree, p, fatal, answered, submit };
}

Deno.test("pipeline: a write that throws at once is fatal and nothing is applied or answered", () => {
  let calls = 0;
  const full: Durability = {
    persist: () => {
      calls++;
      throw new Error("No space left on device (os error 28)");
    },
  };
  const { tree, fatal, answered, submit } = pipelineOver(full);
  submit(1);
  submit(2);
  assert.equal(fatal.length, 1);
  assert.match(String(fatal[0]), /No space left/);
  assert.deepEqual(answered, []);
  assert.equal(tree.lastProcessedZxid, 0);
  assert.equal(tree.get("/n1"), undefined);
  assert.equal(calls, 1, "nothing more is logged after the failure");
});

Deno.test("pipeline: a failed fsync is fatal; batches syncing or waiting behind it are never answered", async () => {
  let calls = 0;
  const fails: ((e: Error) => void)[] = [];
  const disk: Durability = {
    persist: () => {
      calls++;
      return new Promise((_, reject) => fails.push(reject));
    },
  };
  const { tree, fatal, answered, submit } = pipelineOver(disk);
  submit(1);
  submit(2); // logged as a second batch while the first one syncs
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(calls, 2);
  fails[0](new Error("Input/output error (os error 5)"));
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(fatal.length, 1);
  assert.deepEqual(answered, []);
  assert.equal(tree.lastProcessedZxid, 0);
  submit(3);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(calls, 2, "nothing is logged after the failure");
});

Deno.test("pipeline: several batches sync at once and apply in zxid order whichever fsync ends first", async () => {
  const syncs: { batch: number[]; done: () => void }[] = [];
  const disk: Durability = {
    persist: (b) => {
      const batch = b.map((e) => e.hdr.zxid);
      return new Promise<void>((resolve) => syncs.push({ batch, done: resolve }));
    },
  };
  const { tree, fatal, answered, submit } = pipelineOver(disk);
  submit(1); // an idle stage logs at once
  submit(2);
  submit(3); // these two are taken together, while the first syncs
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(syncs.map((s) => s.batch), [[1], [2, 3]]);
  submit(4); // both slots busy: waits
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(syncs.length, 2);
  syncs[1].done();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(answered, [], "the second batch waits for the first to be durable");
  assert.equal(tree.lastProcessedZxid, 0);
  syncs[0].done();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(answered, [1, 2, 3]);
  assert.deepEqual(syncs.map((s) => s.batch), [[1], [2, 3], [4]]);
  syncs[2].done();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(answered, [1, 2, 3, 4]);
  assert.equal(tree.lastProcessedZxid, 4);
  assert.deepEqual(fatal, []);
});

Deno.test("pipeline: a zxid out of order is fatal before it is logged", () => {
  const logged: number[] = [];
  const { fatal, submit, p } = pipelineOver({
    persist: (b) => {
      for (const e of b) logged.push(e.hdr.zxid);
      return null;
    },
  });
  submit(1);
  assert.throws(() => p.submit(createEntry(1), () => {}), /queued after 0x1/);
  assert.deepEqual(logged, [1]);
  assert.deepEqual(fatal, []);
});

Deno.test("pipeline: batches are answered in order once durable", async () => {
  const ok: Durability = { persist: () => Promise.resolve() };
  const { tree, fatal, answered, submit } = pipelineOver(ok);
  submit(1);
  submit(2);
  submit(3);
  while (answered.length < 3) await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(answered, [1, 2, 3]);
  assert.equal(tree.lastProcessedZxid, 3);
  assert.deepEqual(fatal, []);
});
