import assert from "node:assert/strict";
import { purge } from "./purge.ts";
import { recover } from "./recovery.ts";
import { writeSnapshot } from "./snapshot.ts";
import { TxnLogWriter } from "./txn_log.ts";
import { applyAll, dumpTree, S1, S2, scenario, tempDataDirs } from "./_fixtures_test.ts";

/** A file's bytes: a snapshot-looking one ends in the seal ("/"), as SnapStream checks. */
const SEALED = new Uint8Array([0x5a, 0x4b, 0x53, 0x4e, 0, 0, 0, 0, 0, 0, 0, 1, 0x2f]);

async function touch(dir: string, names: string[]): Promise<void> {
  for (const n of names) {
    const body = n.startsWith("snapshot.") ? SEALED : new Uint8Array([1]);
    await Deno.writeFile(`${dir}/version-2/${n}`, body);
  }
}

function names(dir: string): string[] {
  return [...Deno.readDirSync(`${dir}/version-2`)].map((e) => e.name).sort();
}

Deno.test("purge keeps the newest N snapshots and the logs they need, nothing else", async () => {
  const d = await tempDataDirs();
  try {
    await touch(d.dataDir, [
      "snapshot.0",
      "snapshot.10",
      "snapshot.20",
      "snapshot.30",
      "snapshot.40",
    ]);
    await touch(d.dataDir, ["myid", "snapshot.50.tmp"]);
    await touch(d.logDir, ["log.1", "log.11", "log.15", "log.25", "log.41", "acceptedEpoch"]);
    const { removed } = await purge(d.dataDir, d.logDir, 3);
    assert.deepEqual(removed.map((p) => p.slice(d.root.length)).sort(), [
      "/data/version-2/snapshot.0",
      "/data/version-2/snapshot.10",
      "/logs/version-2/log.1",
      "/logs/version-2/log.11",
    ]);
    // log.15 holds the txns right after snapshot.20, so it stays.
    assert.deepEqual(names(d.dataDir), [
      "myid",
      "snapshot.20",
      "snapshot.30",
      "snapshot.40",
      "snapshot.50.tmp",
    ]);
    assert.deepEqual(names(d.logDir), ["acceptedEpoch", "log.15", "log.25", "log.41"]);
    // Purging again removes nothing.
    assert.deepEqual((await purge(d.dataDir, d.logDir, 3)).removed, []);
  } finally {
    await d.cleanup();
  }
});

Deno.test("purge with fewer snapshots than N still drops logs older than the oldest one needs", async () => {
  const d = await tempDataDirs();
  try {
    await touch(d.dataDir, ["snapshot.20", "snapshot.30"]);
    await touch(d.logDir, ["log.1", "log.11", "log.20", "log.25"]);
    const { removed } = await purge(d.dataDir, d.logDir, 3);
    assert.equal(removed.length, 2);
    assert.deepEqual(names(d.logDir), ["log.20", "log.25"]);
    assert.deepEqual(names(d.dataDir), ["snapshot.20", "snapshot.30"]);
    // No snapshot at all: nothing can be judged unneeded.
    await Deno.remove(`${d.dataDir}/version-2/snapshot.20`);
    await Deno.remove(`${d.dataDir}/version-2/snapshot.30`);
    assert.deepEqual((await purge(d.dataDir, d.logDir, 3)).removed, []);
  } finally {
    await d.cleanup();
  }
});

Deno.test("purge counts only snapshots that end in their seal, as 3.8's PurgeTxnLog", async () => {
  const d = await tempDataDirs();
  try {
    await touch(d.dataDir, ["snapshot.10", "snapshot.20", "snapshot.30", "snapshot.40"]);
    await touch(d.logDir, ["log.1", "log.11", "log.21", "log.31", "log.41"]);
    // The newest snapshot was cut short by a crash: it does not count as one of the 3 kept.
    await Deno.writeFile(`${d.dataDir}/version-2/snapshot.50`, SEALED.subarray(0, 11));
    const { removed } = await purge(d.dataDir, d.logDir, 3);
    assert.deepEqual(removed.map((p) => p.slice(p.lastIndexOf("/") + 1)), [
      "snapshot.10",
      "log.1",
    ]);
    assert.deepEqual(names(d.dataDir), [
      "snapshot.20",
      "snapshot.30",
      "snapshot.40",
      "snapshot.50",
    ]);
  } finally {
    await d.cleanup();
  }
});

Deno.test("purge refuses to keep fewer than 3 snapshots", async () => {
  const d = await tempDataDirs();
  try {
    await assert.rejects(purge(d.dataDir, d.logDir, 2), /at least 3/);
  } finally {
    await d.cleanup();
  }
});

Deno.test("after a purge the dataDir still recovers the same tree", async () => {
  const d = await tempDataDirs();
  try {
    const all = scenario(1);
    const w = new TxnLogWriter(`${d.logDir}/version-2`, 4096, false);
    const snapDir = `${d.dataDir}/version-2`;
    const sessions = [{ id: S1, timeout: 30000 }, { id: S2, timeout: 12000 }];
    // A snapshot and a log roll every 4 txns, as a server with a tiny snapCount would do.
    for (let i = 0; i < all.length; i += 4) {
      await w.append(all.slice(i, i + 4));
      w.roll();
      await writeSnapshot(snapDir, applyAll(all.slice(0, i + 2)), sessions);
    }
    const before = await recover(d.dataDir, d.logDir);
    const { removed } = await purge(d.dataDir, d.logDir, 3);
    assert.ok(removed.length > 0);
    assert.equal(names(d.dataDir).length, 3);
    const after = await recover(d.dataDir, d.logDir);
    assert.deepEqual(dumpTree(after.tree), dumpTree(before.tree));
    assert.deepEqual(dumpTree(after.tree), dumpTree(applyAll(all)));
  } finally {
    await d.cleanup();
  }
});
