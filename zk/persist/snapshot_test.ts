import assert from "node:assert/strict";
import { JuteError } from "../jute/reader.ts";
import { OpCode } from "../jute/opcodes.ts";
import { DataTree } from "../tree/data_tree.ts";
import { CONTAINER_OWNER, NULL_DATA, ttlOwner } from "../tree/znode.ts";
import { readSnapshot, snapshotName, writeSnapshot } from "./snapshot.ts";
import {
  ALICE,
  applyAll,
  create,
  dumpTree,
  entry,
  hex,
  S1,
  S2,
  scenario,
  tempDataDirs,
} from "./_fixtures_test.ts";

/** The first 128 bytes of Apache 3.8.0's snapshot.0 of an empty tree (datadir-hexdump.txt). */
const APACHE_SNAPSHOT_0_HEAD = hex(`
  5a4b 534e 0000 0002 ffff ffff ffff ffff
  0000 0000 0000 0001 0000 0000 0000 0001
  0000 0001 0000 0001 0000 0005 776f 726c
  6400 0000 0661 6e79 6f6e 6500 0000 0000
  0000 00ff ffff ffff ffff ff00 0000 0000
  0000 0000 0000 0000 0000 0000 0000 0000
  0000 0000 0000 0000 0000 0000 0000 0000
  0000 0000 0000 0000 0000 0000 0000 0000`);

async function snapshotOf(
  tree: DataTree,
  sessions = [{ id: S1, timeout: 30000 }],
  chunk?: number,
  sync = false,
) {
  const dirs = await tempDataDirs();
  try {
    const path = await writeSnapshot(`${dirs.dataDir}/version-2`, tree, sessions, chunk, sync);
    return { path, bytes: await Deno.readFile(path) };
  } finally {
    await dirs.cleanup();
  }
}

Deno.test("snapshot of an empty tree starts with the bytes of Apache's snapshot.0", async () => {
  const { path, bytes } = await snapshotOf(new DataTree(), []);
  assert.match(path, /\/version-2\/snapshot\.0$/);
  assert.deepEqual([...bytes.subarray(0, 128)], [...APACHE_SNAPSHOT_0_HEAD]);
  // An fsynced snapshot (as a follower's SNAP sync will take) is the same file.
  const synced = await snapshotOf(new DataTree(), [], undefined, true);
  assert.deepEqual(synced.bytes, bytes);
});

Deno.test("snapshot round trip: ephemerals, containers, TTLs, ACLs, quotas and sessions", async () => {
  const entries = scenario(0x300000001);
  const tree = applyAll(entries.slice(0, -1)); // S1's closeSession not applied: both sessions live
  assert.ok(tree.containers.has("/box") && tree.ttls.has("/ttl") && tree.quotaPaths.has("/app"));
  const sessions = [
    { id: S1, timeout: 30000 },
    { id: S2, timeout: 12000 },
    { id: -0x7ffffffffffffff1n, timeout: 4000 },
  ];
  const { path, bytes } = await snapshotOf(tree, sessions);
  const zxid = entries.at(-2)!.hdr.zxid;
  assert.ok(path.endsWith(`/${snapshotName(zxid)}`), path);
  const loaded = readSnapshot(bytes, zxid);
  assert.deepEqual(loaded.sessions, sessions);
  assert.equal(loaded.zxid, zxid);
  assert.equal(loaded.tree.lastProcessedZxid, zxid);
  assert.deepEqual(dumpTree(loaded.tree), dumpTree(tree));
  assert.equal(loaded.tree.get("/box")!.ephemeralOwner, CONTAINER_OWNER);
  assert.equal(loaded.tree.get("/ttl")!.ephemeralOwner, ttlOwner(5000));
  assert.deepEqual(loaded.tree.ephemeralsOf(S2), ["/app/eph"]);
  assert.equal(loaded.tree.get("/app/nodata")!.data, NULL_DATA, "null data stays null");
  assert.deepEqual(loaded.tree.ephemeralsOf(S1).sort(), ["/app/eph1"]);
  // The ACL cache keeps its ids, so nodes point at the same lists.
  assert.deepEqual([...loaded.tree.acls.byId.entries()], [...tree.acls.byId.entries()]);
  // The loaded tree keeps working: quota stats follow new writes, shared ACL lists survive deletes.
  const next = zxid + 1;
  loaded.tree.apply(entry(next, create("/app/new", "12345")).hdr, create("/app/new", "12345"));
  assert.equal(
    new TextDecoder().decode(loaded.tree.get("/zookeeper/quota/app/zookeeper_stats")!.data),
    "count=8,bytes=28",
  );
  loaded.tree.apply(entry(next + 1, { type: OpCode.delete, path: "/app/cfg" }).hdr, {
    type: OpCode.delete,
    path: "/app/cfg",
  });
  assert.deepEqual(loaded.tree.aclOf(loaded.tree.get("/app")!), ALICE);
});

Deno.test("a snapshot ends with the tree's digest; one that stops at its seal (Apache 3.5) reads too", async () => {
  const tree = applyAll(scenario(1));
  const { bytes } = await snapshotOf(tree);
  const zxid = tree.lastProcessedZxid;
  const full = readSnapshot(bytes, zxid);
  assert.deepEqual(full.digest, { zxid, version: 2, digest: tree.digest.value });
  assert.equal(full.tree.digest.value, tree.digest.value);
  const old = readSnapshot(bytes.subarray(0, bytes.length - 33), zxid);
  assert.equal(old.digest, undefined);
  assert.deepEqual(dumpTree(old.tree), dumpTree(tree));
});

Deno.test("a corrupted snapshot is rejected: flipped byte, truncation, bad magic, no seal", async () => {
  const tree = applyAll(scenario(1));
  const { bytes } = await snapshotOf(tree);
  assert.doesNotThrow(() => readSnapshot(bytes, 20));
  const flips = [40, Math.floor(bytes.length / 2), bytes.length - 20];
  for (const at of flips) {
    const bad = bytes.slice();
    bad[at] ^= 0x04;
    assert.throws(() => readSnapshot(bad, 20), JuteError, `flip at ${at}`);
  }
  for (const cut of [8, 100, bytes.length - 13, bytes.length - 1]) {
    assert.throws(() => readSnapshot(bytes.slice(0, cut), 20), JuteError, `cut at ${cut}`);
  }
  const badMagic = bytes.slice();
  badMagic[3] = 0;
  assert.throws(() => readSnapshot(badMagic, 20), /bad magic/);
  const noSeal = bytes.slice();
  noSeal[noSeal.length - 1] = 0x2e;
  assert.throws(() => readSnapshot(noSeal, 20), /seal/);
});

Deno.test("a snapshot written while the tree changes (fuzzy) never points at a missing ACL", async () => {
  const tree = new DataTree();
  const n = 2000;
  for (let i = 1; i <= n; i++) {
    tree.apply(entry(i, create(`/n${i}`, `d${i}`)).hdr, create(`/n${i}`, `d${i}`));
  }
  const dirs = await tempDataDirs();
  try {
    const dir = `${dirs.dataDir}/version-2`;
    const writing = writeSnapshot(dir, tree, [], 1);
    // Once the ACL cache is on disk, the last node (not yet written) gets a brand-new ACL list:
    // the writer must notice and redo the snapshot in one go.
    const tmp = `${dir}/${snapshotName(n)}.tmp`;
    while (((await Deno.stat(tmp).catch(() => null))?.size ?? 0) === 0) {
      await new Promise((r) => setTimeout(r, 0));
    }
    const setAcl = { type: OpCode.setACL, path: `/n${n}`, acl: ALICE, version: 1 } as const;
    tree.apply(entry(n + 1, setAcl).hdr, setAcl);
    const path = await writing;
    assert.ok(path.endsWith(`/${snapshotName(n)}`), path);
    const loaded = readSnapshot(await Deno.readFile(path), n);
    assert.deepEqual(loaded.tree.aclOf(loaded.tree.get(`/n${n}`)!), ALICE);
    assert.equal(loaded.tree.nodes.size, n + 4);
  } finally {
    await dirs.cleanup();
  }
});

Deno.test("reading a snapshot recomputes quota stats, as Apache's setupQuota does", async () => {
  const tree = applyAll(scenario(1));
  const stats = tree.get("/zookeeper/quota/app/zookeeper_stats")!;
  const right = new TextDecoder().decode(stats.data);
  // A fuzzy snapshot caught the stats node before (or after) the nodes it counts.
  stats.data = new TextEncoder().encode("count=99,bytes=1");
  const { bytes } = await snapshotOf(tree);
  const loaded = readSnapshot(bytes, 20);
  const got = loaded.tree.get("/zookeeper/quota/app/zookeeper_stats")!.data;
  assert.equal(new TextDecoder().decode(got), right);
  assert.equal(right, "count=6,bytes=19");
});
