// herd's leader (LeaderPeer, sid 3 on 127.0.0.14) with two herd followers (LearnerPeer, sids 1
// and 2 on 127.0.0.12/.13) over real sockets and real data dirs: the followers sync, the
// leader's writes commit on both; a follower that missed writes comes back by DIFF, one with an
// empty dataDir by SNAP; a new leader term (epoch 2) on the same dirs brings everyone to the
// new epoch. No Java needed.
import assert from "node:assert/strict";
import { Logger } from "../../internal/log.ts";
import { CreateMode, OpCode } from "../jute/opcodes.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";
import { dumpTree } from "../persist/_fixtures_test.ts";
import { readEpoch } from "../persist/epoch.ts";
import { until } from "./_apache_ensemble.ts";
import { LeaderPeer } from "./leader_peer.ts";
import { LearnerPeer } from "./learner_peer.ts";
import type { SyncMode } from "./learner.ts";

const LEADER_HOST = "127.0.0.14";
const enc = new TextEncoder();

function freePort(host: string): number {
  const l = Deno.listen({ hostname: host, port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

interface Running {
  peer: LearnerPeer;
  done: Promise<string>;
  synced: () => SyncMode | null;
}

Deno.test("herd leads herd: sync, commits, DIFF, SNAP and a second epoch", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-leader-peer-" });
  const port = freePort(LEADER_HOST);
  const lines: string[] = [];
  const logger = (sid: number) => new Logger(String(sid), "INFO", (l) => lines.push(l));
  const timing = { tickTime: 200, initLimit: 10, syncLimit: 5 };
  const newLeader = () =>
    new LeaderPeer({
      sid: 3,
      dataDir: `${dir}/s3`,
      listen: { host: LEADER_HOST, port },
      voters: new Set([1, 2, 3]),
      ...timing,
      logger: logger(3),
    });
  const follow = (sid: number): Running => {
    let mode: SyncMode | null = null;
    const peer = new LearnerPeer({
      role: "follower",
      sid,
      dataDir: `${dir}/s${sid}`,
      leader: { host: LEADER_HOST, port },
      ...timing,
      logger: logger(sid),
      onSynced: (s) => mode = s.mode,
    });
    return { peer, done: peer.run(), synced: () => mode };
  };
  let leader = newLeader();
  const learners = new Map<number, Running>();
  const logs = () => lines.join("\n");
  let session = 0n;
  let n = 0;
  const write = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const path = `/n${n++}`;
      const e = await leader.submit(session, n, {
        type: OpCode.create,
        path,
        data: enc.encode(`v${n}`),
        acl: [...OPEN_ACL_UNSAFE],
        flags: CreateMode.PERSISTENT,
        ttl: -1,
      });
      assert.equal(e.hdr.type, OpCode.create, `create ${path}`);
    }
  };
  const same = async (sids: number[], what: string) => {
    const want = leader.tree.lastProcessedZxid;
    await until(
      `followers at ${want.toString(16)} (${what})`,
      () => sids.every((s) => learners.get(s)!.peer.tree?.lastProcessedZxid === want),
      20_000,
      logs,
    );
    for (const s of sids) {
      assert.deepEqual(
        dumpTree(learners.get(s)!.peer.tree),
        dumpTree(leader.tree),
        `${what}: ${s}`,
      );
    }
  };
  try {
    await leader.start();
    for (const sid of [1, 2]) learners.set(sid, follow(sid));
    await until(
      "followers synced",
      () => [1, 2].every((s) => learners.get(s)!.synced()),
      20_000,
      logs,
    );
    assert.deepEqual([1, 2].map((s) => learners.get(s)!.synced()), ["diff", "diff"]);
    assert.equal(leader.leader.epoch, 1);
    session = await leader.createSession(30_000);
    await write(30);
    await same([1, 2], "first writes");

    // Follower 2 misses writes and comes back: DIFF.
    learners.get(2)!.peer.stop();
    await learners.get(2)!.done;
    await write(20);
    learners.set(2, follow(2));
    await until("2 synced again", () => learners.get(2)!.synced() !== null, 20_000, logs);
    assert.equal(learners.get(2)!.synced(), "diff");
    await write(5);
    await same([1, 2], "after DIFF");

    // Follower 1 loses its disk: SNAP.
    learners.get(1)!.peer.stop();
    await learners.get(1)!.done;
    await Deno.remove(`${dir}/s1`, { recursive: true });
    learners.set(1, follow(1));
    await until("1 synced from empty", () => learners.get(1)!.synced() !== null, 20_000, logs);
    assert.equal(learners.get(1)!.synced(), "snap");
    await write(5);
    await same([1, 2], "after SNAP");
    assert.equal(leader.stats.snapshotsSent, 1);

    // A new term on the same dirs: epoch 2; the followers were in sync, so empty DIFFs.
    await leader.stop("new election");
    for (const s of [1, 2]) {
      assert.equal(await learners.get(s)!.done, "the leader closed the connection");
    }
    const before = leader.tree.lastProcessedZxid;
    leader = newLeader();
    await leader.start();
    assert.equal(leader.tree.lastProcessedZxid, before, "the leader recovered its log");
    for (const sid of [1, 2]) learners.set(sid, follow(sid));
    await until(
      "synced in epoch 2",
      () => [1, 2].every((s) => learners.get(s)!.synced()),
      20_000,
      logs,
    );
    assert.equal(leader.leader.epoch, 2);
    session = await leader.createSession(30_000);
    await write(10);
    await same([1, 2], "epoch 2");
    for (const s of [1, 2, 3]) {
      assert.equal(await readEpoch(`${dir}/s${s}/version-2`, "acceptedEpoch"), 2);
      assert.equal(await readEpoch(`${dir}/s${s}/version-2`, "currentEpoch"), 2);
    }
    assert.equal(leader.tree.lastProcessedZxid, 2 * 2 ** 32 + 11);
    assert.deepEqual(lines.filter((l) => / (ERROR) /.test(l)), []);
    if (Deno.env.get("HERD_LEADER_LOGS")) console.log(logs());
  } finally {
    await leader.stop();
    for (const r of learners.values()) r.peer.stop();
    await Promise.all([...learners.values()].map((r) => r.done));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
