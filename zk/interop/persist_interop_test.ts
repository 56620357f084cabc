/**
 * herd's files are Apache's files. (a) herd writes a dataDir (zkCli.sh and a raw session: creates,
 * sequential, ephemeral, container, TTL, setData, setAcl with digest, deletes, deleteall and a mixed
 * multi, a quota), stops; Apache's TxnLogToolkit and SnapshotFormatter read every file, and Apache
 * started on the dataDir answers `ls -R`, `get -s` and `getAcl` for every path exactly as herd did
 * before it stopped. (b) The same the other way round: Apache writes, herd starts on it.
 * On the way, herd's zk-txnlog and zk-snapshot print every one of those files as Apache's tools do.
 * Either server, started on the other's files, checks the data-tree digests they carry and finds
 * them all matching (DataTree logs a mismatch; it never refuses).
 *
 * Run: `deno test -A zk/interop/persist_interop_test.ts`
 *
 * @module
 */
import assert from "node:assert/strict";
import { needs } from "./_needs.ts";
import type { TargetKind } from "./_target.ts";
import {
  allPaths,
  copyForFullReplay,
  type DiskServer,
  startOnDisk,
  treeAnswers,
  versionFiles,
  writeScenario,
} from "./_persist_servers.ts";
import { runApache, runHerd } from "../../tools/zk-txnlog/_apache.ts";

const TOOLKIT = "org.apache.zookeeper.server.persistence.TxnLogToolkit";
const FORMATTER = "org.apache.zookeeper.server.SnapshotFormatter";
const SLOW = { sanitizeOps: false, sanitizeResources: false };

/** Txns the scenario must have left in the logs, as TxnLogToolkit prints them. */
const EXPECTED_TXNS = [
  / create \/persist,p,\[31,s\{'world,'anyone\}/,
  / create \/persist\/seq-0000000001,one,/,
  / create \/persist\/seq-0000000002,two,/,
  / delete '\/persist\/gone$/m,
  / setData \/persist\/a,alpha3,2$/m,
  / createContainer \/persist\/box,,/,
  / createTtl \/persist\/ttl,t,\[31,s\{'world,'anyone\}\n\],\d+,600000$/m,
  / setACL '\/persist\/secret,v\{s\{31,s\{'digest,'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=\}\},s\{1,s\{'world,'anyone\}\}\},1$/m,
  / multi delete:[^;]*\/persist\/tree\/[xy];delete:[^;]*\/persist\/tree\/[xy];delete:[^;]*\/persist\/tree$/m,
  / create \/zookeeper\/quota\/persist\/zookeeper_limits,count=10,bytes=-1/,
  / create \/persist\/eph,mine,\[31,s\{'world,'anyone\}\n\],true,/,
  // A create2 op inside a multi is logged as a create sub-txn: Apache cannot replay a create2 one.
  / multi create:[^;]*\/persist\/m[^;]*one[^;]*;setData:[^;]*two[^;]*;check:[^;]*;create:[^;]*\/persist\/m2[^;]*;delete:[^;]*\/persist\/m2$/m,
  / closeSession v\{\}$/m,
];

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "herd-persist-interop-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Apache's tools read every log and snapshot without an error, and herd's print them identically.
 * Returns TxnLogToolkit's output of all logs, for checking which txns were written.
 */
async function readEveryFile(dir: string): Promise<string> {
  const logs = versionFiles(`${dir}/logs`, "log");
  const snaps = versionFiles(`${dir}/data`, "snapshot");
  assert.ok(logs.length >= 2 && snaps.length >= 2, `files rolled: ${logs} ${snaps}`);
  const jobs = [
    ...logs.map((f) => ({ f, apache: runApache(TOOLKIT, [f]), herd: runHerd("zk-txnlog", [f]) })),
    ...snaps.map((f) => ({
      f,
      apache: runApache(FORMATTER, [f]),
      herd: runHerd("zk-snapshot", [f]),
    })),
  ];
  let dumped = "";
  for (const j of jobs) {
    const [apache, herd] = await Promise.all([j.apache, j.herd]);
    const all = apache.stdout + apache.stderr;
    assert.equal(apache.code, 0, `${j.f}: ${all}`);
    assert.ok(!/Exception|CRC ERROR|partial/.test(all), `${j.f}: ${all}`);
    assert.match(apache.stdout, /EOF reached after \d+ txns\.|^Last zxid: 0x[0-9a-f]+$/m, j.f);
    assert.equal(herd.stdout, apache.stdout, `herd's tool on ${j.f}`);
    if (j.f.includes("/log.")) dumped += apache.stdout;
  }
  return dumped;
}

/** Lines either server logs when a digest it reads is missing or does not match its tree. */
const DIGEST_TROUBLE =
  /Got EOF exception while reading the digest|Digests are not matching|digest mismatch|is not covering the snapshot digest|Digest version/;

/**
 * The reader checked the digest its start met and found it matching, and says what its tree's
 * digest is (the same line in Apache's and herd's logs).
 */
function checkedDigest(server: DiskServer, what: string): string {
  const logs = server.logs();
  const trouble = logs.split("\n").filter((l) => DIGEST_TROUBLE.test(l));
  assert.deepEqual(trouble, [], `${server.kind} (${what}) on digests`);
  // The newest snapshot ends with a digest; the oldest, snapshot.0, with the empty one, and then
  // the txns are checked against the log's digests where there are some (Apache writes them).
  const read = what === "newest snapshot"
    ? /The digest in the snapshot has digest version of 2, with zxid as 0x[0-9a-f]+/
    : /The digest value is empty in snapshot/;
  assert.match(logs, read, `${server.kind} (${what}) read the snapshot's digest`);
  const loaded = /Snapshot loaded in \d+ ms, highest zxid is 0x[0-9a-f]+, digest is (-?\d+)/.exec(
    logs,
  );
  assert.ok(loaded, `${server.kind} (${what}) logs its tree's digest`);
  assert.notEqual(loaded[1], "0", "a tree holding znodes has a digest");
  return loaded[1];
}

/**
 * `writer` writes the scenario into a fresh dataDir and answers for its tree; after it stops,
 * `reader` starts on the same files and must answer the same.
 */
async function handOver(writer: TargetKind, reader: TargetKind): Promise<void> {
  await withDir(async (dir) => {
    let first: DiskServer | undefined = await startOnDisk(writer, dir);
    let second: DiskServer | undefined;
    try {
      const raw = await writeScenario(first);
      const paths = await allPaths(first);
      for (const p of ["/persist/eph", "/persist/m", "/persist/ttl", "/persist/box/item"]) {
        assert.ok(paths.includes(p), `${writer} has ${p}: ${paths.join(" ")}`);
      }
      const before = await treeAnswers(first, paths);
      await first.stop(); // the raw session's ephemeral is still there
      first = undefined;
      raw.close();
      const dumped = await readEveryFile(dir);
      for (const re of EXPECTED_TXNS) assert.match(dumped, re);
      // Once from the newest snapshot, once from the oldest replaying every log.
      await copyForFullReplay(dir, `${dir}/replay`);
      const digests: string[] = [];
      for (const [what, at] of [["newest snapshot", dir], ["full replay", `${dir}/replay`]]) {
        second = await startOnDisk(reader, at);
        const after = await treeAnswers(second, paths);
        assert.deepEqual(after, before, `${reader} on ${writer}'s files (${what})`);
        await second.stop();
        digests.push(checkedDigest(second, what));
        second = undefined;
      }
      assert.equal(digests[0], digests[1], "the same tree has the same digest either way");
    } catch (e) {
      const logs = [first, second].filter((s) => s).map((s) => `--- ${s!.kind}:\n${s!.logs()}`);
      throw new Error(`${(e as Error).message}\n${logs.join("\n")}`, { cause: e });
    } finally {
      await first?.stop();
      await second?.stop();
    }
  });
}

const gate = needs("herd", ["java", "apache-jars", "zkcli"], "persist interop");

Deno.test({
  name: "herd writes a dataDir; Apache's tools read it and Apache serves the same tree",
  ignore: gate.ignore,
  ...SLOW,
}, async () => {
  gate.check();
  await handOver("herd", "apache");
});

Deno.test({
  name: "Apache writes a dataDir; herd starts on it and serves the same tree",
  ignore: gate.ignore,
  ...SLOW,
}, async () => {
  gate.check();
  await handOver("apache", "herd");
});
