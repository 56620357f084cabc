/**
 * Fixtures shared by the zk/persist tests: txn builders, a scenario touching every kind of znode,
 * a canonical dump of a tree for comparisons and temp data dirs. No tests of its own.
 */
import { OpCode } from "../jute/opcodes.ts";
import { type ACL, OPEN_ACL_UNSAFE } from "../jute/records.ts";
import { DataTree } from "../tree/data_tree.ts";
import type { Txn, TxnEntry } from "../tree/txn.ts";
import { NULL_DATA } from "../tree/znode.ts";

/** UTF-8 encoder for txn data. */
export const enc = new TextEncoder();
/** world:anyone with every permission. */
export const OPEN: ACL[] = [...OPEN_ACL_UNSAFE];
/** digest:alice:secret (sha1 of "alice:secret", base64) with all perms, plus world read. */
export const ALICE: ACL[] = [
  { perms: 31, id: { scheme: "digest", id: "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=" } },
  { perms: 1, id: { scheme: "world", id: "anyone" } },
];
/** The scenario's first session (closed by its last txn). */
export const S1 = 0x100003f9ebc0000n;
/** The scenario's second session (left open, owning /app/eph). */
export const S2 = 0x100003f9ebc0001n;
/** 2026-11-24 23:18:20 UTC, the reference capture's first txn time. */
export const T0 = 0x1a20fda65f7;

/** A log entry for `txn` at `zxid`. */
export function entry(zxid: number, txn: Txn, clientId = S1, cxid = zxid): TxnEntry {
  return { hdr: { clientId, cxid, zxid, time: T0 + zxid * 1000, type: txn.type }, txn };
}

/** A plain create txn. */
export function create(
  path: string,
  data = "",
  opts: { acl?: ACL[]; ephemeral?: boolean; cv?: number; type?: 1 | 15 } = {},
): Txn {
  return {
    type: opts.type ?? OpCode.create,
    path,
    data: enc.encode(data),
    acl: opts.acl ?? OPEN,
    ephemeral: opts.ephemeral ?? false,
    parentCVersion: opts.cv ?? -1,
  };
}

/**
 * Every kind of txn and znode: two sessions, digest ACLs, ephemerals, a container, a TTL node,
 * a quota (limits and stats nodes), sequential-style names, setData/setACL/delete, a multi and
 * an error txn. Session S2 stays open (its ephemeral survives).
 */
export function scenario(firstZxid = 1): TxnEntry[] {
  const txns: [Txn, bigint?][] = [
    [{ type: OpCode.createSession, timeOut: 30000 }],
    [{ type: OpCode.createSession, timeOut: 12000 }, S2],
    [create("/app", "root data")],
    [create("/app/cfg", "v1", { acl: ALICE })],
    [create("/app/seq-0000000000", "s", { type: OpCode.create2 })],
    [create("/app/eph", "mine", { ephemeral: true }), S2],
    [create("/app/eph1", "gone", { ephemeral: true })],
    [{
      type: OpCode.createContainer,
      path: "/box",
      data: enc.encode("c"),
      acl: OPEN,
      parentCVersion: -1,
    }],
    [create("/box/item", "i")],
    [{
      type: OpCode.createTTL,
      path: "/ttl",
      data: enc.encode("t"),
      acl: OPEN,
      parentCVersion: -1,
      ttl: 5000,
    }],
    [create("/zookeeper/quota/app", "")],
    [create("/zookeeper/quota/app/zookeeper_limits", "count=10,bytes=-1")],
    [create("/zookeeper/quota/app/zookeeper_stats", "count=0,bytes=0")],
    [{ type: OpCode.setData, path: "/app/cfg", data: enc.encode("v2"), version: 1 }],
    [{ type: OpCode.setACL, path: "/app", acl: ALICE, version: 1 }],
    [{ ...create("/app/nodata"), data: NULL_DATA } as Txn],
    [create("/app/tmp", "x")],
    [{ type: OpCode.delete, path: "/app/tmp" }],
    [{ type: OpCode.error, err: -101 }],
    [{
      type: OpCode.multi,
      txns: [
        create("/app/m1", "one"),
        { type: OpCode.setData, path: "/app/m1", data: enc.encode("two"), version: 1 },
        { type: OpCode.check, path: "/app", version: 0 },
        create("/app/m2", ""),
        { type: OpCode.delete, path: "/app/m2" },
      ],
    }],
    [{ type: OpCode.closeSession, paths2Delete: ["/app/eph1"] }],
  ];
  return txns.map(([t, s], i) => entry(firstZxid + i, t, s ?? S1));
}

/** Applies entries to `tree` (a fresh one by default). */
export function applyAll(entries: readonly TxnEntry[], tree = new DataTree()): DataTree {
  for (const e of entries) tree.apply(e.hdr, e.txn);
  return tree;
}

/** Everything observable about a tree, in a form assert.deepEqual compares. */
export function dumpTree(tree: DataTree): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const path of [...tree.nodes.keys()].sort()) {
    const n = tree.nodes.get(path)!;
    nodes[path] = {
      data: n.data === NULL_DATA ? null : [...n.data].join(","),
      acl: tree.aclOf(n),
      stat: { ...n.stat(), ephemeralOwner: n.ephemeralOwner.toString(16) },
      cversion: n.cversion,
      children: [...(n.children ?? [])].sort(),
    };
  }
  const ephemerals: Record<string, string[]> = {};
  for (const [s, paths] of tree.ephemerals) ephemerals[s.toString(16)] = [...paths].sort();
  return {
    nodes,
    ephemerals,
    containers: [...tree.containers].sort(),
    ttls: [...tree.ttls].sort(),
    quotaPaths: [...tree.quotaPaths].sort(),
  };
}

/** A temp dir holding data/ and logs/ (dataDir and dataLogDir), removed by `cleanup`. */
export async function tempDataDirs(): Promise<
  { root: string; dataDir: string; logDir: string; cleanup(): Promise<void> }
> {
  const root = await Deno.makeTempDir({ prefix: "herd-persist-" });
  const dataDir = `${root}/data`;
  const logDir = `${root}/logs`;
  await Deno.mkdir(`${dataDir}/version-2`, { recursive: true });
  await Deno.mkdir(`${logDir}/version-2`, { recursive: true });
  return { root, dataDir, logDir, cleanup: () => Deno.remove(root, { recursive: true }) };
}

/** Bytes from a hex string with optional whitespace ("5a4b 4c47 …"). */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

/** A seeded PRNG (mulberry32), so a randomised test's failing seed can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
