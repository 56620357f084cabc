// QuorumPeer without a JVM: two herd voters of three elect each other's best, herd sid 2. It
// cannot lead, so it says so and looks again; sid 1 follows it, finds no leader on the quorum
// port and looks again. Neither serves clients meanwhile, and neither stops trying.
import assert from "node:assert/strict";
import { Logger } from "../../internal/log.ts";
import { parseZooCfg, quorumPeerConfig } from "../config/mod.ts";
import { ZkServer } from "../server/server.ts";
import { freePort } from "../../tools/_launch_test_util.ts";
import { fourLetterWord } from "../../tools/zk-server/status.ts";
import { QuorumPeer } from "./quorum_peer.ts";

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("QuorumPeer: herd elected leader refuses to lead and looks again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-quorum-peer-" });
  const ports = Array.from({ length: 6 }, () => freePort());
  const text = "tickTime=200\ninitLimit=5\nsyncLimit=2\n" + `dataDir=${dir}\n` +
    [1, 2, 3].map((id) => `server.${id}=127.0.0.1:${ports[2 * id - 2]}:${ports[2 * id - 1]}\n`)
      .join("");
  const lines: string[][] = [[], []];
  const members: { peer: QuorumPeer; server: ZkServer }[] = [];
  try {
    for (const id of [1, 2]) {
      const cfg = quorumPeerConfig(parseZooCfg(text, "zoo.cfg"), id, []);
      const logger = new Logger(String(id), "INFO", (l) => lines[id - 1].push(l));
      const server = new ZkServer({
        settings: { clientPort: 0, clientPortAddress: "127.0.0.1", tickTime: 200 },
        logger,
        sessionIdServer: id,
      });
      server.start();
      await Deno.mkdir(`${dir}/${id}`);
      const peer = new QuorumPeer(cfg, server, { dataDir: `${dir}/${id}`, logger });
      members.push({ peer, server });
      await peer.start();
    }
    const count = (id: number, re: RegExp) => lines[id - 1].filter((l) => re.test(l)).length;
    await until("two refusals by sid 2", () => count(2, /herd cannot lead yet/) >= 2);
    await until("sid 1 losing the leader it elected", () => count(1, /Lost the leader/) >= 1);
    assert.equal(count(1, /herd cannot lead yet/), 0);
    assert.equal(count(1, /following - broadcast/) + count(2, /broadcast/), 0);
    for (const { server } of members) {
      assert.equal(
        await fourLetterWord("127.0.0.1", server.port, "srvr"),
        "This ZooKeeper instance is not currently serving requests\n",
      );
    }
  } finally {
    for (const { peer, server } of members) {
      await peer.stop();
      await server.stop();
    }
    await Deno.remove(dir, { recursive: true });
  }
});
