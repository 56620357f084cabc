import assert from "node:assert/strict";
import { JuteError } from "../../zk/jute/reader.ts";
import { OpCode } from "../../zk/jute/opcodes.ts";
import { OPEN_ACL_UNSAFE } from "../../zk/jute/records.ts";
import { writeSnapshot } from "../../zk/persist/snapshot.ts";
import { DataTree } from "../../zk/tree/data_tree.ts";
import type { Txn } from "../../zk/tree/txn.ts";
import { OutBuffer } from "../zk-txnlog/out_buffer.ts";
import { ReadWindow } from "../zk-txnlog/read_window.ts";
import { printSnapshot, printSnapshotJson } from "./format.ts";
import { readSnapshotTree } from "./snapshot_tree.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** 300 znodes with data from empty to larger than the smallest windows, a quota, ephemerals. */
async function snapshotBytes(): Promise<Uint8Array> {
  const tree = new DataTree();
  let zxid = 0x300000000;
  const apply = (txn: Txn, session = 0n) =>
    tree.apply({ clientId: session, cxid: 1, zxid: ++zxid, time: zxid * 997, type: txn.type }, txn);
  const create = (path: string, data: string, owner = 0n) =>
    apply({
      type: OpCode.create,
      path,
      data: enc.encode(data),
      acl: [...OPEN_ACL_UNSAFE],
      ephemeral: owner !== 0n,
      parentCVersion: -1,
    }, owner);
  create("/a", "x".repeat(3000));
  for (let i = 0; i < 300; i++) create(`/a/n${i}`, "é".repeat(i % 17), i % 50 === 0 ? 7n : 0n);
  create("/zookeeper/quota/a", "");
  create("/zookeeper/quota/a/zookeeper_limits", "count=1000,bytes=-1");
  create("/zookeeper/quota/a/zookeeper_stats", "count=0,bytes=0");
  const dir = await Deno.makeTempDir({ prefix: "herd-snapshot-tree-" });
  try {
    const path = await writeSnapshot(dir, tree, [{ id: 7n, timeout: 5000 }]);
    return await Deno.readFile(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Reads `bytes` through a window of `size` bytes (it grows for a larger record) and prints. */
function printThrough(bytes: Uint8Array, size: number, mode: "plain" | "data" | "json"): string {
  let at = 0;
  const win = new ReadWindow((into) => {
    if (at === bytes.length) return null;
    const n = Math.min(into.length, bytes.length - at, 1000); // short reads, as a pipe gives
    into.set(bytes.subarray(at, at + n));
    at += n;
    return n;
  }, size);
  const tree = readSnapshotTree(win, mode === "data");
  const chunks: Uint8Array[] = [];
  const out = new OutBuffer({ writeSync: (b) => chunks.push(b.slice()) && b.length }, 64);
  if (mode === "json") printSnapshotJson(tree, 0, out);
  else printSnapshot(tree, 0, mode === "data", out);
  out.flush();
  return chunks.map((c) => dec.decode(c, { stream: true })).join("");
}

Deno.test("a snapshot prints the same through any window size, checksum included", async () => {
  const bytes = await snapshotBytes();
  for (const mode of ["plain", "data", "json"] as const) {
    const whole = printThrough(bytes, 1 << 20, mode);
    for (const size of [5, 64, 777]) assert.equal(printThrough(bytes, size, mode), whole, mode);
  }
  const plain = printThrough(bytes, 64, "plain");
  // Apache counts the root twice (under "" and "/"): 4 initial nodes, /a and its 300, the quota's 3.
  assert.match(plain, /^ZNode Details \(count=309\):\n/);
  // The stats node is recomputed from the tree: /a and its 300 children, their bytes.
  const bytesUnderA = 3000 + [...Array(300).keys()].reduce((n, i) => n + 2 * (i % 17), 0);
  const stats = `count=301,bytes=${bytesUnderA}`;
  assert.ok(printThrough(bytes, 64, "data").includes(`data = ${btoa(stats)}\n`));
  assert.match(plain, /\n0x00000000000007, 5000, 6\n----\nLast zxid: 0x30000013\d\n$/);
});

Deno.test("a corrupt or cut snapshot is refused whatever the window size", async () => {
  const bytes = await snapshotBytes();
  const corrupt = bytes.slice();
  corrupt[2500] ^= 1; // inside /a's data: every field still parses
  for (const size of [5, 64, 1 << 20]) {
    assert.throws(() => printThrough(corrupt, size, "plain"), /checksum mismatch/);
    assert.throws(() => printThrough(bytes.subarray(0, 4000), size, "plain"), JuteError);
  }
});
