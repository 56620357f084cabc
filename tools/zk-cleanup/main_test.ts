import assert from "node:assert/strict";
import { apacheGate, runApache, runHerd, type ToolRun } from "../zk-txnlog/_apache.ts";

const PURGE = "org.apache.zookeeper.server.PurgeTxnLog";
/** Enough of a snapshot for PurgeTxnLog to count it: it ends in the seal, the string "/". */
const SEALED = new Uint8Array([0x5a, 0x4b, 0x53, 0x4e, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0x2f]);

/** Files in `<dir>/version-2`; snapshots sealed unless named in `torn`; all dated 2026-01-02. */
async function layout(dir: string, names: string[], torn: string[] = []): Promise<void> {
  await Deno.mkdir(`${dir}/version-2`, { recursive: true });
  const when = new Date("2026-01-02T15:04:05Z");
  for (const n of names) {
    const path = `${dir}/version-2/${n}`;
    const sealed = n.startsWith("snapshot.") && !torn.includes(n);
    await Deno.writeFile(path, sealed ? SEALED : new Uint8Array([1, 2, 3]));
    await Deno.utime(path, when, when);
  }
}

function listing(dir: string): string[] {
  try {
    return [...Deno.readDirSync(`${dir}/version-2`)].map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "herd-cleanup-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const SNAPS = ["snapshot.0", "snapshot.10", "snapshot.20", "snapshot.30", "snapshot.40"];
const LOGS = ["log.1", "log.11", "log.15", "log.25", "log.41"];

Deno.test("zk-cleanup keeps N snapshots and the logs they need, printing what it removes", async () => {
  await inTempDir(async (dir) => {
    await layout(dir, [...SNAPS, ...LOGS, "myid"]);
    const r = await runHerd("zk-cleanup", [`${dir}/`, "-n", "3"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      ["log.1", "log.11", "snapshot.0", "snapshot.10"]
        .map((n) => `Removing file: Jan 2, 2026, 3:04:05 PM\t${dir}/version-2/${n}\n`).join(""),
    );
    assert.deepEqual(listing(dir), [
      "log.15",
      "log.25",
      "log.41",
      "myid",
      "snapshot.20",
      "snapshot.30",
      "snapshot.40",
    ]);
  });
});

Deno.test("zk-cleanup reads dataDir and dataLogDir from zoo.cfg, as zkCleanup.sh", async () => {
  await inTempDir(async (dir) => {
    await layout(`${dir}/data`, SNAPS);
    await layout(`${dir}/logs`, LOGS);
    await Deno.writeTextFile(
      `${dir}/zoo.cfg`,
      `tickTime=2000\ndataDir=${dir}/data\ndataLogDir=${dir}/logs\nclientPort=2181\n`,
    );
    const r = await runHerd("zk-cleanup", ["--config", `${dir}/zoo.cfg`, "-n", "3"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(listing(`${dir}/data`), SNAPS.slice(2));
    assert.deepEqual(listing(`${dir}/logs`), LOGS.slice(2));
    const help = await runHerd("zk-cleanup", ["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /zk-cleanup dataLogDir \[snapDir\] -n count/);
  });
});

Deno.test("zk-cleanup refuses a count below 3 and directories holding each other's files", async () => {
  await inTempDir(async (dir) => {
    await layout(dir, [...SNAPS, ...LOGS]);
    const low = await runHerd("zk-cleanup", [dir, "-n", "2"]);
    assert.equal(low.code, 1);
    assert.equal(low.stderr, "count should be greater than or equal to 3\n");
    assert.match(low.stdout, /^Usage:/);
    await layout(`${dir}/snaps`, SNAPS);
    const mixed = await runHerd("zk-cleanup", [dir, `${dir}/snaps`, "-n", "3"]);
    assert.equal(mixed.code, 1);
    assert.match(mixed.stderr, /^Log directory has snapshot files/);
    assert.deepEqual(listing(dir), [...LOGS, ...SNAPS].sort(), "nothing removed");
  });
});

const gate = apacheGate("zk-cleanup against PurgeTxnLog");

/** Both tools on identical copies of one layout; outputs compared with the paths made alike. */
async function sameAsApache(
  args: (dir: string) => string[],
  make: (dir: string) => Promise<void>,
): Promise<void> {
  const runs: { r: ToolRun; files: string[] }[] = [];
  for (
    const run of [(a: string[]) => runApache(PURGE, a), (a: string[]) => runHerd("zk-cleanup", a)]
  ) {
    await inTempDir(async (dir) => {
      await make(dir);
      const r = await run(args(dir));
      const norm = (s: string) => s.replaceAll(dir, "<dir>").split("\n").sort().join("\n");
      const files = [...listing(dir), ...listing(`${dir}/snaps`).map((n) => `snaps/${n}`)];
      runs.push({ r: { ...r, stdout: norm(r.stdout), stderr: norm(r.stderr) }, files });
    });
  }
  const [apache, herd] = runs;
  const what = args("<dir>").join(" ");
  assert.equal(herd.r.code, apache.r.code, `${what}: ${herd.r.stderr}`);
  assert.deepEqual(herd.files, apache.files, what);
  if (apache.r.code === 0) {
    assert.equal(herd.r.stdout, apache.r.stdout, what);
  } else {
    assert.equal(herd.r.stdout.startsWith("Usage:"), apache.r.stdout.startsWith("Usage:"), what);
  }
  assert.equal(herd.r.stderr, apache.r.stderr, what);
}

Deno.test({
  name: "zk-cleanup = PurgeTxnLog: what is removed and what is printed",
  ignore: gate.ignore,
}, async () => {
  gate.check();
  const one = (dir: string) => layout(dir, [...SNAPS, ...LOGS, "acceptedEpoch"]);
  await sameAsApache((d) => [d, "-n", "3"], one);
  await sameAsApache((d) => [`${d}//`, "-n", "4"], one);
  await sameAsApache((d) => [d, "-n", "7"], one);
  // Fewer sealed snapshots than N: the oldest still bounds the logs.
  await sameAsApache(
    (d) => [d, "-n", "3"],
    (d) => layout(d, ["snapshot.20", "snapshot.30", "snapshot.40", ...LOGS], ["snapshot.40"]),
  );
  // Separate dirs, as dataLogDir and dataDir.
  await sameAsApache((d) => [d, `${d}/snaps`, "-n", "3"], async (d) => {
    await layout(d, LOGS);
    await layout(`${d}/snaps`, SNAPS);
  });
});

Deno.test({ name: "zk-cleanup = PurgeTxnLog: bad arguments", ignore: gate.ignore }, async () => {
  gate.check();
  const one = (dir: string) => layout(dir, [...SNAPS, ...LOGS]);
  for (
    const args of [
      (d: string) => [d, "-n", "2"],
      (d: string) => [d, "-n", "three"],
      (d: string) => [`${d}/missing`, "-n", "3"],
      (d: string) => [d, "-x", "3"],
      (d: string) => [d],
    ]
  ) {
    await sameAsApache(args, one);
  }
});
