import assert from "node:assert/strict";
import { serverTest } from "./_test_server.ts";
import { EventLog, rejectsWith } from "./_test_util.ts";
import {
  CREATOR_ALL_ACL,
  digestACL,
  digestId,
  Err,
  KeeperState,
  OPEN_ACL_UNSAFE,
  Perms,
  READ_ACL_UNSAFE,
  ZkClient,
} from "./mod.ts";

serverTest("ACLs and digest auth", async (t, srv) => {
  const bob = await ZkClient.connect(srv.connectString);
  const anon = await ZkClient.connect(srv.connectString);
  try {
    await t.step("addAuth and whoAmI", async () => {
      await bob.addAuth("digest", "bob:secret");
      const ids = await bob.whoAmI();
      assert.deepEqual(ids.find((i) => i.authScheme === "digest"), {
        authScheme: "digest",
        user: "bob",
      });
    });

    await t.step("a digest ACL shuts out other sessions", async () => {
      await anon.create("/secret", "s", { acl: [digestACL(Perms.ALL, "bob", "secret")] });
      await rejectsWith(anon.getData("/secret"), Err.NOAUTH, "/secret");
      await rejectsWith(anon.setData("/secret", "x"), Err.NOAUTH);
      assert.equal(new TextDecoder().decode((await bob.getData("/secret")).data!), "s");
      await bob.setData("/secret", "t");
      await rejectsWith(anon.getACL("/secret"), Err.NOAUTH); // getACL needs READ or ADMIN
      const { acl } = await bob.getACL("/secret");
      assert.deepEqual(acl, [{
        perms: Perms.ALL,
        id: { scheme: "digest", id: digestId("bob", "secret") },
      }]);
    });

    await t.step("CREATOR_ALL_ACL needs an authenticated creator", async () => {
      await rejectsWith(anon.create("/mine", null, { acl: CREATOR_ALL_ACL }), Err.INVALIDACL);
      await bob.create("/mine", null, { acl: CREATOR_ALL_ACL });
      const { acl } = await bob.getACL("/mine");
      assert.deepEqual(acl, [{
        perms: Perms.ALL,
        id: { scheme: "digest", id: digestId("bob", "secret") },
      }]);
      await rejectsWith(anon.getChildren("/mine"), Err.NOAUTH);
    });

    await t.step("setACL with aversion", async () => {
      await anon.create("/open");
      const s1 = await anon.setACL("/open", READ_ACL_UNSAFE, 0);
      assert.equal(s1.aversion, 1);
      await rejectsWith(anon.setData("/open", "x"), Err.NOAUTH);
      await rejectsWith(anon.setACL("/open", OPEN_ACL_UNSAFE, 0), Err.NOAUTH);
      await rejectsWith(anon.create("/bad-acl", null, { acl: [] }), Err.INVALIDACL);
    });

    await t.step("a second addAuth adds an identity", async () => {
      await anon.addAuth("digest", "carol:pw");
      await anon.addAuth("digest", "bob:secret");
      const users = (await anon.whoAmI()).filter((i) => i.authScheme === "digest").map((i) =>
        i.user
      );
      assert.deepEqual(users.sort(), ["bob", "carol"]);
      await anon.getData("/secret");
    });

    await t.step("a rejected auth ends the session with AuthFailed", async () => {
      const log = new EventLog();
      const zk = await ZkClient.connect(srv.connectString, { watcher: log.watcher });
      await rejectsWith(zk.addAuth("no-such-scheme", "x"), Err.AUTHFAILED);
      assert.equal(zk.state, "AUTH_FAILED");
      await log.waitFor((e) => e.state === KeeperState.AuthFailed);
      await rejectsWith(zk.getData("/"), Err.AUTHFAILED);
      await zk.close();
    });
  } finally {
    await anon.close();
    await bob.close();
  }
});
