// The learner's shell against a leader played by the test over a real socket, with the codecs:
// a follower syncs by SNAP, gets proposals around NEWLEADER and checks the order of what it sends
// and writes (§4.3 and §9.2's fixed order); restarted, it is TRUNCated and rebuilds its tree
// from disk. No Java needed.
import assert from "node:assert/strict";
import { JuteError, JuteReader } from "../jute/reader.ts";
import { JuteWriter } from "../jute/writer.ts";
import { applyAll, dumpTree, scenario } from "../persist/_fixtures_test.ts";
import { readEpoch } from "../persist/epoch.ts";
import { recover } from "../persist/recovery.ts";
import { listZxidFiles } from "../persist/files.ts";
import { readLogBytes, readLogFile } from "../persist/txn_log.ts";
import { Logger } from "../../internal/log.ts";
import { LearnerPeer } from "./learner_peer.ts";
import {
  decodeLearnerPacket,
  encodeLeaderMessage,
  type LeaderMessage,
  type LearnerMessage,
} from "./quorum_message.ts";
import { readQuorumPacket, writeQuorumPacket } from "./quorum_packet.ts";
import { writeSnapStream } from "./snap_stream.ts";

const E1 = 0x100000000;
const entries = scenario(E1 + 1); // 0x100000001 … 0x100000015
const SNAP_AT = 10; // the snapshot holds the first 10 txns

/** The leader's end of one learner connection. */
class FakeLeader {
  private buf = new Uint8Array(0);
  constructor(readonly conn: Deno.Conn) {}

  async send(...ms: LeaderMessage[]): Promise<void> {
    const w = new JuteWriter();
    for (const m of ms) writeQuorumPacket(w, encodeLeaderMessage(m));
    await this.write(w.bytes());
  }

  async write(b: Uint8Array): Promise<void> {
    let off = 0;
    while (off < b.length) off += await this.conn.write(b.subarray(off));
  }

  async next(): Promise<LearnerMessage> {
    for (;;) {
      const r = new JuteReader(this.buf);
      try {
        const p = readQuorumPacket(r);
        this.buf = this.buf.slice(r.pos);
        return decodeLearnerPacket(p);
      } catch (e) {
        if (!(e instanceof JuteError)) throw e;
      }
      const chunk = new Uint8Array(4096);
      const n = await this.conn.read(chunk);
      if (n === null) throw new Error("the learner closed the connection");
      const next = new Uint8Array(this.buf.length + n);
      next.set(this.buf);
      next.set(chunk.subarray(0, n), this.buf.length);
      this.buf = next;
    }
  }
}

async function session(dataDir: string, play: (l: FakeLeader, peer: LearnerPeer) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const lines: string[] = [];
  const peer = new LearnerPeer({
    role: "follower",
    sid: 2,
    dataDir,
    leader: { host: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port },
    tickTime: 2000,
    initLimit: 10,
    syncLimit: 5,
    logger: new Logger("2", "INFO", (l) => lines.push(l)),
  });
  const running = peer.run();
  const conn = await listener.accept();
  listener.close();
  try {
    await play(new FakeLeader(conn), peer);
  } finally {
    conn.close();
    assert.equal(await running, "the leader closed the connection");
  }
  return { peer, lines };
}

Deno.test("a follower: SNAP, txns around NEWLEADER, then TRUNC after a restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "herd-learner-peer-" });
  try {
    const { peer } = await session(dataDir, async (l, peer) => {
      assert.deepEqual(await l.next(), {
        kind: "followerInfo",
        acceptedEpoch: 0,
        sid: 2,
        protocolVersion: 0x10000,
        configVersion: 0,
      });
      await l.send({ kind: "leaderInfo", newEpoch: 1, protocolVersion: 0x10000 });
      assert.deepEqual(await l.next(), { kind: "ackEpoch", lastZxid: 0, currentEpoch: 0 });
      assert.equal(await readEpoch(`${dataDir}/version-2`, "acceptedEpoch"), 1);
      // SNAP of the first txns, written straight after the packet (§3.3).
      const w = new JuteWriter();
      writeQuorumPacket(w, encodeLeaderMessage({ kind: "snap", zxid: E1 + SNAP_AT }));
      writeSnapStream(w, applyAll(entries.slice(0, SNAP_AT)), []);
      await l.write(w.bytes());
      const [p11, p12, p13] = entries.slice(SNAP_AT, SNAP_AT + 3);
      await l.send(
        { kind: "proposal", entry: p11 },
        { kind: "commit", zxid: p11.hdr.zxid },
        { kind: "proposal", entry: p12 },
        { kind: "newLeader", zxid: E1, config: null },
      );
      // §9.2: ACK(NEWLEADER) first, and only after the epoch and the txn are on disk.
      assert.deepEqual(await l.next(), { kind: "ack", zxid: E1 });
      assert.equal(await readEpoch(`${dataDir}/version-2`, "currentEpoch"), 1);
      assert.equal(listZxidFiles(`${dataDir}/version-2`, "snapshot").at(-1)?.zxid, p11.hdr.zxid);
      assert.deepEqual(await l.next(), { kind: "ack", zxid: p12.hdr.zxid });
      await l.send({ kind: "upToDate" });
      assert.deepEqual(await l.next(), { kind: "ack", zxid: E1 });
      // Broadcast: the held proposal commits; a new one is logged, ACKed and committed.
      await l.send(
        { kind: "commit", zxid: p12.hdr.zxid },
        { kind: "proposal", entry: p13 },
      );
      assert.deepEqual(await l.next(), { kind: "ack", zxid: p13.hdr.zxid });
      await l.send({ kind: "commit", zxid: p13.hdr.zxid }, {
        kind: "ping",
        zxid: 5,
        authinfo: null,
      });
      assert.deepEqual(await l.next(), { kind: "pingReply", zxid: 5, touches: [], authinfo: null });
      assert.equal(peer.tree.lastProcessedZxid, p13.hdr.zxid);
    });
    assert.deepEqual(dumpTree(peer.tree), dumpTree(applyAll(entries.slice(0, SNAP_AT + 3))));
    // The log holds what came after the snapshot.
    const logs = listZxidFiles(`${dataDir}/version-2`, "log");
    const logged = logs.flatMap((f) =>
      readLogFile(readLogBytes(f.path)).entries.map((e) => e.hdr.zxid)
    );
    assert.deepEqual(logged, [E1 + 12, E1 + 13]);

    // Restarted, it reports 0x10000000d; the new leader cuts it back to 0x10000000c.
    const again = await session(dataDir, async (l) => {
      await l.next();
      await l.send({ kind: "leaderInfo", newEpoch: 2, protocolVersion: 0x10000 });
      assert.deepEqual(await l.next(), { kind: "ackEpoch", lastZxid: E1 + 13, currentEpoch: 1 });
      await l.send({ kind: "trunc", zxid: E1 + 12 }, {
        kind: "newLeader",
        zxid: 2 * E1,
        config: null,
      });
      assert.deepEqual(await l.next(), { kind: "ack", zxid: 2 * E1 });
      await l.send({ kind: "upToDate" });
      assert.deepEqual(await l.next(), { kind: "ack", zxid: 2 * E1 });
    });
    assert.deepEqual(dumpTree(again.peer.tree), dumpTree(applyAll(entries.slice(0, SNAP_AT + 2))));
    assert.equal(again.peer.tree.lastProcessedZxid, E1 + 12);
    assert.equal(again.peer.stats.syncMode, "trunc");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a malformed stream ends the connection with the reason, not an exception", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "herd-learner-peer-" });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const peer = new LearnerPeer({
      role: "observer",
      sid: 4,
      dataDir,
      leader: { host: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port },
      tickTime: 2000,
      initLimit: 10,
      syncLimit: 5,
      logger: new Logger("4", "INFO", () => {}),
    });
    const running = peer.run();
    const conn = await listener.accept();
    const l = new FakeLeader(conn);
    assert.equal((await l.next()).kind, "observerInfo");
    // A PROPOSAL's data length beyond any Apache buffer.
    await l.write(new Uint8Array([0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff]));
    assert.match(await running, /packet data length 2147483647 is out of range/);
    conn.close();
  } finally {
    listener.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("in broadcast, a snapshot about every snapCount txns; recovery rebuilds the tree", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "herd-learner-peer-" });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const peer = new LearnerPeer({
      role: "observer",
      sid: 4,
      dataDir,
      leader: { host: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port },
      tickTime: 2000,
      initLimit: 10,
      syncLimit: 5,
      snapCount: 4, // a snapshot after 2 or 3 txns
      logger: new Logger("4", "INFO", () => {}),
    });
    const running = peer.run();
    const conn = await listener.accept();
    const l = new FakeLeader(conn);
    assert.equal((await l.next()).kind, "observerInfo");
    await l.send({ kind: "leaderInfo", newEpoch: 1, protocolVersion: 0x10000 });
    assert.equal((await l.next()).kind, "ackEpoch");
    await l.send({ kind: "diff", zxid: 0 }, { kind: "newLeader", zxid: E1, config: null });
    assert.deepEqual(await l.next(), { kind: "ack", zxid: E1 });
    await l.send({ kind: "upToDate" });
    assert.deepEqual(await l.next(), { kind: "ack", zxid: E1 });
    for (const entry of entries.slice(0, 8)) {
      await l.send({ kind: "inform", entry }, { kind: "ping", zxid: 0, authinfo: null });
      assert.equal((await l.next()).kind, "pingReply");
    }
    const snaps = listZxidFiles(`${dataDir}/version-2`, "snapshot").map((f) => f.zxid);
    assert(snaps.length >= 2 && snaps.length <= 4, `snapshots at ${snaps.map(hex)}`);
    conn.close();
    await running;
    const r = await recover(dataDir, dataDir);
    assert.deepEqual(dumpTree(r.tree), dumpTree(applyAll(entries.slice(0, 8))));
  } finally {
    listener.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
