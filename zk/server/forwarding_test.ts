// A learner's client side without a JVM: herd's own client talks to a ZkServer whose upstream is
// a Forwarder, and a fake leader (a PrepStage over its own tree) turns each forwarded REQUEST into
// the txn Apache's leader would commit, handing it back in zxid order as the learner would.
import assert from "node:assert/strict";
import { Logger } from "../../internal/log.ts";
import { JuteReader } from "../jute/reader.ts";
import { OpCode } from "../jute/opcodes.ts";
import type { Id } from "../jute/records.ts";
import { readRequest } from "../jute/requests.ts";
import { DataTree } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { Err, ZkClient } from "../client/mod.ts";
import { ChangeView } from "./changes.ts";
import { Forwarder, type LeaderLink } from "./forwarding.ts";
import { PrepStage } from "./prep.ts";
import { ZkServer } from "./server.ts";
import { fourLetterWord } from "../../tools/zk-server/status.ts";

/** The leader's side, in one process: prep on its tree, then "commit" on the learner's. */
class FakeLeader implements LeaderLink {
  readonly tree = new DataTree();
  readonly prep = new PrepStage(
    {
      view: new ChangeView(this.tree),
      extendedTypesEnabled: false,
      reconfigEnabled: false,
      skipACL: false,
    },
    0,
  );
  readonly sessions = new Set<bigint>();
  readonly requests: { type: number; cxid: number }[] = [];
  constructor(readonly fwd: Forwarder, readonly learnerTree: () => DataTree) {}

  request(sessionId: bigint, cxid: number, type: number, body: Uint8Array, authInfo: Id[]) {
    this.requests.push({ type, cxid });
    if (type === OpCode.sync) return void setTimeout(() => this.fwd.syncDone(), 5);
    let entry: TxnEntry;
    if (type === OpCode.createSession) {
      const timeout = new DataView(body.buffer, body.byteOffset).getInt32(0);
      entry = this.prep.createSession(sessionId, timeout, Date.now());
      this.sessions.add(sessionId);
    } else {
      const req = readRequest(type, new JuteReader(body));
      entry = this.prep.request({ sessionId, authInfo }, cxid, Date.now(), req);
      if (type === OpCode.closeSession) this.sessions.delete(sessionId);
    }
    this.tree.apply(entry.hdr, entry.txn);
    setTimeout(() => this.commit(entry), 5);
  }

  /** A txn as the learner applies it: to its tree, then to the client side. */
  commit(entry: TxnEntry): void {
    const result = this.learnerTree().apply(entry.hdr, entry.txn);
    this.fwd.committed(entry, result);
  }

  revalidate(sessionId: bigint): void {
    setTimeout(() => this.fwd.revalidated(sessionId, this.sessions.has(sessionId)), 5);
  }
}

async function learner(fn: (s: ZkServer, leader: FakeLeader, addr: string) => Promise<void>) {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1", fourLetterWhitelist: "*" },
    logger: new Logger("", "ERROR"),
    sessionIdServer: 4,
  });
  const fwd = new Forwarder(server);
  server.upstream = fwd;
  server.mode = "observer";
  server.start();
  const leader = new FakeLeader(fwd, () => server.tree);
  try {
    await fn(server, leader, `127.0.0.1:${server.port}`);
  } finally {
    await server.stop();
  }
}

Deno.test("forwarding: a learner refuses clients and 4lw until it serves", async () => {
  await learner(async (server, leader, addr) => {
    const answer = await fourLetterWord("127.0.0.1", server.port, "srvr");
    assert.equal(answer, "This ZooKeeper instance is not currently serving requests\n");
    assert.equal(await fourLetterWord("127.0.0.1", server.port, "ruok"), "imok");
    await assert.rejects(ZkClient.connect(addr, { sessionTimeout: 4000, connectTimeout: 500 }));
    server.upstream!.serve(new DataTree(), new Map(), leader);
    assert.match(await fourLetterWord("127.0.0.1", server.port, "srvr"), /^Mode: observer$/m);
  });
});

Deno.test("forwarding: writes go to the leader and are answered when committed", async () => {
  await learner(async (server, leader, addr) => {
    server.upstream!.serve(new DataTree(), new Map(), leader);
    const zk = await ZkClient.connect(addr, { sessionTimeout: 6000 });
    try {
      // The session came from the leader's createSession txn, with this server's sid in it.
      assert.equal(zk.sessionId >> 56n, 4n);
      assert(leader.sessions.has(zk.sessionId));
      const fired: string[] = [];
      assert.equal(await zk.create("/a", "one"), "/a");
      await zk.getData("/a", (e) => fired.push(`${e.type} ${e.path}`));
      const stat = await zk.setData("/a", "two");
      assert.equal(stat.version, 1);
      assert.deepEqual(fired, ["3 /a"]); // NodeDataChanged, before the reply
      // Reads are local: the leader saw only the writes.
      const n = leader.requests.length;
      assert.equal(new TextDecoder().decode((await zk.getData("/a")).data!), "two");
      assert.equal(leader.requests.length, n);
      // The leader's error txn answers with its code.
      await assert.rejects(zk.setData("/a", "x", 7), (e: Error & { code?: number }) => {
        assert.equal(e.code, Err.BADVERSION);
        return true;
      });
      // sync waits for the leader's SYNC.
      await zk.sync("/a");
      assert.equal(leader.requests.at(-1)!.type, OpCode.sync);
      await zk.create("/e", "", { mode: 1 });
      assert(server.tree.get("/e"));
    } finally {
      await zk.close();
    }
    // closeSession went through the leader: the ephemeral is gone here too.
    assert.equal(server.tree.get("/e"), undefined);
    assert.equal(leader.requests.at(-1)!.type, OpCode.closeSession);
  });
});

Deno.test("forwarding: a reconnect is revalidated; losing the leader closes clients", async () => {
  await learner(async (server, leader, addr) => {
    server.upstream!.serve(new DataTree(), new Map(), leader);
    const zk = await ZkClient.connect(addr, { sessionTimeout: 6000 });
    const again = await ZkClient.connect(addr, {
      sessionId: zk.sessionId,
      password: zk.sessionPassword,
      sessionTimeout: 6000,
    });
    assert.equal(again.sessionId, zk.sessionId);
    // A session the leader does not know is refused.
    leader.sessions.clear();
    await assert.rejects(
      ZkClient.connect(addr, {
        sessionId: zk.sessionId,
        password: zk.sessionPassword,
        sessionTimeout: 6000,
        connectTimeout: 2000,
      }),
    );
    server.upstream!.lost();
    assert.equal(server.connections.size, 0);
    await zk.close().catch(() => {});
    await again.close().catch(() => {});
  });
});
