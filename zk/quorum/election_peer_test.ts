// Three herd election peers on 127.0.0.12/.13/.14, all on the same port (the issue's
// "three hosts with the same ports"; loopback aliases need no setup on Linux).
import assert from "node:assert/strict";
import { Logger } from "../../internal/log.ts";
import { parseZooCfg, quorumPeerConfig } from "../config/mod.ts";
import { type ElectionDecision, ElectionPeer } from "./election_peer.ts";

const HOSTS = ["127.0.0.12", "127.0.0.13", "127.0.0.14"];

/** A port free on every one of the hosts. */
function freePortOnAll(): number {
  for (;;) {
    const probe = Deno.listen({ hostname: HOSTS[0], port: 0 });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    try {
      for (const h of HOSTS.slice(1)) Deno.listen({ hostname: h, port }).close();
      return port;
    } catch { /* taken on another alias: try another */ }
  }
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Member {
  peer: ElectionPeer;
  decisions: ElectionDecision[];
  lines: string[];
}

function ensemble(port: number): Member[] {
  const text = "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/tmp/unused\n" +
    HOSTS.map((h, i) => `server.${i + 1}=${h}:${port + 1}:${port}\n`).join("");
  const cfg = parseZooCfg(text, "zoo.cfg");
  return HOSTS.map((_, i) => {
    const decisions: ElectionDecision[] = [];
    const lines: string[] = [];
    const logger = new Logger(String(i + 1), "INFO", (line) => lines.push(line));
    const peer = new ElectionPeer(quorumPeerConfig(cfg, i + 1, []), {
      logger,
      lookOnLeaderLoss: true,
      onDecided: (d) => decisions.push(d),
    });
    return { peer, decisions, lines };
  });
}

Deno.test("three election peers elect the highest sid; without it, the next highest", async () => {
  const port = freePortOnAll();
  const members = ensemble(port);
  try {
    // Highest sid first, so server 1's connects find the others listening and it must drop them.
    for (const m of [...members].reverse()) await m.peer.start();
    await until("three decisions", () => members.every((m) => m.decisions.length === 1));
    assert.deepEqual(members.map((m) => [m.decisions[0].peerState, m.decisions[0].leader]), [
      ["FOLLOWING", 3],
      ["FOLLOWING", 3],
      ["LEADING", 3],
    ]);
    for (const m of members) assert.ok(m.decisions[0].tookMs < 5000, `${m.decisions[0].tookMs} ms`);
    // Apache's words in the log: the smaller sid drops its connection, the notifications, the result.
    const log1 = members[0].lines.join("\n");
    assert.match(
      log1,
      /Have smaller server identifier, so dropping the connection: \(myId:1 --> sid:[23]\)/,
    );
    assert.match(
      log1,
      /\[myid:1\] - INFO {2}\[WorkerReceiver\[myid=1\]:FastLeaderElection\$Messenger\$WorkerReceiver@391\] - Notification: my state:LOOKING; n.sid:3, n.state:LOOKING, n.leader:3, n.round:0x1, n.peerEpoch:0x0, n.zxid:0x0, message format version:0x2, n.config version:0x0/,
    );
    assert.match(log1, /FOLLOWING - LEADER ELECTION TOOK - \d+ MS/);
    assert.match(members[2].lines.join("\n"), /Leader@588\] - LEADING - LEADER ELECTION TOOK/);

    // The leader goes away: both followers lose its connection, look again, and elect 2.
    const killedAt = Date.now();
    await members[2].peer.stop();
    await until(
      "a second election",
      () => members.slice(0, 2).every((m) => m.decisions.length === 2),
    );
    const reelectMs = Date.now() - killedAt;
    assert.deepEqual(
      members.slice(0, 2).map((m) => [m.decisions[1].peerState, m.decisions[1].leader]),
      [
        ["FOLLOWING", 2],
        ["LEADING", 2],
      ],
    );
    assert.equal(members[0].decisions[1].vote.electionEpoch, 2n);
    console.log(`election after the leader stopped: ${reelectMs} ms`);
  } finally {
    await Promise.all(members.map((m) => m.peer.stop()));
  }
});
