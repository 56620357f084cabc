// The seed's 集群 (cluster) scenario on three herd servers, each `zk-server start-foreground`
// with its own zoo.cfg and myid on 127.0.0.12/.13/.14 (same ports): they start and one leads
// (`zk-server status` says Mode: leader on one, follower on two); kazoo writes and reads with the
// hosts list; kill -9 of the leader elects another and the kazoo session carries on writing;
// the old leader restarts, rejoins as follower and holds every acknowledged write; with two of
// three stopped, the last one refuses clients. Skipped with the reason printed when kazoo is
// missing; failing under CI=true.
import assert from "node:assert/strict";
import { needs, PYTHON } from "../interop/_needs.ts";
import { ROOT } from "../../tools/_launch_test_util.ts";
import { type ServerProcess, spawnZkServer } from "../../tools/zk-server/_server_process.ts";
import { ZkClient } from "../client/mod.ts";
import { fourLetter, freePorts, HOSTS, until, zooCfg } from "./_apache_ensemble.ts";

const SCRIPT = new URL("./_herd_ensemble_clients.py", import.meta.url).pathname;
const gate = needs("herd", ["kazoo"], "the seed's cluster scenario on three herd servers");

Deno.test({
  name: "[herd] three herd servers: one leads, survives a leader kill, refuses without quorum",
  ignore: gate.ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: cluster,
});

/** Runs the kazoo script; resolves with its JSON. */
async function kazoo(args: string[]): Promise<Record<string, unknown>> {
  const out = await new Deno.Command(PYTHON, {
    args: [SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `kazoo ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr).slice(-3000)}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

async function zkServerStatus(cfg: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}tools/zk-server/main.ts`, "status", cfg],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

async function srvr(host: string, port: number): Promise<string> {
  try {
    return await fourLetter(host, port, "srvr");
  } catch {
    return "";
  }
}

/** The acked children as one server sees them after a sync. */
async function ackedOn(addr: string): Promise<Set<string>> {
  const zk = await ZkClient.connect(addr, { sessionTimeout: 10_000, connectTimeout: 10_000 });
  try {
    await zk.sync("/");
    if ((await zk.exists("/acked")) === null) return new Set(); // kazoo has not made it yet
    return new Set(await zk.getChildren("/acked"));
  } finally {
    await zk.close().catch(() => {});
  }
}

async function cluster(): Promise<void> {
  gate.check();
  const dir = await Deno.makeTempDir({ prefix: "herd-cluster-" });
  const port = freePorts();
  const clientPort = port + 2;
  const servers: (ServerProcess | null)[] = [null, null, null];
  const cfgs: string[] = [];
  const logs = () =>
    servers.map((s, i) => `--- herd ${i + 1}\n${s?.output().slice(-6000) ?? "(stopped)"}`)
      .join("\n");
  const stopFile = `${dir}/stop-writes`;
  let writes: Promise<Record<string, unknown>> | null = null;
  const start = async (i: number) => {
    servers[i] = await spawnZkServer(["start-foreground", cfgs[i]]);
  };
  const kill = async (i: number) => {
    const s = servers[i];
    servers[i] = null;
    if (s === null) return;
    try {
      s.child.kill("SIGKILL");
    } catch { /* gone */ }
    await s.exited;
  };
  const modes = () => Promise.all(HOSTS.map((h) => srvr(h, clientPort)));
  const modeOf = (out: string) => /Mode: (\w+)/.exec(out)?.[1] ?? "";
  try {
    for (let i = 0; i < 3; i++) {
      const data = `${dir}/herd${i + 1}/data`;
      await Deno.mkdir(data, { recursive: true });
      await Deno.writeTextFile(`${data}/myid`, `${i + 1}\n`);
      cfgs.push(`${dir}/herd${i + 1}/zoo.cfg`);
      await Deno.writeTextFile(
        cfgs[i],
        zooCfg(port, data, i + 1, []) + "4lw.commands.whitelist=*\n",
      );
    }
    for (let i = 0; i < 3; i++) await start(i);
    await until(
      "one leader and two followers",
      async () => {
        const m = (await modes()).map(modeOf).sort();
        return m.join(",") === "follower,follower,leader";
      },
      60_000,
      logs,
    );
    const statuses = await Promise.all(cfgs.map(zkServerStatus));
    const leader = statuses.findIndex((s) => s.includes("Mode: leader"));
    assert.notEqual(leader, -1, statuses.join("\n"));
    assert.equal(statuses.filter((s) => s.includes("Mode: follower")).length, 2, statuses.join());
    const mntr = await fourLetter(HOSTS[leader], clientPort, "mntr");
    assert.match(mntr, /^zk_synced_followers\t2$/m);

    // kazoo on each server, then one session on the hosts list writing throughout.
    await Promise.all(
      HOSTS.map((h, i) => kazoo(["basic", `${h}:${clientPort}`, `/basic${i + 1}`])),
    );
    const hostsList = HOSTS.map((h) => `${h}:${clientPort}`).join(",");
    writes = kazoo(["writes", hostsList, stopFile]);
    const someFollower = HOSTS[(leader + 1) % 3];
    await until(
      "kazoo writing",
      async () => (await ackedOn(`${someFollower}:${clientPort}`)).size >= 30,
      60_000,
      logs,
    );

    // kill -9 of the leader: another leads, the writes go on.
    const killedAt = performance.now();
    await kill(leader);
    let elected = -1;
    await until(
      "a new leader",
      async () => {
        const m = (await modes()).map(modeOf);
        elected = m.indexOf("leader");
        return elected !== -1 && elected !== leader;
      },
      60_000,
      logs,
    );
    const electionMs = Math.round(performance.now() - killedAt);
    const before = (await ackedOn(`${HOSTS[elected]}:${clientPort}`)).size;
    await until(
      "writes after the kill",
      async () => (await ackedOn(`${HOSTS[elected]}:${clientPort}`)).size >= before + 30,
      60_000,
      logs,
    );

    // The old leader comes back as a follower.
    await start(leader);
    await until(
      "the old leader following",
      async () => modeOf(await srvr(HOSTS[leader], clientPort)) === "follower",
      60_000,
      logs,
    );
    await Deno.writeTextFile(stopFile, "");
    const result = await writes;
    writes = null;
    const acked = result.acked as string[];
    assert.deepEqual(result.missing, []);
    assert.equal(result.sameSession, true, JSON.stringify(result.states));
    const onOld = await ackedOn(`${HOSTS[leader]}:${clientPort}`);
    assert.deepEqual(acked.filter((a) => !onOld.has(a)), [], "acked writes lost on the old leader");
    console.log(
      `herd cluster: ${acked.length} acked writes, a new leader ${electionMs} ms after kill -9`,
    );

    // Two of three stopped: the last one refuses clients.
    const last = (leader + 1) % 3;
    for (let i = 0; i < 3; i++) if (i !== last) await kill(i);
    await until(
      "the last server not serving",
      async () => (await srvr(HOSTS[last], clientPort)).includes("not currently serving"),
      60_000,
      logs,
    );
    await assert.rejects(
      ZkClient.connect(`${HOSTS[last]}:${clientPort}`, {
        sessionTimeout: 4000,
        connectTimeout: 1500,
      }),
    );
  } finally {
    if (writes !== null) {
      await Deno.writeTextFile(stopFile, "");
      await writes.catch(() => {});
    }
    for (let i = 0; i < 3; i++) await kill(i);
    await Deno.remove(dir, { recursive: true });
  }
}
