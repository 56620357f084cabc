import assert from "node:assert/strict";
import { DataTree } from "../tree/data_tree.ts";
import { FileStore } from "./store.ts";
import { readSnapshot } from "./snapshot.ts";
import { dumpTree, scenario, tempDataDirs } from "./_fixtures_test.ts";

/** A store over temp dirs that snapshots after more than 2 txns, and its tree fed as applied. */
async function storeWithTree(snapshotWorkerUrl?: string) {
  const d = await tempDataDirs();
  const tree = new DataTree();
  const store = new FileStore({
    dataDir: d.dataDir,
    dataLogDir: d.logDir,
    snapCount: 4,
    preAllocSize: 64 * 1024,
    forceSync: false,
    random: () => 0,
    snapshotWorkerUrl,
  });
  store.source = { tree, sessions: () => [] };
  const snapshots: string[] = [];
  const workerErrors: unknown[] = [];
  let took: (path: string) => void = () => {};
  store.onSnapshot = (p) => {
    snapshots.push(p);
    took(p);
  };
  store.onWorkerError = (e) => workerErrors.push(e);
  const nextSnapshot = () => new Promise<string>((r) => took = r);
  return { d, tree, store, snapshots, workerErrors, nextSnapshot };
}

Deno.test("background snapshots are made in a worker, exact as of the batch that triggered them", async () => {
  const { d, tree, store, workerErrors, nextSnapshot } = await storeWithTree();
  try {
    await store.snapshotNow();
    const entries = scenario(1);
    const taken = nextSnapshot();
    // Two txns, then three: the second batch passes snapCount/2 and rolls the log.
    for (const batch of [entries.slice(0, 2), entries.slice(2, 5)]) {
      await store.persist(batch);
      for (const e of batch) tree.apply(e.hdr, e.txn);
    }
    const expected = dumpTree(tree);
    // Later txns, applied before the worker is done, stay out of that snapshot.
    await store.persist(entries.slice(5, 6));
    for (const e of entries.slice(5, 6)) tree.apply(e.hdr, e.txn);
    const path = await taken;
    assert.deepEqual(workerErrors, []);
    assert.ok(path.endsWith("/snapshot.5"), path);
    assert.deepEqual(dumpTree(readSnapshot(await Deno.readFile(path), 5).tree), expected);
  } finally {
    store.close();
    await d.cleanup();
  }
});

Deno.test("when the worker cannot make a snapshot, the live tree is serialised instead", async () => {
  const { d, tree, store, workerErrors, nextSnapshot } = await storeWithTree();
  try {
    // No base snapshot on disk: the worker has nothing to start from.
    const entries = scenario(1).slice(0, 5);
    const taken = nextSnapshot();
    await store.persist(entries);
    for (const e of entries) tree.apply(e.hdr, e.txn);
    const path = await taken;
    assert.equal(workerErrors.length, 1);
    assert.match(String(workerErrors[0]), /no valid snapshot/);
    assert.deepEqual(dumpTree(readSnapshot(await Deno.readFile(path), 5).tree), dumpTree(tree));
  } finally {
    store.close();
    await d.cleanup();
  }
});

Deno.test("a worker that cannot start is not tried again; snapshots go on in the server thread", async () => {
  const missing = new URL("./no_such_worker.ts", import.meta.url).href;
  console.log("expected below: Deno reports the missing worker module once (TS2307 / not found)");
  const { d, tree, store, workerErrors, nextSnapshot } = await storeWithTree(missing);
  try {
    await store.snapshotNow();
    const entries = scenario(1);
    for (const [from, to] of [[0, 3], [3, 6]]) {
      const taken = nextSnapshot();
      const batch = entries.slice(from, to);
      await store.persist(batch);
      for (const e of batch) tree.apply(e.hdr, e.txn);
      const path = await taken;
      assert.deepEqual(dumpTree(readSnapshot(await Deno.readFile(path), to).tree), dumpTree(tree));
    }
    assert.equal(workerErrors.length, 1, "the missing worker was tried once");
  } finally {
    store.close();
    await d.cleanup();
  }
});
