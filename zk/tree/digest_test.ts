import assert from "node:assert/strict";
import { crc32 as zlibCrc32 } from "node:zlib";
import { OpCode } from "../jute/opcodes.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";
import {
  crc32,
  CRC32_START,
  crc32BigLong,
  crc32Binary,
  crc32Bytes,
  crc32Finish,
  crc32Int,
  crc32Long,
  crc32Utf8,
} from "./crc32.ts";
import { DataTree } from "./data_tree.ts";
import { TreeDigest, znodeDigest } from "./digest.ts";
import type { Txn } from "./txn.ts";

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("crc32: the standard check value and node:zlib's CRC-32 on every path through the code", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  const rand = rng(7);
  // Lengths either side of the JS/native switch and of the four-byte steps.
  for (let len = 0; len < 300; len++) {
    const b = new Uint8Array(len).map(() => Math.floor(rand() * 256));
    assert.equal(crc32(b), zlibCrc32(b), `length ${len}`);
    const binary = String.fromCharCode(...b);
    assert.equal(crc32Finish(crc32Binary(CRC32_START, binary)), zlibCrc32(b), `binary ${len}`);
    // Split anywhere: the register carries over.
    const cut = Math.floor(rand() * (len + 1));
    const c = crc32Bytes(crc32Bytes(CRC32_START, b, 0, cut), b, cut, len);
    assert.equal(crc32Finish(c), zlibCrc32(b), `split ${cut}/${len}`);
  }
  const path = "/persist/\u00fc-\u6f22";
  assert.equal(
    crc32Finish(crc32Utf8(CRC32_START, path)),
    zlibCrc32(new TextEncoder().encode(path)),
  );
});

Deno.test("crc32: ints and longs are fed as ByteBuffer.putInt/putLong writes them (big-endian)", () => {
  const b = new Uint8Array(28);
  const v = new DataView(b.buffer);
  for (
    const [i, l, o] of [
      [7, 0x100000021, 0x1000005f12b0002n],
      [-1, -1, -1n],
      [-0x80000000, 2 ** 53 - 1, -0x8000000000000000n],
      [0x7fffffff, -(2 ** 40) - 5, 0xff000000000927c0n - 0x10000000000000000n],
    ] as const
  ) {
    v.setInt32(0, i);
    v.setBigInt64(4, BigInt(l));
    v.setBigInt64(12, o);
    v.setInt32(20, i);
    v.setInt32(24, 0);
    const c = crc32Int(crc32BigLong(crc32Long(crc32Int(CRC32_START, i), l), o), i);
    assert.equal(crc32Finish(crc32Int(c, 0)), zlibCrc32(b), `${i} ${l} ${o}`);
  }
});

Deno.test("TreeDigest: carries past 32 bits and reads back as a signed Java long", () => {
  const d = new TreeDigest();
  for (let i = 0; i < 5; i++) d.add(0xffffffff);
  assert.equal(d.value, 5n * 0xffffffffn);
  d.remove(0xffffffff);
  d.remove(1);
  assert.equal(d.value, 4n * 0xffffffffn - 1n);
  for (let i = 0; i < 4; i++) d.remove(0xffffffff);
  assert.equal(d.value, -1n, "below zero it wraps as AdHash's long does");
  d.clear();
  assert.equal(d.value, 0n);
});

Deno.test("the empty tree's digest is Apache 3.8.0's: 1371985504", () => {
  // Apache 3.8.0 on an empty dataDir logs "Snapshot loaded in … ms, highest zxid is 0x0, digest is
  // 1371985504" (testdata/apache_digest/README.md): the root ("") and /zookeeper count, the
  // nodes below /zookeeper/ do not.
  const tree = new DataTree();
  assert.equal(tree.digest.value, 1371985504n);
  assert.equal(znodeDigest("/zookeeper/config", tree.get("/zookeeper/config")!), 0);
});

/** The digest summed over every node from scratch. */
function recomputed(tree: DataTree): bigint {
  const d = new TreeDigest();
  for (const [p, n] of tree.nodes) d.add(znodeDigest(p, n));
  return d.value;
}

Deno.test("the running digest always equals the sum over the tree (seeded random txns)", () => {
  const seed = Number(Deno.env.get("HERD_DIGEST_SEED") ?? Math.floor(Math.random() * 1e9));
  console.log(`digest test seed=${seed} (set HERD_DIGEST_SEED=${seed} to replay)`);
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const tree = new DataTree();
  const acl = [...OPEN_ACL_UNSAFE];
  const sessions = [0x1000005f12b0001n, 0x1000005f12b0002n];
  let zxid = 0;
  const bytes = () => {
    // Null, empty, small, and large enough for the native CRC and for non-string storage.
    const n = pick([-1, 0, 3, 200, 5000]);
    return n < 0 ? new Uint8Array(0) : new Uint8Array(n).map(() => Math.floor(rand() * 256));
  };
  const randomTxn = (): Txn => {
    // Only txns prep would make: no children under ephemerals, deletes of leaves only.
    const paths = [...tree.nodes.keys()].filter((p) => !p.startsWith("/zookeeper"));
    const path = pick(paths);
    const parents = paths.filter((p) => tree.get(p)!.ephemeralOwner === 0n);
    const leaves = paths.filter((p) => p !== "/" && tree.get(p)!.numChildren === 0);
    const parent = pick(parents);
    const child = `${parent === "/" ? "" : parent}/${pick(["a", "b", "\u00fc", "n"])}${zxid}`;
    switch (pick(["create", "create", "eph", "set", "acl", "delete", "multi", "close", "quota"])) {
      case "create":
        return {
          type: OpCode.create,
          path: child,
          data: bytes(),
          acl,
          ephemeral: false,
          parentCVersion: -1,
        };
      case "eph":
        return {
          type: OpCode.create,
          path: child,
          data: bytes(),
          acl,
          ephemeral: true,
          parentCVersion: -1,
        };
      case "set":
        return { type: OpCode.setData, path, data: bytes(), version: Math.floor(rand() * 9) };
      case "acl":
        return { type: OpCode.setACL, path, acl, version: Math.floor(rand() * 9) };
      case "delete":
        return { type: OpCode.delete, path: leaves.length > 0 ? pick(leaves) : "/none" };
      case "multi":
        return {
          type: OpCode.multi,
          txns: [
            {
              type: OpCode.create,
              path: child,
              data: bytes(),
              acl,
              ephemeral: false,
              parentCVersion: -1,
            },
            { type: OpCode.setData, path: child, data: bytes(), version: 1 },
          ],
        };
      case "close":
        return { type: OpCode.closeSession, paths2Delete: [] };
      default:
        return {
          type: OpCode.create,
          path: `/zookeeper/quota/q${zxid}`,
          data: bytes(),
          acl,
          ephemeral: false,
          parentCVersion: -1,
        };
    }
  };
  for (let i = 0; i < 600; i++) {
    const txn = randomTxn();
    zxid++;
    const hdr = { clientId: pick(sessions), cxid: i, zxid, time: 1e12 + zxid, type: txn.type };
    tree.apply(hdr, txn);
    // Also the fuzzy-replay fix-ups that recovery makes outside a txn.
    if (rand() < 0.1) tree.change(pick([...tree.nodes.keys()]), (n) => void (n.pzxid = zxid));
    assert.equal(tree.digest.value, recomputed(tree), `after txn ${i} (${txn.type})`);
  }
});
