import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import { DataTree } from "../tree/data_tree.ts";
import type { Txn, TxnEntry } from "../tree/txn.ts";
import { patchSnapshot } from "./snapshot_patch.ts";
import { readSnapshot, writeSnapshot } from "./snapshot.ts";
import { TxnLogWriter } from "./txn_log.ts";
import {
  ALICE,
  create,
  dumpTree,
  enc,
  entry,
  mulberry32,
  scenario,
  tempDataDirs,
} from "./_fixtures_test.ts";

/**
 * Valid txns against a model tree, applied to it as they are made: creates (persistent, ephemeral,
 * container, TTL), deletes of leaves, setData, setACL, sessions opening and closing, and multis.
 */
class Workload {
  readonly tree = new DataTree();
  readonly sessions = new Map<bigint, number>();
  zxid = 0;
  private nextSession = 0x5000n;
  private names = 0;

  constructor(private readonly random: () => number) {}

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.random() * xs.length)];
  }

  private userPaths(): string[] {
    return [...this.tree.nodes.keys()].filter((p) => p !== "/" && !p.startsWith("/zookeeper"));
  }

  private txn(): [Txn, bigint] {
    const sessions = [...this.sessions.keys()];
    const r = this.random();
    const paths = this.userPaths();
    const parents = ["/", ...paths.filter((p) => this.tree.get(p)!.ephemeralOwner === 0n)];
    if (r < 0.08 || sessions.length === 0) {
      const id = this.nextSession++;
      return [{ type: OpCode.createSession, timeOut: 4000 + sessions.length }, id];
    }
    const session = this.pick(sessions);
    if (r < 0.12) {
      // Half the time unlisted, as logs written before closeSession carried the paths.
      const paths2Delete = this.random() < 0.5 ? [...this.tree.ephemeralsOf(session)] : [];
      return [{ type: OpCode.closeSession, paths2Delete }, session];
    }
    if (r < 0.5 || paths.length === 0) {
      const parent = this.pick(parents);
      const path = `${parent === "/" ? "" : parent}/n${this.names++}`;
      const kind = this.random();
      if (kind < 0.2) return [create(path, `e${this.zxid}`, { ephemeral: true }), session];
      if (kind < 0.3) {
        const common = { path, data: enc.encode("c"), acl: ALICE, parentCVersion: -1 };
        const txn: Txn = kind < 0.25
          ? { type: OpCode.createContainer, ...common }
          : { type: OpCode.createTTL, ...common, ttl: 1000 };
        return [txn, session];
      }
      return [create(path, "x".repeat(Math.floor(this.random() * 40))), session];
    }
    const path = this.pick(paths);
    if (r < 0.65) {
      return [
        { type: OpCode.setData, path, data: enc.encode(`d${this.zxid}`), version: 1 },
        session,
      ];
    }
    if (r < 0.7) return [{ type: OpCode.setACL, path, acl: ALICE, version: 1 }, session];
    if (r < 0.9) {
      const leaves = paths.filter((p) => this.tree.get(p)!.numChildren === 0);
      if (leaves.length > 0) return [{ type: OpCode.delete, path: this.pick(leaves) }, session];
    }
    const m = `/multi${this.names++}`;
    return [{
      type: OpCode.multi,
      txns: [create(m, "a"), create(`${m}/c`, "b"), {
        type: OpCode.setData,
        path: m,
        data: enc.encode("c"),
        version: 1,
      }],
    }, session];
  }

  /** `count` more txns, applied to the model. */
  next(count: number): TxnEntry[] {
    const out: TxnEntry[] = [];
    for (let i = 0; i < count; i++) {
      const [t, session] = this.txn();
      const e = entry(++this.zxid, t, session);
      this.tree.apply(e.hdr, e.txn);
      if (t.type === OpCode.createSession) this.sessions.set(session, t.timeOut);
      if (t.type === OpCode.closeSession) this.sessions.delete(session);
      out.push(e);
    }
    return out;
  }
}

async function logGroups(logDir: string, ...groups: TxnEntry[][]): Promise<void> {
  const w = new TxnLogWriter(`${logDir}/version-2`, 8192, false);
  for (const g of groups) {
    await w.append(g);
    w.roll();
  }
}

/** A snapshot of the workload's model tree and sessions as they stand, in one go. */
function snapshotWorkload(dataDir: string, w: Workload): Promise<string> {
  const sessions = [...w.sessions].map(([id, timeout]) => ({ id, timeout }));
  return writeSnapshot(`${dataDir}/version-2`, w.tree, sessions, 1e9);
}

async function readBack(path: string, zxid: number) {
  const s = readSnapshot(await Deno.readFile(path), zxid);
  // The digest written must be the one of the tree read back, which is the tree's as of zxid.
  assert.deepEqual(s.digest, { zxid, version: 2, digest: s.tree.digest.value }, "digest");
  return { tree: dumpTree(s.tree), sessions: new Map(s.sessions.map((x) => [x.id, x.timeout])) };
}

/** The patch's digest is the model tree's: exact as of the zxid, as a replay makes it. */
async function assertDigest(path: string, tree: DataTree): Promise<void> {
  const s = readSnapshot(await Deno.readFile(path), tree.lastProcessedZxid);
  assert.equal(s.digest?.digest, tree.digest.value);
}

// Chunks of 64 bytes are smaller than most records; 1000 bytes puts edges mid-record.
const CHUNKS = [undefined, 64, 1000, undefined, 64, 4096];
for (const seed of [1, 2, 3, 4, 5, 6]) {
  const chunkBytes = CHUNKS[seed - 1];
  Deno.test(`patched snapshots equal the replayed tree (seed ${seed}, ${chunkBytes ?? "default"}-byte chunks, chained three times)`, async () => {
    console.log(`seed ${seed}`);
    const d = await tempDataDirs();
    try {
      const w = new Workload(mulberry32(seed));
      await logGroups(d.logDir, w.next(600));
      await snapshotWorkload(d.dataDir, w);
      for (let round = 0; round < 3; round++) {
        await logGroups(d.logDir, w.next(60), w.next(40));
        // Txns logged after the zxid asked for stay out of the snapshot.
        const upTo = w.zxid;
        const r = await patchSnapshot(d.dataDir, d.logDir, upTo, { chunkBytes });
        assert.ok(r.path.endsWith(`snapshot.${upTo.toString(16)}`), r.path);
        assert.equal(r.txns, 100);
        assert.ok(r.decoded < r.nodes, `decoded ${r.decoded} of ${r.nodes}: nothing was copied`);
        const back = await readBack(r.path, upTo);
        assert.deepEqual(back.tree, dumpTree(w.tree));
        await assertDigest(r.path, w.tree);
        assert.deepEqual(back.sessions, w.sessions);
      }
    } finally {
      await d.cleanup();
    }
  });
}

Deno.test("a patch stops at the zxid asked for, even with later txns logged", async () => {
  const d = await tempDataDirs();
  try {
    const w = new Workload(mulberry32(42));
    await logGroups(d.logDir, w.next(50));
    await snapshotWorkload(d.dataDir, w);
    await logGroups(d.logDir, w.next(40));
    const upTo = w.zxid;
    const expected = dumpTree(w.tree);
    const later = w.next(30);
    await logGroups(d.logDir, later.slice(0, 10), later.slice(10));
    const r = await patchSnapshot(d.dataDir, d.logDir, upTo, { sync: true });
    assert.equal(r.txns, 40);
    assert.deepEqual((await readBack(r.path, upTo)).tree, expected);
  } finally {
    await d.cleanup();
  }
});

Deno.test("quota nodes, containers, TTLs, ACLs, multis and closed sessions patch as replayed", async () => {
  const d = await tempDataDirs();
  try {
    // The scenario creates a quota: the patch replays on the whole tree then. Writes under the
    // quota afterwards move its stats node on a partial tree.
    const first = scenario(1);
    const tree = new DataTree();
    await writeSnapshot(`${d.dataDir}/version-2`, tree, [], 1e9);
    for (const e of first) tree.apply(e.hdr, e.txn);
    await logGroups(d.logDir, first);
    const r1 = await patchSnapshot(d.dataDir, d.logDir, first.length);
    assert.deepEqual((await readBack(r1.path, first.length)).tree, dumpTree(tree));
    // The base is the initial tree's four znodes: all of them are replayed when a quota is made.
    assert.equal(r1.decoded, 4);
    let z = first.length;
    const more = [
      entry(++z, create("/app/q1", "under quota")),
      entry(++z, {
        type: OpCode.setData,
        path: "/app/q1",
        data: enc.encode("longer data"),
        version: 1,
      }),
      entry(++z, create("/other", "outside")),
      entry(++z, { type: OpCode.delete, path: "/app/nodata" }),
    ];
    for (const e of more) tree.apply(e.hdr, e.txn);
    await logGroups(d.logDir, more);
    const r2 = await patchSnapshot(d.dataDir, d.logDir, z);
    assert.ok(r2.decoded < r2.nodes);
    assert.deepEqual((await readBack(r2.path, z)).tree, dumpTree(tree));
    await assertDigest(r2.path, tree);
  } finally {
    await d.cleanup();
  }
});

Deno.test("a patch with no valid base snapshot fails rather than guessing", async () => {
  const d = await tempDataDirs();
  try {
    await logGroups(d.logDir, scenario(1));
    await assert.rejects(() => patchSnapshot(d.dataDir, d.logDir, 5), /no valid snapshot/);
    await Deno.writeFile(`${d.dataDir}/version-2/snapshot.0`, new Uint8Array([1, 2, 3]));
    await assert.rejects(() => patchSnapshot(d.dataDir, d.logDir, 5), /no valid snapshot/);
  } finally {
    await d.cleanup();
  }
});

Deno.test("a newest snapshot that is corrupt or cut short is passed over for the one before", async () => {
  for (const damage of ["flip a byte", "cut the tail"]) {
    const d = await tempDataDirs();
    try {
      const w = new Workload(mulberry32(9));
      await logGroups(d.logDir, w.next(300));
      await snapshotWorkload(d.dataDir, w);
      const older = w.zxid;
      await logGroups(d.logDir, w.next(80));
      const newer = (await patchSnapshot(d.dataDir, d.logDir, w.zxid)).path;
      const bytes = await Deno.readFile(newer);
      if (damage === "flip a byte") bytes[bytes.length >> 1] ^= 0x10;
      await Deno.writeFile(
        newer,
        damage === "flip a byte" ? bytes : bytes.subarray(0, bytes.length - 40),
      );
      await logGroups(d.logDir, w.next(50));
      const r = await patchSnapshot(d.dataDir, d.logDir, w.zxid, { chunkBytes: 512 });
      assert.ok(r.base.endsWith(`snapshot.${older.toString(16)}`), `${damage}: based on ${r.base}`);
      assert.equal(r.txns, 130, damage);
      assert.deepEqual((await readBack(r.path, w.zxid)).tree, dumpTree(w.tree), damage);
    } finally {
      await d.cleanup();
    }
  }
});
