import assert from "node:assert/strict";
import { serverTest } from "./_test_server.ts";
import { CreateMode, Err, OpCode, ZkClient, ZkMultiError } from "./mod.ts";

const text = (b: Uint8Array | null | undefined) => new TextDecoder().decode(b ?? undefined);

serverTest("multi and multiRead", async (t, srv) => {
  const zk = await ZkClient.connect(srv.connectString);
  try {
    await t.step("a successful multi applies every op and returns their results", async () => {
      await zk.create("/m", "0");
      const results = await zk.multi([
        { type: "create", path: "/m/a", data: "a" },
        { type: "create", path: "/m/s-", mode: CreateMode.PERSISTENT_SEQUENTIAL },
        { type: "check", path: "/m", version: 0 },
        { type: "setData", path: "/m", data: "1", version: 0 },
        { type: "delete", path: "/m/a" },
      ]);
      assert.deepEqual(results.map((r) => [r.type, r.err]), [
        [OpCode.create, 0],
        [OpCode.create, 0],
        [OpCode.check, 0],
        [OpCode.setData, 0],
        [OpCode.delete, 0],
      ]);
      assert.equal(results[0].path, "/m/a");
      assert.equal(results[1].path, "/m/s-0000000001");
      assert.equal(results[3].stat?.version, 1);
      assert.deepEqual(await zk.getChildren("/m"), ["s-0000000001"]);
      assert.equal(text((await zk.getData("/m")).data), "1");
    });

    await t.step("a failed multi applies nothing and reports every op", async () => {
      const err = await zk.multi([
        { type: "create", path: "/m/b" },
        { type: "check", path: "/m", version: 0 }, // now version 1
        { type: "delete", path: "/m/s-0000000001" },
      ]).catch((e) => e);
      assert.ok(err instanceof ZkMultiError, `got ${err}`);
      assert.equal(err.code, Err.BADVERSION);
      assert.equal(err.path, "/m");
      assert.deepEqual(err.results.map((r) => [r.type, r.err]), [
        [-1, Err.OK],
        [-1, Err.BADVERSION],
        [-1, Err.RUNTIMEINCONSISTENCY],
      ]);
      assert.equal(await zk.exists("/m/b"), null);
      assert.notEqual(await zk.exists("/m/s-0000000001"), null);
    });

    await t.step("the first failure wins", async () => {
      const err = await zk.multi([
        { type: "delete", path: "/nope" },
        { type: "create", path: "/m" },
      ]).catch((e) => e);
      assert.ok(err instanceof ZkMultiError);
      assert.equal(err.code, Err.NONODE);
      assert.equal(err.path, "/nope");
    });

    await t.step("container, TTL and ephemeral creates inside a multi", async () => {
      const results = await zk.multi([
        { type: "create", path: "/m/e", mode: CreateMode.EPHEMERAL },
        { type: "create", path: "/m/c", mode: CreateMode.CONTAINER },
        { type: "create", path: "/m/t", mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 10000 },
      ]);
      // The server reports stat-carrying creates as create2 results.
      assert.deepEqual(results.map((r) => r.type), [OpCode.create, OpCode.create2, OpCode.create2]);
      assert.equal(results[1].path, "/m/c");
      assert.ok(results[1].stat !== undefined, "container results carry a Stat");
      assert.equal((await zk.exists("/m/e"))?.ephemeralOwner, zk.sessionId);
    });

    await t.step("an empty multi succeeds", async () => {
      assert.deepEqual(await zk.multi([]), []);
    });

    await t.step("multiRead returns data, children and per-op errors", async () => {
      const results = await zk.multiRead([
        { type: "getData", path: "/m" },
        { type: "getChildren", path: "/m" },
        { type: "getData", path: "/missing" },
      ]);
      assert.equal(results[0].type, OpCode.getData);
      assert.equal(text(results[0].data), "1");
      assert.equal(results[0].stat?.version, 1);
      assert.equal(results[1].type, OpCode.getChildren);
      assert.deepEqual(results[1].children?.sort(), ["c", "e", "s-0000000001", "t"]);
      assert.deepEqual(results[2], { type: -1, err: Err.NONODE });
    });

    await t.step("multi under a chroot reports client paths", async () => {
      const sub = await ZkClient.connect(`${srv.connectString}/m`);
      try {
        const [r] = await sub.multi([{ type: "create", path: "/x" }]);
        assert.equal(r.path, "/x");
        assert.notEqual(await zk.exists("/m/x"), null);
      } finally {
        await sub.close();
      }
    });
  } finally {
    await zk.close();
  }
});
