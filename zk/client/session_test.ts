import assert from "node:assert/strict";
import { TcpProxy } from "./_tcp_proxy.ts";
import { serverTest } from "./_test_server.ts";
import { EventLog, eventually, rejectsWith } from "./_test_util.ts";
import {
  AddWatchMode,
  CreateMode,
  digestACL,
  Err,
  EventType,
  KeeperState,
  Perms,
  ZkClient,
  ZkError,
} from "./mod.ts";

const { SyncConnected, Disconnected, Expired } = KeeperState;
const isState = (s: number) => (e: { type: number; state: number }) =>
  e.type === EventType.None && e.state === s;

Deno.test("connect rejects with CONNECTIONLOSS when no server answers", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const started = Date.now();
  await rejectsWith(
    ZkClient.connect(`127.0.0.1:${port}`, { connectTimeout: 1200, reconnectDelay: 100 }),
    Err.CONNECTIONLOSS,
  );
  const took = Date.now() - started;
  assert.ok(took >= 1100 && took < 3000, `gave up after ${took}ms`);
});

serverTest("session lifecycle: close, resume, expiry", async (t, srv) => {
  const observer = await ZkClient.connect(srv.connectString);
  try {
    await t.step("close removes ephemerals and later calls fail with SESSIONEXPIRED", async () => {
      const zk = await ZkClient.connect(srv.connectString);
      await zk.create("/eph", null, { mode: CreateMode.EPHEMERAL });
      assert.notEqual(await observer.exists("/eph"), null);
      await Promise.all([zk.close(), zk.close()]);
      assert.equal(zk.state, "CLOSED");
      assert.equal(await observer.exists("/eph"), null);
      await rejectsWith(zk.getData("/"), Err.SESSIONEXPIRED);
    });

    await t.step("an unknown session is reported expired by connect", async () => {
      await rejectsWith(
        ZkClient.connect(srv.connectString, { sessionId: 0x1234n, password: new Uint8Array(16) }),
        Err.SESSIONEXPIRED,
      );
    });

    await t.step("a session taken over and closed elsewhere expires", async () => {
      const proxy = new TcpProxy(srv.port);
      const log = new EventLog();
      const messages: string[] = [];
      const a = await ZkClient.connect(`127.0.0.1:${proxy.port}`, {
        sessionTimeout: 4000,
        reconnectDelay: 100,
        watcher: log.watcher,
        log: (m) => messages.push(m),
      });
      try {
        const id = a.sessionId.toString(16);
        await a.create("/a-eph", null, { mode: CreateMode.EPHEMERAL });
        proxy.mode = "refuse";
        proxy.cut();
        await log.waitFor(isState(Disconnected));
        assert.equal(a.state, "CONNECTING");
        // Made while disconnected: waits for the next attempt, which is refused.
        await rejectsWith(a.getData("/a-eph"), Err.CONNECTIONLOSS, "/a-eph");

        const b = await ZkClient.connect(srv.connectString, {
          sessionId: a.sessionId,
          password: a.sessionPassword,
        });
        assert.equal(b.sessionId, a.sessionId);
        assert.equal((await b.exists("/a-eph"))?.ephemeralOwner, a.sessionId);
        await b.close();
        assert.equal(await observer.exists("/a-eph"), null);

        proxy.mode = "forward";
        await log.waitFor(isState(Expired));
        assert.deepEqual(log.events.map((e) => e.state), [SyncConnected, Disconnected, Expired]);
        assert.equal(a.state, "CLOSED");
        await rejectsWith(a.getData("/"), Err.SESSIONEXPIRED);
        const where = `127.0.0.1:${proxy.port}`;
        for (
          const want of [
            `opening socket connection to ${where}`,
            `session 0x${id} established with ${where}, timeout 4000ms`,
            `connection to ${where} lost: closed`,
            `session 0x${id} expired (told by ${where})`,
          ]
        ) assert.ok(messages.includes(want), `no "${want}" in ${JSON.stringify(messages)}`);
      } finally {
        await a.close();
        await proxy.close();
      }
    });
  } finally {
    await observer.close();
  }
});

serverTest("reconnect to another host keeps the session, watches and auth", async (t, srv) => {
  const p1 = new TcpProxy(srv.port);
  const p2 = new TcpProxy(srv.port);
  const log = new EventLog();
  const w = new EventLog();
  const b = await ZkClient.connect(srv.connectString);
  const a = await ZkClient.connect(`127.0.0.1:${p1.port},127.0.0.1:${p2.port}`, {
    sessionTimeout: 6000,
    reconnectDelay: 100,
    watcher: log.watcher,
  });
  try {
    for (const p of ["/w1", "/w2", "/w4", "/p", "/r"]) await b.create(p);
    await a.addAuth("digest", "bob:pw");
    await b.create("/secret", "s", { acl: [digestACL(Perms.ALL, "bob", "pw")] });
    await a.getData("/w1", w.watcher);
    await a.getChildren("/w2", w.watcher);
    await a.exists("/w3", w.watcher);
    await a.getData("/w4", w.watcher);
    await a.addWatch("/p", AddWatchMode.PERSISTENT, w.watcher);
    await a.addWatch("/r", AddWatchMode.PERSISTENT_RECURSIVE, w.watcher);
    const sessionId = a.sessionId;

    await t.step(
      "requests in flight when the connection drops fail with CONNECTIONLOSS",
      async () => {
        const inFlight = Array.from(
          { length: 200 },
          () => a.getData("/w1").then(() => "ok", (e) => e),
        );
        p1.cut();
        p2.cut();
        const outcomes = await Promise.all(inFlight);
        for (const o of outcomes) {
          if (o !== "ok") {
            assert.ok(o instanceof ZkError && o.code === Err.CONNECTIONLOSS, `${o}`);
          }
        }
        assert.ok(outcomes.some((o) => o !== "ok"), "the cut caught requests in flight");
        await log.waitFor((e) => e.state === SyncConnected && log.events.length >= 3);
      },
    );

    await t.step("a request made while disconnected is sent after reconnecting", async () => {
      let queued: Promise<unknown> | null = null;
      a.defaultWatcher = (e) => {
        log.watcher(e);
        if (e.state === Disconnected) queued ??= a.getData("/w4"); // no watch: keep /w4's
      };
      p1.cut();
      p2.cut();
      await eventually(() => queued !== null, 5000, "Disconnected");
      const got = await queued! as { stat: { version: number } };
      assert.equal(got.stat.version, 0);
      a.defaultWatcher = log.watcher;
    });

    await t.step("changes made while disconnected fire the re-registered watches", async () => {
      await eventually(() => p1.connections + p2.connections === 1, 5000, "reconnect");
      const [current, other] = p1.connections === 1 ? [p1, p2] : [p2, p1];
      current.mode = "refuse";
      other.mode = "refuse";
      const before = log.events.length;
      current.cut();
      await log.waitFor((e) => e.state === Disconnected && log.events.length > before);
      await b.setData("/w1", "changed");
      await b.create("/w2/kid");
      await b.create("/w3");
      other.mode = "forward";
      await log.waitFor((e) => e.state === SyncConnected && log.events.length > before + 1);
      assert.equal(other.connections, 1, "reconnected through the other host");
      assert.equal(current.connections, 0);
      assert.equal(a.sessionId, sessionId);
      await w.waitFor((e) => e.path === "/w1" && e.type === EventType.NodeDataChanged);
      await w.waitFor((e) => e.path === "/w2" && e.type === EventType.NodeChildrenChanged);
      await w.waitFor((e) => e.path === "/w3" && e.type === EventType.NodeCreated);
    });

    await t.step("unchanged and persistent watches still fire after the reconnect", async () => {
      await b.setData("/w4", "x");
      await b.setData("/p", "x");
      await b.create("/r/deep");
      await w.waitFor((e) => e.path === "/w4" && e.type === EventType.NodeDataChanged);
      await w.waitFor((e) => e.path === "/p" && e.type === EventType.NodeDataChanged);
      await w.waitFor((e) => e.path === "/r/deep" && e.type === EventType.NodeCreated);
      const dataEvents = w.events.filter((e) => e.path === "/w1" && e.type !== EventType.None);
      assert.equal(dataEvents.length, 1, "one-shot watches fire once");
    });

    await t.step("auth info was re-sent", async () => {
      assert.equal(new TextDecoder().decode((await a.getData("/secret")).data!), "s");
    });
  } finally {
    await a.close();
    await b.close();
    await p1.close();
    await p2.close();
  }
});

serverTest("a silent server is noticed, and its expired session reported", async (t, srv) => {
  const proxy = new TcpProxy(srv.port);
  const log = new EventLog();
  const observer = await ZkClient.connect(srv.connectString);
  const a = await ZkClient.connect(`127.0.0.1:${proxy.port}`, {
    sessionTimeout: 4000,
    reconnectDelay: 100,
    watcher: log.watcher,
  });
  try {
    await a.create("/e", null, { mode: CreateMode.EPHEMERAL });
    await t.step("no reply within 2/3 of the timeout drops the connection", async () => {
      proxy.mode = "blackhole";
      const started = Date.now();
      await rejectsWith(a.getData("/e"), Err.CONNECTIONLOSS);
      const took = Date.now() - started;
      assert.ok(took < 4000, `noticed after ${took}ms`);
      await log.waitFor(isState(Disconnected));
    });
    await t.step("the server expires the session; the client learns on reconnect", async () => {
      await eventually(async () => (await observer.exists("/e")) === null, 15000, "expiry");
      proxy.mode = "forward";
      await log.waitFor(isState(Expired), 15000);
      assert.equal(a.state, "CLOSED");
    });
  } finally {
    await a.close();
    await observer.close();
    await proxy.close();
  }
});
