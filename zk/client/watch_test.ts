import assert from "node:assert/strict";
import { fourLetter, serverTest } from "./_test_server.ts";
import { EventLog, rejectsWith, sleep } from "./_test_util.ts";
import { AddWatchMode, Err, EventType, KeeperState, WatcherType, ZkClient } from "./mod.ts";

const { NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged } = EventType;

serverTest("watches fire like Apache's client", async (t, srv) => {
  const session = new EventLog();
  const zk = await ZkClient.connect(srv.connectString, { watcher: session.watcher });
  const other = await ZkClient.connect(srv.connectString);
  try {
    await t.step("default watcher sees SyncConnected", () => {
      assert.deepEqual(session.events[0], {
        type: EventType.None,
        state: KeeperState.SyncConnected,
        path: null,
      });
    });

    await t.step("data watch: NodeDataChanged once, then NodeDeleted", async () => {
      await other.create("/d", "1");
      const log = new EventLog();
      await zk.getData("/d", log.watcher);
      await other.setData("/d", "2");
      await log.waitFor((e) => e.type === NodeDataChanged);
      await other.setData("/d", "3"); // the watch was consumed: no second event
      await zk.getData("/d", log.watcher);
      await other.delete("/d");
      await log.waitFor((e) => e.type === NodeDeleted);
      assert.deepEqual(log.typesFor("/d"), [NodeDataChanged, NodeDeleted]);
      assert.equal(log.events[0].state, KeeperState.SyncConnected);
    });

    await t.step(
      "exists watch: NodeCreated on a missing node, NodeDeleted on an existing one",
      async () => {
        const log = new EventLog();
        assert.equal(await zk.exists("/e", log.watcher), null);
        await other.create("/e");
        await log.waitFor((e) => e.type === NodeCreated && e.path === "/e");
        assert.notEqual(await zk.exists("/e", log.watcher), null);
        await other.delete("/e");
        await log.waitFor((e) => e.type === NodeDeleted);
        assert.deepEqual(log.typesFor("/e"), [NodeCreated, NodeDeleted]);
      },
    );

    await t.step(
      "child watch: NodeChildrenChanged, and NodeDeleted when the parent goes",
      async () => {
        await other.create("/c");
        const log = new EventLog();
        assert.deepEqual(await zk.getChildren("/c", log.watcher), []);
        await other.create("/c/1");
        await log.waitFor((e) => e.type === NodeChildrenChanged);
        await other.setData("/c/1", "x"); // data changes of a child are not child events
        const { children } = await zk.getChildren2("/c", log.watcher);
        assert.deepEqual(children, ["1"]);
        await other.delete("/c/1");
        await log.waitFor(() => log.events.length === 2);
        await zk.getChildren("/c", log.watcher);
        await other.delete("/c");
        await log.waitFor((e) => e.type === NodeDeleted);
        assert.deepEqual(log.typesFor("/c"), [
          NodeChildrenChanged,
          NodeChildrenChanged,
          NodeDeleted,
        ]);
      },
    );

    await t.step("one event fans out to every watcher of the path, once each", async () => {
      await other.create("/f");
      const a = new EventLog();
      const b = new EventLog();
      await zk.getData("/f", a.watcher);
      await zk.getData("/f", a.watcher); // same watcher twice: still one event
      await zk.exists("/f", b.watcher);
      await zk.getChildren("/f", b.watcher); // child watch: not fired by a data change
      await other.setData("/f", "x");
      await a.waitFor((e) => e.type === NodeDataChanged);
      await b.waitFor((e) => e.type === NodeDataChanged);
      await sleep(100);
      assert.deepEqual([a.typesFor("/f"), b.typesFor("/f")], [[NodeDataChanged], [
        NodeDataChanged,
      ]]);
      await other.delete("/f"); // fires the remaining child watch
      await b.waitFor((e) => e.type === NodeDeleted);
    });

    await t.step("watch = true registers the default watcher", async () => {
      await zk.exists("/g", true);
      await other.create("/g");
      await session.waitFor((e) => e.type === NodeCreated && e.path === "/g");
    });

    await t.step("an event is delivered before a later read sees the change", async () => {
      await other.create("/order", "0");
      for (let i = 1; i <= 20; i++) {
        const log = new EventLog();
        await zk.getData("/order", log.watcher);
        await other.setData("/order", String(i));
        await zk.sync("/order");
        const { data } = await zk.getData("/order");
        assert.equal(new TextDecoder().decode(data!), String(i));
        assert.deepEqual(log.typesFor("/order"), [NodeDataChanged]);
      }
    });

    await t.step("persistent watch fires for every event on the node and stays", async () => {
      const log = new EventLog();
      await zk.addWatch("/pw", AddWatchMode.PERSISTENT, log.watcher);
      await other.create("/pw");
      await other.setData("/pw", "1");
      await other.setData("/pw", "2");
      await other.create("/pw/kid");
      await other.create("/pw/kid/grandkid"); // not under a plain persistent watch
      await other.delete("/pw/kid/grandkid");
      await other.delete("/pw/kid");
      await other.delete("/pw");
      await log.waitFor((e) => e.type === NodeDeleted);
      assert.deepEqual(log.typesFor("/pw"), [
        NodeCreated,
        NodeDataChanged,
        NodeDataChanged,
        NodeChildrenChanged,
        NodeChildrenChanged,
        NodeDeleted,
      ]);
      assert.equal(log.events.length, 6);
    });

    await t.step("recursive watch covers descendants without child events", async () => {
      const log = new EventLog();
      await zk.addWatch("/rw", AddWatchMode.PERSISTENT_RECURSIVE, log.watcher);
      await other.create("/rw");
      await other.create("/rw/a");
      await other.create("/rw/a/b");
      await other.setData("/rw/a/b", "x");
      await other.delete("/rw/a/b");
      await other.create("/rwx"); // a sibling with the same prefix is not a descendant
      await log.waitFor((e) => e.type === NodeDeleted);
      assert.deepEqual(log.events.map((e) => [e.type, e.path]), [
        [NodeCreated, "/rw"],
        [NodeCreated, "/rw/a"],
        [NodeCreated, "/rw/a/b"],
        [NodeDataChanged, "/rw/a/b"],
        [NodeDeleted, "/rw/a/b"],
      ]);
    });

    await t.step(
      "removeWatches: one watcher, then all; server watch dropped at the end",
      async () => {
        await other.create("/rm");
        const a = new EventLog();
        const b = new EventLog();
        await zk.getData("/rm", a.watcher);
        await zk.getData("/rm", b.watcher);
        await zk.removeWatches("/rm", WatcherType.Data, a.watcher);
        assert.deepEqual(a.events.map((e) => [e.type, e.path]), [[
          EventType.DataWatchRemoved,
          "/rm",
        ]]);
        assert.match(
          await fourLetter(srv.port, "wchp"),
          /\/rm\n/,
          "b still needs the server watch",
        );
        await other.setData("/rm", "1");
        await b.waitFor((e) => e.type === NodeDataChanged);
        assert.equal(a.events.length, 1, "a removed watcher is not called");

        await zk.getData("/rm", a.watcher);
        await zk.getChildren("/rm", b.watcher);
        await zk.removeAllWatches("/rm", WatcherType.Any);
        assert.deepEqual(a.typesFor("/rm"), [
          EventType.DataWatchRemoved,
          EventType.DataWatchRemoved,
        ]);
        assert.equal(b.events.at(-1)?.type, EventType.ChildWatchRemoved);
        assert.doesNotMatch(await fourLetter(srv.port, "wchp"), /\/rm\n/);
        await rejectsWith(
          zk.removeWatches("/rm", WatcherType.Data, a.watcher),
          Err.NOWATCHER,
          "/rm",
        );

        await zk.addWatch("/rm", AddWatchMode.PERSISTENT, a.watcher);
        await zk.removeWatches("/rm", WatcherType.Any, a.watcher);
        assert.equal(a.events.at(-1)?.type, EventType.PersistentWatchRemoved);
        await zk.exists("/rm", b.watcher);
        await zk.removeAllWatches("/rm", WatcherType.Data, true); // local only
        assert.equal(b.events.at(-1)?.type, EventType.DataWatchRemoved);
      },
    );
  } finally {
    await other.close();
    await zk.close();
  }
  await t.step("close tells the default watcher Closed", () => {
    assert.equal(session.events.at(-1)?.state, KeeperState.Closed);
    assert.equal(zk.state, "CLOSED");
  });
});
