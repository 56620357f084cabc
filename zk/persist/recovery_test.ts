import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import { DataTree } from "../tree/data_tree.ts";
import type { Txn, TxnEntry } from "../tree/txn.ts";
import { recover, RecoveryError } from "./recovery.ts";
import { writeSnapshot } from "./snapshot.ts";
import { readLogFile, TxnLogWriter } from "./txn_log.ts";
import {
  applyAll,
  create,
  dumpTree,
  enc,
  entry,
  S1,
  S2,
  scenario,
  tempDataDirs,
} from "./_fixtures_test.ts";

type Dirs = Awaited<ReturnType<typeof tempDataDirs>>;

async function withDirs(body: (d: Dirs) => Promise<void>): Promise<void> {
  const d = await tempDataDirs();
  try {
    await body(d);
  } finally {
    await d.cleanup();
  }
}

/** Writes `entries` to the log dir, one file per group (rolling between groups). */
async function writeLogs(d: Dirs, ...groups: TxnEntry[][]): Promise<string[]> {
  const w = new TxnLogWriter(`${d.logDir}/version-2`, 8192, false);
  const files: string[] = [];
  for (const g of groups) {
    await w.append(g);
    files.push(w.currentFile!);
    w.roll();
  }
  return files;
}

/** Byte offset of each entry in a log file. */
function offsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const out: number[] = [];
  for (let off = 16; off + 12 <= bytes.length && view.getInt32(off + 8) > 0;) {
    out.push(off);
    off += 12 + view.getInt32(off + 8) + 1;
  }
  return out;
}

Deno.test("recover: an empty dataDir starts a fresh tree and makes version-2", async () => {
  await withDirs(async (d) => {
    await Deno.remove(`${d.dataDir}/version-2`);
    const r = await recover(d.dataDir, d.logDir);
    assert.deepEqual(dumpTree(r.tree), dumpTree(new DataTree()));
    assert.equal(r.snapshotZxid, 0);
    assert.equal(r.txnsReplayed, 0);
    assert.ok((await Deno.stat(`${d.dataDir}/version-2`)).isDirectory);
  });
});

Deno.test("recover: newest snapshot plus every later txn across log files", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const tree = applyAll(all.slice(0, 8));
    await writeSnapshot(`${d.dataDir}/version-2`, applyAll([]), []); // snapshot.0, superseded
    await writeSnapshot(`${d.dataDir}/version-2`, tree, [
      { id: S1, timeout: 30000 },
      { id: S2, timeout: 12000 },
    ]);
    await writeLogs(d, all.slice(0, 10), all.slice(10, 15), all.slice(15));
    const r = await recover(d.dataDir, d.logDir);
    assert.equal(r.snapshotZxid, 8);
    assert.equal(r.txnsReplayed, all.length - 8);
    assert.deepEqual(dumpTree(r.tree), dumpTree(applyAll(all)));
    assert.equal(r.tree.lastProcessedZxid, all.length);
    // S1 closed in the last txn; S2's createSession came after the snapshot, from the log.
    assert.deepEqual([...r.sessions], [[S2, 12000]]);
    assert.deepEqual(r.notes, []);
  });
});

Deno.test("recover: a torn tail is cut off at the last whole entry and never applied", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const [first, last] = await writeLogs(d, all.slice(0, 6), all.slice(6));
    const bytes = await Deno.readFile(last);
    const at = offsets(bytes);
    // The 4th entry of the last file was being written when the power went: half of it is there.
    const torn = bytes.slice(0, at[3] + 20);
    await Deno.writeFile(last, torn);
    const r = await recover(d.dataDir, d.logDir);
    const kept = all.slice(0, 6 + 3);
    assert.deepEqual(dumpTree(r.tree), dumpTree(applyAll(kept)));
    assert.equal(r.tree.lastProcessedZxid, kept.length);
    assert.equal((await Deno.stat(last)).size, at[3], "file truncated to the last good entry");
    assert.equal((await Deno.stat(first)).size, 16 + 8192, "earlier logs untouched");
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0], /cut the tail after 3 txns, the \d+ bytes cut kept in .*\.corrupt-/);
    // Kept aside up to the last non-zero byte (preallocation's zeros are not worth keeping).
    const aside = await Deno.readFile(`${last}.corrupt-${at[3]}`);
    assert.ok(aside.length > 0 && aside.length <= 20);
    assert.deepEqual(aside, torn.subarray(at[3], at[3] + aside.length), "the cut bytes kept aside");
    assert.ok(torn.subarray(at[3] + aside.length).every((b) => b === 0));
    // A second start finds a clean log and the same tree.
    const again = await recover(d.dataDir, d.logDir);
    assert.deepEqual(again.notes, []);
    assert.deepEqual(dumpTree(again.tree), dumpTree(r.tree));
  });
});

/** Every file under the dataDir and dataLogDir with its bytes, to show a refusal changed none. */
async function allFiles(d: Dirs): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const dir of [`${d.dataDir}/version-2`, `${d.logDir}/version-2`]) {
    for await (const e of Deno.readDir(dir)) {
      out.set(`${dir}/${e.name}`, await Deno.readFile(`${dir}/${e.name}`));
    }
  }
  return out;
}

async function assertRefusesUnchanged(d: Dirs, why: RegExp): Promise<void> {
  const before = await allFiles(d);
  await assert.rejects(
    recover(d.dataDir, d.logDir),
    (e: Error) => e instanceof RecoveryError && why.test(e.message),
  );
  assert.deepEqual(await allFiles(d), before, "a refused start changes no file");
}

Deno.test("recover: a corrupt entry in the last log with intact entries after it refuses to start", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const [log] = await writeLogs(d, all);
    const bytes = await Deno.readFile(log);
    const at = offsets(bytes);
    // Entry 13 damaged; 14..20 intact after it: cutting there would lose acknowledged txns.
    for (let i = 0; i < 4; i++) bytes[at[12] + 25 + i] ^= 0xff;
    await Deno.writeFile(log, bytes);
    await assertRefusesUnchanged(
      d,
      new RegExp(
        `checksum mismatch at byte ${at[12]}, yet an intact txn \\(zxid 0xe\\) follows at byte ${
          at[13]
        }.*No file was changed.*up to 0xc`,
      ),
    );
  });
});

Deno.test("recover: a damaged length field, with intact entries after it, refuses to start", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const [log] = await writeLogs(d, all);
    const bytes = await Deno.readFile(log);
    const at = offsets(bytes);
    // The length of entry 5 turned negative: a reader stepping by lengths loses its place.
    bytes[at[4] + 8] = 0xff;
    await Deno.writeFile(log, bytes);
    await assertRefusesUnchanged(d, /partial entry \(length -\d+\) at byte \d+, yet an intact txn/);
  });
});

Deno.test("recover: a zeroed stretch inside the last log with intact entries after it refuses to start", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const [log] = await writeLogs(d, all);
    const bytes = await Deno.readFile(log);
    const at = offsets(bytes);
    // A page lost to zeros reads like the end of the log, yet entries follow it.
    bytes.fill(0, at[6], at[8]);
    await Deno.writeFile(log, bytes);
    await assertRefusesUnchanged(
      d,
      new RegExp(`zeros where an entry should start at byte ${at[6]}`),
    );
  });
});

Deno.test("recover: garbage after the last entry with nothing intact after it is a torn tail", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const [log] = await writeLogs(d, all);
    const bytes = await Deno.readFile(log);
    const end = offsets(bytes).at(-1)!;
    const last = bytes.slice(end, end + 40);
    // The last entry half overwritten, then the preallocated zeros.
    for (let i = 20; i < 40; i++) bytes[end + i] ^= 0x5a;
    await Deno.writeFile(log, bytes);
    const r = await recover(d.dataDir, d.logDir);
    assert.deepEqual(dumpTree(r.tree), dumpTree(applyAll(all.slice(0, all.length - 1))));
    assert.equal((await Deno.stat(log)).size, end);
    const aside = await Deno.readFile(`${log}.corrupt-${end}`);
    assert.deepEqual(aside.subarray(0, 20), last.subarray(0, 20), "the cut bytes are kept aside");
    assert.match(r.notes[0], new RegExp(`kept in .*log\\.1\\.corrupt-${end}`));
  });
});

Deno.test("recover: a missing log file in the middle refuses to start", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const [, middle] = await writeLogs(d, all.slice(0, 5), all.slice(5, 10), all.slice(10));
    await Deno.remove(middle);
    await assertRefusesUnchanged(d, /txn 0xb follows 0x5: the txns between are missing/);
  });
});

Deno.test("recover: logs that do not reach back to the snapshot refuse to start", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    await writeSnapshot(`${d.dataDir}/version-2`, applyAll(all.slice(0, 4)), []);
    const [first] = await writeLogs(d, all.slice(0, 8), all.slice(8));
    await Deno.remove(first);
    await assertRefusesUnchanged(d, /txn 0x9 follows 0x4/);
  });
});

Deno.test("recover: corruption in a log that is not the last refuses to start", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const [first, second] = await writeLogs(d, all.slice(0, 8), all.slice(8));
    const bytes = await Deno.readFile(first);
    bytes[offsets(bytes)[4] + 30] ^= 1;
    await Deno.writeFile(first, bytes);
    const before = [await Deno.readFile(first), await Deno.readFile(second)];
    await assert.rejects(
      recover(d.dataDir, d.logDir),
      (e: Error) => e instanceof RecoveryError && /newer logs follow/.test(e.message),
    );
    assert.deepEqual([await Deno.readFile(first), await Deno.readFile(second)], before);
  });
});

Deno.test("recover: an invalid newest snapshot falls back to the one before; none valid refuses", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const snapDir = `${d.dataDir}/version-2`;
    await writeSnapshot(snapDir, applyAll(all.slice(0, 4)), []);
    const newest = await writeSnapshot(snapDir, applyAll(all.slice(0, 12)), []);
    await writeLogs(d, all);
    const bytes = await Deno.readFile(newest);
    // Cut into the records: 33 bytes of digest and second seal follow the first seal.
    await Deno.writeFile(newest, bytes.subarray(0, bytes.length - 63));
    const r = await recover(d.dataDir, d.logDir);
    assert.equal(r.snapshotZxid, 4);
    assert.match(r.notes[0], /Invalid snapshot .*snapshot\.c/);
    assert.deepEqual(dumpTree(r.tree), dumpTree(applyAll(all)));
    await Deno.writeFile(`${snapDir}/snapshot.4`, new Uint8Array(10));
    await assertRefusesUnchanged(d, /no valid snapshot/);
  });
});

Deno.test("recover: an invalid newest snapshot the logs do not reach past refuses to start", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const snapDir = `${d.dataDir}/version-2`;
    await writeSnapshot(snapDir, applyAll(all.slice(0, 4)), []);
    const newest = await writeSnapshot(snapDir, applyAll(all.slice(0, 12)), []);
    // The logs after snapshot.4 stop at zxid 10: falling back would serve a tree without 11 and 12.
    await writeLogs(d, all.slice(0, 10));
    const bytes = await Deno.readFile(newest);
    bytes[bytes.length - 40] ^= 1;
    await Deno.writeFile(newest, bytes);
    await assertRefusesUnchanged(d, /snapshot\.c is unreadable .* reach only zxid 0xa/);
  });
});

/** A create as prep makes it: the parent's next cversion spelled out. */
function prepCreate(tree: DataTree, path: string, data: string): Txn {
  const parent = tree.get(path.substring(0, path.lastIndexOf("/")) || "/")!;
  return create(path, data, { cv: parent.cversion + 1 });
}

Deno.test("recover: fuzzy snapshot whose parents were written before their children changed", async () => {
  await withDirs(async (d) => {
    const live = new DataTree();
    const log: TxnEntry[] = [];
    const step = (txn: Txn, session = S1) => {
      const e = entry(log.length + 1, txn, session);
      live.apply(e.hdr, e.txn);
      log.push(e);
    };
    step(create("/p", "parent"));
    step(prepCreate(live, "/p/a", "a"));
    step(create("/q", "q"));
    step({ ...prepCreate(live, "/q/e", "e"), ephemeral: true } as Txn, S2);
    const before = (p: string) => ({ cversion: live.get(p)!.cversion, pzxid: live.get(p)!.pzxid });
    const parents = { "/p": before("/p"), "/q": before("/q") };
    // The snapshot (zxid 4) serialised /p and /q, then the tree moved on before it reached their
    // children: /p/b created, /p/a changed and deleted, S2 closed (deleting /q/e).
    step(prepCreate(live, "/p/b", "b"));
    step({ type: OpCode.setData, path: "/p/a", data: enc.encode("a2"), version: 1 });
    step({ type: OpCode.delete, path: "/p/a" });
    step({ type: OpCode.closeSession, paths2Delete: ["/q/e"] }, S2);
    const fuzzy = applyAll(log);
    for (const [p, stat] of Object.entries(parents)) Object.assign(fuzzy.get(p)!, stat);
    fuzzy.lastProcessedZxid = 4;
    await writeSnapshot(`${d.dataDir}/version-2`, fuzzy, []);
    await writeLogs(d, log);
    const r = await recover(d.dataDir, d.logDir);
    assert.equal(r.snapshotZxid, 4);
    assert.deepEqual(dumpTree(r.tree), dumpTree(live));
  });
});

Deno.test("recover: a snapshot taken while txns keep being applied and logged replays to the live tree", async () => {
  await withDirs(async (d) => {
    const live = new DataTree();
    const writer = new TxnLogWriter(`${d.logDir}/version-2`, 1 << 20, false);
    let zxid = 0;
    const step = async (txn: Txn) => {
      const e = entry(++zxid, txn, S1);
      live.apply(e.hdr, e.txn);
      await writer.append([e]);
    };
    for (let i = 0; i < 300; i++) await step(prepCreate(live, `/d${i}`, `v${i}`));
    const snapshotting = writeSnapshot(`${d.dataDir}/version-2`, live, [], 1);
    // While the snapshot walks the tree: children under parents it has already written, new
    // top-level nodes it will reach later, deletes, data changes and a multi.
    for (let i = 0; i < 300; i += 3) {
      await step(prepCreate(live, `/d${i}/c`, "child"));
      await step({
        type: OpCode.setData,
        path: `/d${299 - i}`,
        data: enc.encode("changed"),
        version: 1,
      });
      if (i % 2 === 0) await step({ type: OpCode.delete, path: `/d${i}/c` });
      await step(prepCreate(live, `/late${i}`, "late"));
      if (i % 30 === 0) {
        await step({
          type: OpCode.multi,
          txns: [prepCreate(live, `/late${i}/m`, "m"), {
            type: OpCode.delete,
            path: `/late${i}/m`,
          }],
        });
      }
    }
    const path = await snapshotting;
    writer.close();
    const snapZxid = parseInt(path.split(".").at(-1)!, 16);
    assert.ok(snapZxid >= 300 && snapZxid < zxid, `snapshot.${snapZxid.toString(16)} is fuzzy`);
    const r = await recover(d.dataDir, d.logDir);
    assert.equal(r.snapshotZxid, snapZxid);
    assert.equal(r.txnsReplayed, zxid - snapZxid);
    assert.deepEqual(dumpTree(r.tree), dumpTree(live));
    const logged = readLogFile(await Deno.readFile(`${d.logDir}/version-2/log.1`));
    assert.equal(logged.entries.length, zxid);
  });
});

Deno.test("recover: a log holding no whole txn is overwritten by the next start's first write", async () => {
  await withDirs(async (d) => {
    const all = scenario(1);
    const [, last] = await writeLogs(d, all.slice(0, 6), all.slice(6, 8));
    // A crash right after the roll: log.7 has its header and the start of txn 7 only.
    const bytes = await Deno.readFile(last);
    await Deno.writeFile(last, bytes.slice(0, 16 + 20));
    const r = await recover(d.dataDir, d.logDir);
    assert.equal(r.tree.lastProcessedZxid, 6);
    const w = new TxnLogWriter(`${d.logDir}/version-2`, 8192, false);
    await w.append(all.slice(6));
    w.close();
    assert.equal(w.currentFile, null);
    const again = await recover(d.dataDir, d.logDir);
    assert.deepEqual(dumpTree(again.tree), dumpTree(applyAll(all)));
  });
});
