import assert from "node:assert/strict";
import { serverTest } from "./_test_server.ts";
import { rejectsWith } from "./_test_util.ts";
import { CreateMode, Err, InvalidPathError, OPEN_ACL_UNSAFE, ZkClient } from "./mod.ts";

const text = (b: Uint8Array | null) => b === null ? null : new TextDecoder().decode(b);

serverTest("client CRUD against a real server", async (t, srv) => {
  const zk = await ZkClient.connect(srv.connectString, { sessionTimeout: 10000 });
  try {
    await t.step("session", () => {
      assert.equal(zk.state, "CONNECTED");
      assert.notEqual(zk.sessionId, 0n);
      assert.equal(zk.sessionPassword.length, 16);
      assert.equal(zk.negotiatedTimeout, 10000);
    });

    await t.step("create, getData, exists, setData, delete with versions", async () => {
      assert.equal(await zk.create("/a", "one"), "/a");
      const { data, stat } = await zk.getData("/a");
      assert.equal(text(data), "one");
      assert.equal(stat.version, 0);
      assert.equal(stat.dataLength, 3);
      assert.equal((await zk.exists("/a"))?.czxid, stat.czxid);
      assert.equal(await zk.exists("/missing"), null);

      const s1 = await zk.setData("/a", new Uint8Array([1, 2, 3]), 0);
      assert.equal(s1.version, 1);
      await rejectsWith(zk.setData("/a", "x", 0), Err.BADVERSION, "/a");
      assert.deepEqual((await zk.getData("/a")).data, new Uint8Array([1, 2, 3]));
      await rejectsWith(zk.create("/a"), Err.NODEEXISTS, "/a");
      await rejectsWith(zk.create("/nope/child"), Err.NONODE, "/nope/child");
      await rejectsWith(zk.getData("/missing"), Err.NONODE, "/missing");

      await zk.create("/a/child");
      await rejectsWith(zk.delete("/a"), Err.NOTEMPTY, "/a");
      await zk.delete("/a/child");
      await rejectsWith(zk.delete("/a", 7), Err.BADVERSION);
      await zk.delete("/a", 1);
      assert.equal(await zk.exists("/a"), null);
      await rejectsWith(zk.delete("/a"), Err.NONODE);
    });

    await t.step("null and empty data", async () => {
      await zk.create("/nulldata");
      assert.equal((await zk.getData("/nulldata")).data, null);
      await zk.setData("/nulldata", new Uint8Array());
      assert.deepEqual((await zk.getData("/nulldata")).data, new Uint8Array());
    });

    await t.step("sequential and ephemeral nodes", async () => {
      await zk.create("/seq");
      const a = await zk.create("/seq/n-", "x", { mode: CreateMode.PERSISTENT_SEQUENTIAL });
      const b = await zk.create("/seq/n-", "x", { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
      const c = await zk.create("/seq/", null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
      assert.deepEqual([a, b, c], ["/seq/n-0000000000", "/seq/n-0000000001", "/seq/0000000002"]);
      const e = await zk.create2("/eph", "e", { mode: CreateMode.EPHEMERAL });
      assert.equal(e.path, "/eph");
      assert.equal(e.stat.ephemeralOwner, zk.sessionId);
      assert.equal((await zk.exists(b))?.ephemeralOwner, zk.sessionId);
      await rejectsWith(zk.create("/eph/c"), Err.NOCHILDRENFOREPHEMERALS);
      assert.deepEqual((await zk.getEphemerals("/")).sort(), ["/eph", b].sort());
      assert.deepEqual(await zk.getEphemerals("/seq"), [b]);
    });

    await t.step("create2, container and TTL modes", async () => {
      const r = await zk.create2("/c2", "v", { acl: OPEN_ACL_UNSAFE });
      assert.equal(r.path, "/c2");
      assert.equal(r.stat.dataLength, 1);
      assert.equal(r.stat.ephemeralOwner, 0n);
      const cont = await zk.create2("/container", null, { mode: CreateMode.CONTAINER });
      assert.equal(cont.path, "/container");
      // Clients see ephemeralOwner 0 for containers and TTL nodes (the marker stays server-side).
      assert.equal(cont.stat.ephemeralOwner, 0n);
      const ttl = await zk.create("/ttl", "t", {
        mode: CreateMode.PERSISTENT_WITH_TTL,
        ttl: 60000,
      });
      assert.equal(ttl, "/ttl");
      // Accepted only because createTTL carried the ttl: create(1) with a TTL mode is refused.
      assert.equal((await zk.exists("/ttl"))!.ephemeralOwner, 0n);
      await rejectsWith(
        zk.create("/ttl2", null, { mode: CreateMode.PERSISTENT_WITH_TTL }),
        Err.BADARGUMENTS,
      );
      await rejectsWith(zk.create("/ttl3", null, { ttl: 5 }), Err.BADARGUMENTS);
    });

    await t.step("children, counts, sync, whoAmI", async () => {
      await zk.create("/p");
      for (const c of ["x", "y", "z"]) await zk.create(`/p/${c}`);
      await zk.create("/p/x/deep");
      assert.deepEqual((await zk.getChildren("/p")).sort(), ["x", "y", "z"]);
      const g2 = await zk.getChildren2("/p");
      assert.deepEqual(g2.children.sort(), ["x", "y", "z"]);
      assert.equal(g2.stat.numChildren, 3);
      assert.equal(await zk.getAllChildrenNumber("/p"), 4);
      await zk.sync("/p");
      assert.deepEqual(await zk.whoAmI(), [{ authScheme: "ip", user: "127.0.0.1" }]);
    });

    await t.step("reconfig is sent (standalone servers refuse it)", async () => {
      await rejectsWith(
        zk.reconfig("server.2=127.0.0.1:2888:3888", null, null),
        Err.RECONFIGDISABLED,
      );
    });

    await t.step(
      "a read-only capable client gets a normal session from a quorum member",
      async () => {
        const ro = await ZkClient.connect(srv.connectString, { readOnly: true });
        assert.equal(ro.state, "CONNECTED");
        await ro.create("/from-ro");
        await ro.close();
      },
    );

    await t.step("invalid paths reject before sending", async () => {
      await assert.rejects(zk.getData("no-slash"), InvalidPathError);
      await assert.rejects(zk.create("/a/"), InvalidPathError);
      await assert.rejects(zk.multi([{ type: "delete", path: "//" }]), InvalidPathError);
      assert.equal(zk.state, "CONNECTED");
    });

    await t.step("pipelines thousands of requests in order", async () => {
      await zk.create("/pipe");
      const n = 3000;
      const created = await Promise.all(
        Array.from({ length: n }, (_, i) => zk.create(`/pipe/n${i}`, `v${i}`)),
      );
      assert.deepEqual(created, Array.from({ length: n }, (_, i) => `/pipe/n${i}`));
      const got = await Promise.all(Array.from({ length: n }, (_, i) => zk.getData(`/pipe/n${i}`)));
      got.forEach((g, i) => assert.equal(text(g.data), `v${i}`));
      assert.equal((await zk.getChildren("/pipe")).length, n);
    });

    await t.step("large data round-trips", async () => {
      const big = new Uint8Array(900 * 1024).map((_, i) => (i * 7) & 0xff);
      await zk.create("/big", big);
      assert.deepEqual((await zk.getData("/big")).data, big);
    });

    await t.step("chroot", async () => {
      await zk.create("/app");
      const sub = await ZkClient.connect(`${srv.connectString}/app`);
      try {
        assert.equal(sub.chroot, "/app");
        assert.equal(await sub.create("/x", "in-app"), "/x");
        const seq = await sub.create("/s-", null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
        assert.equal(seq, "/s-0000000001");
        assert.equal(text((await zk.getData("/app/x")).data), "in-app");
        assert.deepEqual((await sub.getChildren("/")).sort(), ["s-0000000001", "x"]);
        assert.deepEqual(await sub.getEphemerals("/"), ["/s-0000000001"]);
        await sub.sync("/");
      } finally {
        await sub.close();
      }
    });
  } finally {
    await zk.close();
  }
});
