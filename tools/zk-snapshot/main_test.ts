import assert from "node:assert/strict";
import { OpCode } from "../../zk/jute/opcodes.ts";
import { OPEN_ACL_UNSAFE } from "../../zk/jute/records.ts";
import { writeSnapshot } from "../../zk/persist/snapshot.ts";
import { DataTree } from "../../zk/tree/data_tree.ts";
import type { Txn } from "../../zk/tree/txn.ts";
import { apacheGate, runApache, runHerd } from "../zk-txnlog/_apache.ts";

const enc = new TextEncoder();
const OPEN = [...OPEN_ACL_UNSAFE];
const FORMATTER = "org.apache.zookeeper.server.SnapshotFormatter";

/** reference/zookeeper/snapshotformatter.out (Apache's snapshot.0) without its log4j lines. */
const STAT0 = (aclVersion: number) =>
  `  cZxid = 0x00000000000000
  ctime = Thu Jan 01 00:00:00 UTC 1970
  mZxid = 0x00000000000000
  mtime = Thu Jan 01 00:00:00 UTC 1970
  pZxid = 0x00000000000000
  cversion = 0
  dataVersion = 0
  aclVersion = ${aclVersion}
  ephemeralOwner = 0x00000000000000
  dataLength = 0
`;
const REFERENCE_OUT = `ZNode Details (count=5):
----
/
${STAT0(0)}----
/zookeeper
${STAT0(0)}----
/zookeeper/config
${STAT0(-1)}----
/zookeeper/quota
${STAT0(0)}----
Session Details (sid, timeout, ephemeralCount):
----
Last zxid: 0x0
`;

async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "herd-snapshot-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * A tree that exercises the printing: 40 children of one node (the HashSet grows twice), names
 * that collide in small tables, sessions with and without ephemerals, a container, a TTL node, a
 * quota and ACLs; ctime/mtime spread over days.
 */
function richTree(): { tree: DataTree; sessions: { id: bigint; timeout: number }[] } {
  const tree = new DataTree();
  let zxid = 0x700000000;
  const apply = (txn: Txn, session = 0x100003f9ebc0000n) => {
    zxid++;
    tree.apply({
      clientId: session,
      cxid: 1,
      zxid,
      time: 1795562301919 + zxid % 1000 * 3_600_000,
      type: txn.type,
    }, txn);
  };
  const create = (path: string, data = "", ephemeral = false, session?: bigint) =>
    apply({
      type: OpCode.create,
      path,
      data: enc.encode(data),
      acl: OPEN,
      ephemeral,
      parentCVersion: -1,
    }, session);
  create("/app", "root");
  for (let i = 0; i < 40; i++) create(`/app/n-${String(i * 7 % 40).padStart(10, "0")}`, `v${i}`);
  for (const name of ["Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", "é", "名前"]) {
    create(`/${name}`, name);
  }
  create("/app/eph1", "e", true, 0x200000000000001n);
  create("/app/eph2", "e", true, 0x200000000000001n);
  create("/app/eph3", "e", true, 0x300000000000007n);
  apply({
    type: OpCode.createContainer,
    path: "/box",
    data: enc.encode("c"),
    acl: OPEN,
    parentCVersion: -1,
  });
  apply({
    type: OpCode.createTTL,
    path: "/ttl",
    data: enc.encode("t"),
    acl: OPEN,
    parentCVersion: -1,
    ttl: 60000,
  });
  create("/zookeeper/quota/app");
  create("/zookeeper/quota/app/zookeeper_limits", "count=100,bytes=-1");
  create("/zookeeper/quota/app/zookeeper_stats", "count=0,bytes=0");
  apply({
    type: OpCode.setACL,
    path: "/app",
    acl: [{ perms: 31, id: { scheme: "digest", id: "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=" } }],
    version: 1,
  });
  apply({ type: OpCode.setData, path: "/app", data: new Uint8Array([0, 1, 2, 250]), version: 3 });
  apply({ type: OpCode.delete, path: "/AaAa" });
  const sessions = [
    0x100003f9ebc0000n,
    0x200000000000001n,
    0x300000000000007n,
    0x1n,
    -0x7fffffffffffff00n,
  ]
    .map((id, i) => ({ id, timeout: 4000 + i * 1000 }));
  return { tree, sessions };
}

Deno.test("zk-snapshot prints herd's snapshot.0 exactly as the reference SnapshotFormatter run", async () => {
  await inTempDir(async (dir) => {
    const path = await writeSnapshot(dir, new DataTree(), []);
    const r = await runHerd("zk-snapshot", [path]);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.equal(r.stdout, REFERENCE_OUT);
  });
});

Deno.test("zk-snapshot: --help, usage errors, a corrupt snapshot", async () => {
  const help = await runHerd("zk-snapshot", ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^USAGE: zk-snapshot \[-d\|-json\] snapshot_file/);
  const usage = await runHerd("zk-snapshot", ["-d"]);
  assert.equal(usage.code, 2);
  await inTempDir(async (dir) => {
    const path = await writeSnapshot(dir, richTree().tree, []);
    const bytes = await Deno.readFile(path);
    bytes[200] ^= 0xff;
    await Deno.writeFile(path, bytes);
    const r = await runHerd("zk-snapshot", [path]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not a valid snapshot/);
  });
});

const gate = apacheGate("zk-snapshot against SnapshotFormatter");

Deno.test(
  { name: "zk-snapshot = SnapshotFormatter: plain, -d and -json", ignore: gate.ignore },
  async () => {
    gate.check();
    const { tree, sessions } = richTree();
    await inTempDir(async (dir) => {
      const snap = await writeSnapshot(dir, tree, sessions);
      // A file name older than the tree's zxids and one that does not parse: "Last zxid" copes.
      for (const name of [snap, `${dir}/snapshot.1`, `${dir}/snapshot.xyz`]) {
        if (name !== snap) await Deno.copyFile(snap, name);
        for (const flags of [[], ["-d"], ["-json"]]) {
          const apache = await runApache(FORMATTER, [...flags, name]);
          const herd = await runHerd("zk-snapshot", [...flags, name]);
          const norm = (s: string) => s.replace(/"timestamp":\d+/, '"timestamp":0');
          assert.equal(apache.code, 0, apache.stderr);
          assert.equal(norm(herd.stdout), norm(apache.stdout), `${flags.join(" ")} ${name}`);
          assert.equal(herd.code, 0);
        }
      }
    });
  },
);

Deno.test(
  { name: "zk-snapshot = SnapshotFormatter: argument errors", ignore: gate.ignore },
  async () => {
    gate.check();
    await inTempDir(async (dir) => {
      const path = await writeSnapshot(dir, new DataTree(), []);
      for (const args of [[`${dir}/snapshot.99`], [dir], ["-d", "-json", path], [path, "extra"]]) {
        const apache = await runApache(FORMATTER, args);
        const herd = await runHerd("zk-snapshot", args);
        assert.deepEqual([herd.code, herd.stdout], [apache.code, apache.stdout], args.join(" "));
        assert.equal(
          herd.stderr.replace(/zk-snapshot/, "SnapshotFormatter"),
          apache.stderr,
          args.join(" "),
        );
      }
    });
  },
);
