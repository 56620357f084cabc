import assert from "node:assert/strict";
import { DataTree } from "./data_tree.ts";
import { EventType, OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";
import type { Txn } from "./txn.ts";

const acl = [...OPEN_ACL_UNSAFE];
const data = (s: string) => new TextEncoder().encode(s);

function harness() {
  const tree = new DataTree();
  const events: string[] = [];
  const quota: string[] = [];
  tree.sink = {
    trigger: (p, t) => events.push(`${t}:${p}`),
    quotaExceeded: (q) => quota.push(`${q.path} ${q.kind}=${q.current} limit=${q.limit}`),
  };
  let zxid = 0;
  const apply = (txn: Txn, clientId = 0x1234n) =>
    tree.apply({ clientId, cxid: 0, zxid: ++zxid, time: 1000 + zxid, type: txn.type }, txn);
  const create = (path: string, opts: { eph?: boolean; cv?: number; d?: string } = {}) =>
    apply({
      type: OpCode.create,
      path,
      data: data(opts.d ?? ""),
      acl,
      ephemeral: opts.eph ?? false,
      parentCVersion: opts.cv ?? -1,
    });
  return { tree, events, quota, apply, create };
}

Deno.test("initial tree matches Apache 3.8's: /zookeeper, quota, config; stats as zkCli shows", () => {
  const { tree } = harness();
  assert.equal(tree.nodeCount, 5); // Apache counts the root twice ("" and "/")
  const root = tree.get("/")!.stat();
  assert.equal(root.cversion, -1);
  assert.equal(root.numChildren, 1);
  const zk = tree.get("/zookeeper")!.stat();
  assert.equal(zk.cversion, -2);
  assert.equal(zk.numChildren, 2);
  assert.deepEqual(tree.aclOf(tree.get("/zookeeper/config")!), [
    { perms: 1, id: { scheme: "world", id: "anyone" } },
  ]);
});

Deno.test("create sets stat fields and parent cversion/pzxid; triggers created and children-changed", () => {
  const { tree, events, create } = harness();
  const r = create("/a", { d: "hello" });
  assert.equal(r.err, Err.OK);
  const s = tree.get("/a")!.stat();
  assert.deepEqual([s.czxid, s.mzxid, s.pzxid, s.version, s.dataLength], [1, 1, 1, 0, 5]);
  assert.equal(s.ctime, 1001);
  const root = tree.get("/")!;
  assert.equal(root.cversion, 1); // stored: creates
  assert.equal(root.stat().cversion, 0); // shown: 2*1 - 2 children
  assert.equal(root.pzxid, 1);
  assert.deepEqual(events, [`${EventType.NodeCreated}:/a`, `${EventType.NodeChildrenChanged}:/`]);
  assert.equal(create("/a").err, Err.NODEEXISTS);
  assert.equal(create("/x/y").err, Err.NONODE);
});

Deno.test("delete, setData, setACL update state; cversion shown counts deletes as changes", () => {
  const { tree, apply, create } = harness();
  create("/a");
  create("/a/b");
  create("/a/c");
  apply({ type: OpCode.delete, path: "/a/b" });
  const a = tree.get("/a")!;
  assert.equal(a.stat().cversion, 3); // 2 creates + 1 delete
  assert.equal(a.pzxid, 4);
  const r = apply({ type: OpCode.setData, path: "/a", data: data("xy"), version: 1 });
  assert.equal(r.stat!.version, 1);
  assert.equal(r.stat!.mzxid, 5);
  assert.equal(r.stat!.czxid, 1);
  const digest = [{ perms: 31, id: { scheme: "digest", id: "u:h" } }];
  apply({ type: OpCode.setACL, path: "/a", acl: digest, version: 1 });
  assert.deepEqual(tree.aclOf(tree.get("/a")!), digest);
  assert.equal(tree.get("/a")!.aversion, 1);
});

Deno.test("ephemerals are tracked per session and removed by closeSession", () => {
  const { tree, apply, events } = harness();
  apply({
    type: OpCode.create,
    path: "/e1",
    data: data(""),
    acl,
    ephemeral: true,
    parentCVersion: -1,
  }, 7n);
  apply({
    type: OpCode.create,
    path: "/e2",
    data: data(""),
    acl,
    ephemeral: true,
    parentCVersion: -1,
  }, 7n);
  assert.deepEqual(tree.ephemeralsOf(7n).sort(), ["/e1", "/e2"]);
  assert.equal(tree.get("/e1")!.stat().ephemeralOwner, 7n);
  events.length = 0;
  apply({ type: OpCode.closeSession, paths2Delete: ["/e1", "/e2"] }, 7n);
  assert.equal(tree.get("/e1"), undefined);
  assert.deepEqual(tree.ephemeralsOf(7n), []);
  assert.ok(events.includes(`${EventType.NodeDeleted}:/e2`));
});

Deno.test("a failed multi answers OK before the failure and RUNTIMEINCONSISTENCY after", () => {
  const { tree, apply } = harness();
  const r = apply({
    type: OpCode.multi,
    txns: [
      { type: OpCode.create, path: "/m", data: data(""), acl, ephemeral: false, parentCVersion: 1 },
      { type: OpCode.error, err: Err.NONODE },
      { type: OpCode.error, err: Err.RUNTIMEINCONSISTENCY },
    ],
  });
  assert.deepEqual(r.results!.map((x) => x.err), [Err.OK, Err.NONODE, Err.RUNTIMEINCONSISTENCY]);
  assert.equal(tree.get("/m"), undefined, "nothing of a failed multi is applied");
});

Deno.test("containers and TTL nodes hide their owner from clients", () => {
  const { tree, apply } = harness();
  apply({ type: OpCode.createContainer, path: "/c", data: data(""), acl, parentCVersion: -1 });
  apply({ type: OpCode.createTTL, path: "/t", data: data(""), acl, parentCVersion: -1, ttl: 5000 });
  assert.equal(tree.get("/c")!.stat().ephemeralOwner, 0n);
  assert.equal(tree.get("/t")!.stat().ephemeralOwner, 0n);
  assert.ok(tree.containers.has("/c"));
  assert.ok(tree.ttls.has("/t"));
});

Deno.test("soft quotas: stats node tracks count and bytes; overruns reported like Apache 3.7", () => {
  const { tree, create, apply, quota } = harness();
  create("/q", { d: "sswang" });
  create("/zookeeper/quota/q");
  create("/zookeeper/quota/q/zookeeper_limits", { d: "count=2,bytes=-1" });
  create("/zookeeper/quota/q/zookeeper_stats", { d: "count=0,bytes=0" });
  const stats = () =>
    new TextDecoder().decode(tree.get("/zookeeper/quota/q/zookeeper_stats")!.data);
  assert.equal(stats(), "count=1,bytes=6");
  create("/q/a", { d: "1" });
  assert.deepEqual(quota, []);
  create("/q/b", { d: "1" });
  create("/q/c", { d: "1" });
  assert.deepEqual(quota, ["/q count=3 limit=2", "/q count=4 limit=2"]);
  assert.equal(stats(), "count=4,bytes=9");
  apply({ type: OpCode.delete, path: "/q/c" });
  assert.equal(stats(), "count=3,bytes=8");
});

Deno.test("countDescendants counts the whole subtree", () => {
  const { tree, create } = harness();
  create("/a");
  create("/a/b");
  create("/a/b/c");
  assert.equal(tree.countDescendants("/a"), 2);
  assert.equal(tree.countDescendants("/"), 6); // a, a/b, a/b/c, zookeeper, quota, config
});

Deno.test("replay over a fuzzy snapshot: a create that finds its node, or a delete that does not, still moves the parent", () => {
  const { tree, apply, create } = harness();
  create("/p");
  create("/p/a", { cv: 1 });
  const before = tree.digest.value;
  // The same create again, as a log replayed over a snapshot that already holds /p/a has it.
  const again = create("/p/a", { cv: 2 });
  assert.equal(again.err, Err.NODEEXISTS);
  assert.equal(tree.get("/p")!.cversion, 2);
  assert.equal(tree.get("/p")!.pzxid, 3);
  const gone = apply({ type: OpCode.delete, path: "/p/b" });
  assert.equal(gone.err, Err.NONODE);
  assert.equal(tree.get("/p")!.pzxid, 4);
  assert.notEqual(tree.digest.value, before, "the parent's digest follows its new stat");
});
