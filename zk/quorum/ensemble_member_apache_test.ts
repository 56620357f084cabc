// `zk-server start-foreground` as a member of an Apache ZooKeeper 3.8.0 ensemble, serving real
// clients (issue 16, mixed-ensemble steps 1 and 2):
// - observer: herd is sid 4 (`server.4=…:observer`, `peerType=observer`) of three Apache voters;
// - follower: herd is sid 1, a voter beside two Apache servers (it never leads: lowest sid).
// Each run: zkCli.sh and kazoo on herd create, set, read and delete; watches fire; an ephemeral
// goes with its session, and one whose client died expires (the leader decides, from herd's
// touches, which also keep an idle session alive); writes made on Apache are read from herd; `zk-server status`, srvr and
// mntr say the Mode. Then the Apache leader is killed: herd follows the new leader and a kazoo
// session on herd carries on writing. As a follower, herd and one Apache server are then all the
// voters left, so every write after the kill was committed with herd's ACK.
// Skipped with the reason printed when java, the jars, zkCli.sh or kazoo are missing; failing
// under CI=true.
import assert from "node:assert/strict";
import { needs, PYTHON } from "../interop/_needs.ts";
import { zkCliBatch } from "../interop/_zkcli.ts";
import { ROOT } from "../../tools/_launch_test_util.ts";
import { type ServerProcess, spawnZkServer } from "../../tools/zk-server/_server_process.ts";
import {
  type Apache,
  fourLetter,
  freePorts,
  HOSTS,
  startApache,
  until,
  zooCfg,
} from "./_apache_ensemble.ts";

const SCRIPT = new URL("./_ensemble_clients.py", import.meta.url).pathname;
const gate = needs(
  "apache",
  ["java", "apache-jars", "kazoo", "zkcli"],
  "herd serving clients as a member of an Apache 3.8.0 ensemble",
);

type Role = "observer" | "follower";

for (const role of ["observer", "follower"] as const) {
  Deno.test({
    name: `[apache] herd as ${role} of an Apache 3.8.0 ensemble serves zkCli.sh and kazoo`,
    ignore: gate.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: () => member(role),
  });
}

async function python(args: string[]): Promise<Record<string, unknown>> {
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

async function member(role: Role): Promise<void> {
  gate.check();
  const dir = await Deno.makeTempDir({ prefix: `herd-${role}-ensemble-` });
  const port = freePorts();
  const observer = role === "observer";
  const herdSid = observer ? 4 : 1;
  const herdHost = observer ? "127.0.0.15" : HOSTS[0];
  const extra = observer ? [`server.4=${herdHost}:${port + 1}:${port}:observer`] : [];
  const apacheSids = observer ? [1, 2, 3] : [2, 3];
  const apaches: Apache[] = [];
  let herd: ServerProcess | null = null;
  const logs = () =>
    apaches.map((a) => `--- apache ${a.sid}\n${a.log()}`).join("\n") +
    `\n--- herd ${herdSid}\n${herd?.output() ?? ""}`;
  let steady: Promise<Record<string, unknown>> | null = null;
  const stopFile = `${dir}/stop-steady`;
  try {
    for (const sid of apacheSids) apaches.push(await startApache(dir, port, sid, extra));
    await until(
      "an Apache leader",
      () => apaches.some((a) => a.log().includes("Peer state changed: leading - broadcast")),
      90_000,
      logs,
    );
    const herdData = `${dir}/herd/data`;
    await Deno.mkdir(herdData, { recursive: true });
    await Deno.writeTextFile(`${herdData}/myid`, `${herdSid}\n`);
    const cfg = `${dir}/herd/zoo.cfg`;
    await Deno.writeTextFile(
      cfg,
      zooCfg(port, herdData, 1, extra).replace(
        /clientPortAddress=.*\n/,
        `clientPortAddress=${herdHost}\n`,
      ) + (observer ? "peerType=observer\n" : "") + "4lw.commands.whitelist=*\n",
    );
    const t0 = performance.now();
    herd = await spawnZkServer(["start-foreground", cfg]);
    const clientPort = port + 2;
    const herdAddr = `${herdHost}:${clientPort}`;
    await until(
      "herd serving",
      async () => (await srvr(herdHost, clientPort)).includes(`Mode: ${role}`),
      60_000,
      logs,
    );
    const joinMs = performance.now() - t0;

    // `zk-server status`, srvr and mntr say what herd is.
    assert.match(await zkServerStatus(cfg), new RegExp(`^Mode: ${role}$`, "m"));
    assert.match(await srvr(herdHost, clientPort), new RegExp(`^Mode: ${role}$`, "m"));
    const verb = observer ? "observing" : "following";
    assert.match(
      await fourLetter(herdHost, clientPort, "mntr"),
      new RegExp(`^zk_server_state\\t${role}\nzk_peer_state\\t${verb} - broadcast\n`, "m"),
    );

    // kazoo: writes, reads, watches, ephemerals and Apache's writes, through herd.
    const leader0 = apaches.find((a) => a.log().includes("leading - broadcast"))!;
    const other = apaches.find((a) => a !== leader0)!;
    const basic = await python(["basic", herdAddr, `${other.host}:${other.clientPort}`]);
    // Sessions made through herd carry herd's sid in their top byte, as Apache's do.
    assert.equal(BigInt(basic.session as string) >> 56n, BigInt(herdSid));
    assert.deepEqual(basic.children, ["a", "zookeeper"]);

    // Sessions live on through herd's touches and expire at the leader when their client dies.
    const sessions = await python(["sessions", herdAddr, `${other.host}:${other.clientPort}`]);
    // A 4 s session: expired in 4–8 s (tick buckets), not while herd still touched it.
    assert(Number(sessions.expiredAfter) >= 3, JSON.stringify(sessions));

    // zkCli.sh against herd.
    const cli = await zkCliBatch(
      herdAddr,
      "create /cli hello\nget /cli\nset /cli bye\nget /cli\nls /\ndelete /cli\nls /\nquit\n",
    );
    const text = cli.lines.join("\n");
    for (const want of ["Created /cli", "hello", "bye", "[a, cli, zookeeper]", "[a, zookeeper]"]) {
      assert(text.includes(want), `zkCli.sh output lacks ${want}:\n${text}`);
    }

    // A kazoo session on herd writes on while the Apache leader is killed.
    steady = python(["steady", herdAddr, stopFile]);
    const steadyValue = async () => {
      try {
        const out = await new Deno.Command(PYTHON, {
          args: [
            "-c",
            "import sys\nfrom kazoo.client import KazooClient\n" +
            `zk = KazooClient(hosts="${other.host}:${other.clientPort}"); zk.start(15)\n` +
            'zk.sync("/steady"); print(int(zk.get("/steady")[0] or b"0")); zk.stop()',
          ],
          stdout: "piped",
          stderr: "null",
        }).output();
        return Number(new TextDecoder().decode(out.stdout).trim() || "0");
      } catch {
        return 0;
      }
    };
    await until("steady writes through herd", async () => await steadyValue() >= 20, 60_000, logs);
    const broadcast = observer ? "observing - broadcast" : "following - broadcast";
    const syncedBefore = herd.output().split(broadcast).length - 1;
    const killedAt = performance.now();
    await leader0.kill();
    await until(
      "herd following the new leader",
      () => herd!.output().split(broadcast).length - 1 > syncedBefore,
      90_000,
      logs,
    );
    const rejoinMs = performance.now() - killedAt;
    const afterKill = await steadyValue();
    await until(
      "steady writes after the leader kill",
      async () => await steadyValue() >= afterKill + 20,
      60_000,
      logs,
    );
    await Deno.writeTextFile(stopFile, "");
    const result = await steady;
    steady = null;
    assert.equal(result.sameSession, true, JSON.stringify(result));
    assert.equal(result.final, String(result.writes), JSON.stringify(result));
    assert(!(result.states as string[]).includes("LOST"), JSON.stringify(result));
    const newLeader = apaches.find((a) =>
      a !== leader0 && a.log().includes("Peer state changed: leading - broadcast")
    );
    assert(newLeader, "no Apache server took over");
    if (!observer) {
      // herd and the new leader are the only voters left: herd's ACKs made every write count.
      assert.match(newLeader.log(), /Follower sid: 1 : info : 127\.0\.0\.12:\d+:\d+:participant/);
    }
    // herd never led, and warned only of losing the old leader.
    const herdLog = herd.output();
    assert(!/Peer state changed: leading|cannot lead/.test(herdLog), "herd was elected");
    assert.deepEqual(herdLog.split("\n").filter((l) => / ERROR /.test(l)), []);
    console.log(
      `herd as ${role}: serving ${joinMs.toFixed(0)} ms after start; following the new leader ` +
        `${rejoinMs.toFixed(0)} ms after the leader's kill; ${result.writes} writes by one ` +
        `kazoo session through it (states ${(result.states as string[]).join(",")}); a dead ` +
        `client's 4 s session expired after ${sessions.expiredAfter} s`,
    );
  } finally {
    const dump = Deno.env.get("HERD_ENSEMBLE_LOGS");
    if (dump) await Deno.writeTextFile(dump, logs());
    await Deno.writeTextFile(stopFile, "").catch(() => {});
    await steady?.catch(() => {});
    if (herd) {
      herd.child.kill("SIGTERM");
      await herd.exited;
    }
    await Promise.all(apaches.map((a) => a.kill()));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
