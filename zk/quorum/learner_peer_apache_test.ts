// herd's learner (sid 4, `server.4=…:observer` in every config) with three Apache ZooKeeper
// 3.8.0 voters on 127.0.0.12/.13/.14, once as an observer (OBSERVERINFO, INFORMs) and once as a
// non-voting follower (FOLLOWERINFO: PROPOSAL → log → ACK, COMMIT; its ACKs never count, §7):
// 1. kazoo writes through an Apache follower; herd, with an empty dataDir, connects to the Apache
//    leader's quorum port and is synced with SNAP; kazoo writes through the leader while herd
//    follows the INFORMs. herd's tree must then hold exactly the znodes, data and stats an
//    Apache server serves.
// 2. herd stops, kazoo writes more, herd restarts from its dataDir: the leader sends a DIFF of
//    what it missed; more writes; the trees must match again.
// Skipped with the reason printed when java, the jars or kazoo are missing; failing under CI=true.
import assert from "node:assert/strict";
import { Logger } from "../../internal/log.ts";
import { needs, PYTHON } from "../interop/_needs.ts";
import { readEpoch } from "../persist/epoch.ts";
import type { DataTree } from "../tree/data_tree.ts";
import { NULL_DATA } from "../tree/znode.ts";
import { type Apache, fourLetter, freePorts, startApache, until } from "./_apache_ensemble.ts";
import { LearnerPeer } from "./learner_peer.ts";
import type { LearnerRole } from "./learner.ts";
import { epochOf } from "./quorum_packet.ts";

const SCRIPT = new URL("./_observer_scenario.py", import.meta.url).pathname;
const gate = needs("apache", ["java", "apache-jars", "kazoo"], "herd's observer of Apache 3.8.0");

async function kazoo(...args: string[]): Promise<string> {
  const out = await new Deno.Command(PYTHON, {
    args: [SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`kazoo ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

/** herd's tree in the dump script's shape: every znode outside /zookeeper. */
function herdDump(tree: DataTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, n] of tree.nodes) {
    if (path === "/zookeeper" || path.startsWith("/zookeeper/")) continue;
    const s = n.stat();
    out[path] = {
      acl: tree.aclOf(n).map((a) => `${a.perms}:${a.id.scheme}:${a.id.id}`),
      data: n.data === NULL_DATA ? null : btoa(String.fromCharCode(...n.data)),
      czxid: s.czxid,
      mzxid: s.mzxid,
      pzxid: s.pzxid,
      ctime: s.ctime,
      mtime: s.mtime,
      version: s.version,
      cversion: s.cversion,
      aversion: s.aversion,
      ephemeralOwner: BigInt.asUintN(64, s.ephemeralOwner).toString(16),
      dataLength: s.dataLength,
      numChildren: s.numChildren,
    };
  }
  return out;
}

const sorted = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

async function leaderZxid(a: Apache): Promise<number> {
  const m = /Zxid: 0x([0-9a-f]+)/.exec(await fourLetter(a.host, a.clientPort, "srvr"));
  if (!m) throw new Error("srvr without a Zxid line");
  return parseInt(m[1], 16);
}

for (const role of ["observer", "follower"] as const) {
  Deno.test({
    name:
      `[apache] herd as ${role} syncs from an Apache 3.8.0 leader (SNAP, then DIFF) and follows`,
    ignore: gate.ignore,
    fn: () => learnFromApache(role),
  });
}

async function learnFromApache(role: LearnerRole): Promise<void> {
  gate.check();
  const dir = await Deno.makeTempDir({ prefix: "herd-observer-apache-" });
  const port = freePorts();
  const extra = [`server.4=127.0.0.15:${port + 1}:${port}:observer`];
  const lines: string[] = [];
  const logger = new Logger("4", "INFO", (l) => lines.push(l));
  const apaches: Apache[] = [];
  const allLogs = () =>
    apaches.map((a) => `--- apache ${a.sid}\n${a.log()}`).join("\n") +
    `\n--- herd 4\n${lines.join("\n")}`;
  let peer: LearnerPeer | null = null;
  let running: Promise<string> | null = null;
  try {
    for (const sid of [1, 2, 3]) apaches.push(await startApache(dir, port, sid, extra));
    await until(
      "a leader and two followers in broadcast",
      () =>
        apaches.filter((a) => a.log().includes("Peer state changed: leading - broadcast"))
            .length === 1 &&
        apaches.filter((a) => a.log().includes("Peer state changed: following - broadcast"))
            .length === 2,
      90_000,
      allLogs,
    );
    const leader = apaches.find((a) => a.log().includes("leading - broadcast"))!;
    const followers = apaches.filter((a) => a !== leader);
    const addr = (a: Apache) => `${a.host}:${a.clientPort}`;

    // Set to a directory to keep what herd read from the Apache leader in each connection.
    const captureDir = Deno.env.get("HERD_QUORUM_CAPTURE");
    let connections = 0;
    const start = () => {
      let synced: { mode: string; ms: number } | null = null;
      const captured: Uint8Array[] = [];
      const capture = `${captureDir}/apache-leader-${++connections}.bin`;
      const t0 = performance.now();
      peer = new LearnerPeer({
        role,
        sid: 4,
        dataDir: `${dir}/herd4`,
        leader: { host: leader.host, port: port + 1 },
        tickTime: 2000,
        initLimit: 10,
        syncLimit: 5,
        logger,
        onSynced: (s) => synced = { mode: s.mode, ms: performance.now() - t0 },
        onBytes: captureDir === undefined ? undefined : (b) => {
          captured.push(b);
          Deno.writeFileSync(capture, b, { append: captured.length > 1, create: true });
        },
      });
      running = peer.run();
      return () => synced;
    };
    let caughtUpAt = 0;
    const converge = async (what: string) => {
      await until(
        `herd at the leader's zxid (${what})`,
        async () => peer!.tree.lastProcessedZxid === await leaderZxid(leader),
        60_000,
        allLogs,
      );
      caughtUpAt = performance.now();
      const apache = JSON.parse(await kazoo("dump", addr(followers[0])));
      assert.deepEqual(sorted(herdDump(peer!.tree)), apache, what);
      return Object.keys(apache).length;
    };

    // 1. SNAP into an empty dataDir, then INFORMs.
    await kazoo("write", addr(followers[0]), "a");
    let synced = start();
    await until("herd synced", () => synced() !== null, 60_000, allLogs);
    assert.equal(synced()!.mode, "snap");
    const snapMs = synced()!.ms;
    const snapBytes = peer!.stats.snapshotBytes;
    await kazoo("write", addr(leader), "b");
    const nodes1 = await converge("after SNAP and INFORMs");
    const informed = peer!.stats.txnsApplied;
    assert(informed > 30, `only ${informed} INFORMs applied`);
    const epoch = epochOf(await leaderZxid(leader));
    assert.equal(await readEpoch(`${dir}/herd4/version-2`, "acceptedEpoch"), epoch);
    assert.equal(await readEpoch(`${dir}/herd4/version-2`, "currentEpoch"), epoch);

    // 2. Stop, miss some writes, restart from disk: DIFF.
    peer!.stop();
    assert.equal(await running, "stopped");
    await kazoo("write", addr(followers[1]), "c");
    synced = start();
    await until("herd synced again", () => synced() !== null, 60_000, allLogs);
    assert.equal(synced()!.mode, "diff");
    const diffMs = synced()!.ms;
    await kazoo("write", addr(leader), "d");
    // A burst of pipelined writes: INFORMs arrive many to a read, appended with one fsync.
    await kazoo("burst", addr(followers[0]), "1000");
    const burstDone = performance.now();
    const nodes2 = await converge("after a restart, DIFF, INFORMs and a burst");
    const lagMs = caughtUpAt - burstDone;
    // Grouped: far fewer fsyncs than txns logged.
    assert(peer!.stats.logFsyncs < peer!.stats.txnsLogged / 2, JSON.stringify(peer!.stats));
    assert(nodes2 > nodes1);
    // The leader's side of the story: an observer sid 4, a SNAP for the empty one, a DIFF after.
    assert.match(leader.log(), /Follower sid: 4 : info : 127\.0\.0\.15:\d+:\d+:observer/);
    assert.match(leader.log(), /Sending snapshot last zxid of peer is 0x0,/);
    assert.match(leader.log(), /Sending DIFF zxid=0x[0-9a-f]+ +for peer sid: 4/);
    // Apache's tree digest rode on every txn but the error txns; herd's tree matched each one.
    assert(peer!.stats.digestsCompared > 20, `${peer!.stats.digestsCompared} digests compared`);
    assert.equal(peer!.digests.mismatches, 0);
    // herd warned about nothing (no zxid gaps, no unknown packets, no failures).
    assert.deepEqual(lines.filter((l) => / (WARN|ERROR) /.test(l)), []);
    console.log(
      `SNAP sync ${snapMs.toFixed(0)} ms (${snapBytes} bytes), DIFF sync ${
        diffMs.toFixed(0)
      } ms; after a burst of 2000 writes herd was at the leader's zxid ${
        lagMs.toFixed(0)
      } ms after kazoo's last reply; ${nodes2} znodes identical, ${
        peer!.stats.digestsCompared
      } digests compared, ${peer!.stats.logFsyncs} fsyncs for ${
        peer!.stats.txnsLogged
      } txns logged`,
    );
  } finally {
    // Set to keep every server's log of the run, passed or failed.
    const dump = Deno.env.get("HERD_OBSERVER_LOGS");
    if (dump) await Deno.writeTextFile(dump, allLogs());
    (peer as LearnerPeer | null)?.stop();
    await running;
    await Promise.all(apaches.map((a) => a.kill()));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
