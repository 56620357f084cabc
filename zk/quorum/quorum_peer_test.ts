// QuorumPeer without a JVM: two herd voters of three elect herd sid 2, which leads; sid 1
// follows. Clients on both write and read; a sync on the leader waits for its commits; an
// ephemeral of a client that stops pinging the leader dies when the leader expires its session;
// mntr on the leader shows the synced follower. Stopping the follower loses the quorum: the
// leader steps down and stops serving.
import assert from "node:assert/strict";
import { Logger } from "../../internal/log.ts";
import { parseZooCfg, quorumPeerConfig } from "../config/mod.ts";
import { ZkServer } from "../server/server.ts";
import { ZkClient } from "../client/mod.ts";
import { TcpProxy } from "../client/_tcp_proxy.ts";
import { freePort } from "../../tools/_launch_test_util.ts";
import { fourLetterWord } from "../../tools/zk-server/status.ts";
import { QuorumPeer } from "./quorum_peer.ts";

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const text = (d: Uint8Array | null) => new TextDecoder().decode(d ?? undefined);

Deno.test("QuorumPeer: herd leads a herd follower and serves clients on both", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-quorum-peer-" });
  const ports = Array.from({ length: 6 }, () => freePort());
  const cfgText = "tickTime=200\ninitLimit=5\nsyncLimit=2\n" + `dataDir=${dir}\n` +
    [1, 2, 3].map((id) => `server.${id}=127.0.0.1:${ports[2 * id - 2]}:${ports[2 * id - 1]}\n`)
      .join("");
  const lines: string[][] = [[], []];
  const members: { peer: QuorumPeer; server: ZkServer; stopped: boolean }[] = [];
  const clients: ZkClient[] = [];
  try {
    for (const id of [1, 2]) {
      const cfg = quorumPeerConfig(parseZooCfg(cfgText, "zoo.cfg"), id, []);
      const logger = new Logger(String(id), "INFO", (l) => lines[id - 1].push(l));
      const server = new ZkServer({
        settings: {
          clientPort: 0,
          clientPortAddress: "127.0.0.1",
          tickTime: 200,
          fourLetterWhitelist: "*",
          minSessionTimeout: 400,
          maxSessionTimeout: 4000,
        },
        logger,
        sessionIdServer: id,
      });
      server.start();
      await Deno.mkdir(`${dir}/${id}`);
      const peer = new QuorumPeer(cfg, server, { dataDir: `${dir}/${id}`, logger });
      members.push({ peer, server, stopped: false });
      await peer.start();
    }
    const [follower, leader] = members;
    const srvr = (m: { server: ZkServer }) => fourLetterWord("127.0.0.1", m.server.port, "srvr");
    await until("sid 2 leading", async () => /Mode: leader/.test(await srvr(leader)));
    await until("sid 1 following", async () => /Mode: follower/.test(await srvr(follower)));
    const mntr = await fourLetterWord("127.0.0.1", leader.server.port, "mntr");
    assert.match(mntr, /^zk_server_state\tleader\nzk_peer_state\tleading - broadcast\n/m);
    assert.match(mntr, /^zk_synced_followers\t1$/m);
    assert.match(mntr, /^zk_learners\t1$/m);
    assert.match(mntr, /^zk_pending_syncs\t0$/m);

    const onLeader = await ZkClient.connect(`127.0.0.1:${leader.server.port}`, {
      sessionTimeout: 1200,
    });
    clients.push(onLeader);
    assert.equal(onLeader.sessionId >> 56n, 2n, "the leader's session ids carry its sid");
    const onFollower = await ZkClient.connect(`127.0.0.1:${follower.server.port}`, {
      sessionTimeout: 4000,
    });
    clients.push(onFollower);
    assert.equal(await onLeader.create("/l", "from the leader"), "/l");
    assert.equal(await onFollower.create("/f", "from the follower"), "/f");
    await onFollower.sync("/");
    assert.equal(text((await onFollower.getData("/l")).data!), "from the leader");
    await onLeader.sync("/");
    assert.equal(text((await onLeader.getData("/f")).data!), "from the follower");
    // Both servers applied the same txns in the same order.
    await until(
      "the same last zxid",
      () => follower.server.lastZxid() === leader.server.lastZxid(),
    );

    // A session of the follower's, dead: the leader expires it and its ephemeral goes.
    const proxy = new TcpProxy(follower.server.port);
    const short = await ZkClient.connect(`127.0.0.1:${proxy.port}`, { sessionTimeout: 1200 });
    await short.create("/eph", "", { mode: 1 });
    proxy.mode = "blackhole";
    await until("the ephemeral gone on the leader", async () => {
      return (await onLeader.exists("/eph")) === null;
    });
    assert(lines[1].some((l) => /Expiring session 0x1[0-9a-f]{14}, timeout of 1200ms/.test(l)));
    await proxy.close();
    await short.close().catch(() => {});

    // The leader's own client stays alive across three of its timeouts by its pings alone.
    await new Promise((r) => setTimeout(r, 3600));
    assert.notEqual(await onLeader.exists("/l"), null);

    await follower.peer.stop();
    await follower.server.stop();
    follower.stopped = true;
    await until("the leader stepping down", () => lines[1].some((l) => /Stopped leading/.test(l)));
    assert.equal(
      await srvr(leader),
      "This ZooKeeper instance is not currently serving requests\n",
    );
  } finally {
    for (const c of clients) await c.close().catch(() => {});
    for (const m of members) {
      if (m.stopped) continue;
      await m.peer.stop();
      await m.server.stop();
    }
    await Deno.remove(dir, { recursive: true });
  }
});
