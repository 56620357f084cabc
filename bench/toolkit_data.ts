/**
 * A dataDir for timing the persistence toolkits: one snapshot of a tree of ~200k znodes and one
 * txn log of ~100k txns, written with herd's own writers (the files are Apache's format, which is
 * what both toolkits read). Generated from a fixed seed in a few seconds, so every run times the
 * same bytes; driving a server to the same state would take minutes and land its snapshot at a
 * random point of the log.
 *
 * The tree: 200 folders of 1,000 znodes with 100 bytes of text each, plus ephemerals of 100 live
 * sessions. The log: sessions opening and closing around creates, setData and deletes, with a
 * multi now and then, as a busy server writes them.
 *
 * @module
 */
import { OpCode } from "../zk/jute/opcodes.ts";
import { OPEN_ACL_UNSAFE } from "../zk/jute/records.ts";
import { writeSnapshot } from "../zk/persist/snapshot.ts";
import { TxnLogWriter } from "../zk/persist/txn_log.ts";
import { DataTree } from "../zk/tree/data_tree.ts";
import type { Txn, TxnEntry } from "../zk/tree/txn.ts";

/** What was written. */
export interface ToolkitData {
  snapshot: string;
  log: string;
  znodes: number;
  txns: number;
}

const OPEN = [...OPEN_ACL_UNSAFE];

/** A small deterministic PRNG (mulberry32), so every run writes the same files. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function text(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = 0x61 + Math.floor(rand() * 26);
  return b;
}

const create = (path: string, data: Uint8Array, ephemeral = false, cv = 0): Txn => ({
  type: OpCode.create,
  path,
  data,
  acl: OPEN,
  ephemeral,
  parentCVersion: cv,
});

/** Writes `dir/version-2/snapshot.*` and `dir/version-2/log.*`. */
export async function writeToolkitData(
  dir: string,
  opts: { folders?: number; perFolder?: number; txns?: number } = {},
): Promise<ToolkitData> {
  const folders = opts.folders ?? 200;
  const perFolder = opts.perFolder ?? 1000;
  const txns = opts.txns ?? 100_000;
  const rand = prng(14);
  const v2 = `${dir}/version-2`;
  await Deno.mkdir(v2, { recursive: true });
  const tree = new DataTree();
  let zxid = 0x100000000;
  let time = Date.UTC(2026, 11, 1, 9, 0, 0);
  // The tree grew over months (few znodes share a second); the log is one busy quarter hour.
  const apply = (txn: Txn, session = 0x100003f9ebc0000n) => {
    time += 1 + Math.floor(rand() * 120_000);
    tree.apply({ clientId: session, cxid: 1, zxid: ++zxid, time, type: txn.type }, txn);
  };
  apply(create("/bench", text(rand, 16)));
  for (let f = 0; f < folders; f++) {
    const folder = `/bench/app-${f}`;
    apply(create(folder, text(rand, 32)));
    for (let i = 0; i < perFolder; i++) {
      apply(create(`${folder}/node-${String(i).padStart(10, "0")}`, text(rand, 100)));
    }
  }
  const sessions: { id: bigint; timeout: number }[] = [];
  for (let s = 0; s < Math.min(100, folders); s++) {
    const id = 0x100003f9ebc0000n + BigInt(s);
    sessions.push({ id, timeout: 30000 });
    for (let e = 0; e < 3; e++) apply(create(`/bench/app-${s}/eph-${e}`, text(rand, 8), true), id);
  }
  const snapshot = await writeSnapshot(v2, tree, sessions);

  const log = new TxnLogWriter(v2, 64 * 1024 * 1024, false);
  const batch: TxnEntry[] = [];
  let session = 0x200003f9ebc0000n;
  let count = 0;
  const add = (txn: Txn) => {
    batch.push({
      hdr: { clientId: session, cxid: count, zxid: ++zxid, time: time += 7, type: txn.type },
      txn,
    });
    count++;
  };
  let created = 0;
  while (count < txns) {
    session++;
    add({ type: OpCode.createSession, timeOut: 30000 });
    for (let i = 0; i < 40 && count < txns; i++) {
      const r = rand();
      const path = `/bench/app-${Math.floor(rand() * folders)}/node-${
        String(Math.floor(rand() * perFolder)).padStart(10, "0")
      }`;
      if (r < 0.45) add(create(`/bench/new-${created++}`, text(rand, 100), false, created));
      else if (r < 0.9) {
        add({ type: OpCode.setData, path, data: text(rand, 100), version: 1 + (count & 7) });
      } else if (r < 0.98) add({ type: OpCode.delete, path });
      else {
        add({
          type: OpCode.multi,
          txns: [
            create(`/bench/new-${created++}`, text(rand, 50), false, created),
            { type: OpCode.setData, path, data: text(rand, 50), version: 2 },
          ],
        });
      }
    }
    if (count < txns) add({ type: OpCode.closeSession, paths2Delete: [] });
    if (batch.length >= 1000) await log.append(batch.splice(0));
  }
  await log.append(batch.splice(0));
  const logPath = log.currentFile!;
  log.close();
  return { snapshot, log: logPath, znodes: tree.nodeCount, txns: count };
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (dir === undefined) {
    console.error("usage: deno run -A bench/toolkit_data.ts <dir>");
    Deno.exit(2);
  }
  const d = await writeToolkitData(dir);
  const size = (p: string) => (Deno.statSync(p).size / 1e6).toFixed(1);
  console.log(`${d.snapshot} (${d.znodes} znodes, ${size(d.snapshot)} MB)`);
  console.log(`${d.log} (${d.txns} txns, ${size(d.log)} MB with preallocation)`);
}
