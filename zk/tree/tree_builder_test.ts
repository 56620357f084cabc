import assert from "node:assert/strict";
import { TreeBuilder } from "./tree_builder.ts";
import { Znode } from "./znode.ts";
import { DataTree } from "./data_tree.ts";

const enc = new TextEncoder();
const node = (data: string, acl = 1) =>
  new Znode(enc.encode(data), acl, 1, 1, 0, 0, 0, 0, 0, 0n, 1);

Deno.test("TreeBuilder: restores nodes under their parents, recounts quotas, as of the zxid", () => {
  const open = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
  const b = new TreeBuilder();
  b.acl(1, open);
  for (const p of ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/quota/app"]) {
    b.node(p, node(""));
    assert.ok(b.link(p));
  }
  // A stats node out of date, as a fuzzy snapshot may hold.
  b.node("/zookeeper/quota/app/zookeeper_limits", node("count=10,bytes=-1"));
  b.node("/zookeeper/quota/app/zookeeper_stats", node("count=99,bytes=99"));
  b.node("/app", node("abc"));
  b.node("/app/x", node("de"));
  for (
    const p of ["/zookeeper/quota/app/zookeeper_limits", "/zookeeper/quota/app/zookeeper_stats"]
  ) {
    assert.ok(b.link(p));
  }
  assert.ok(b.link("/app"));
  assert.ok(b.link("/app/x"));
  assert.equal(b.link("/missing/child"), false);
  const tree = b.finish(0x200000007);
  assert.equal(tree.lastProcessedZxid, 0x200000007);
  assert.deepEqual([...tree.get("/app")!.children!], ["x"]);
  assert.equal(
    new TextDecoder().decode(tree.get("/zookeeper/quota/app/zookeeper_stats")!.data),
    "count=2,bytes=5",
  );
  assert.ok(tree.aclOf(tree.get("/app")!).length === 1);
  assert.ok(tree instanceof DataTree);
});
