// Issue 16 step 3 through the tool: `zk-server start-foreground` as sid 3 (the highest) of an
// ensemble whose other two voters are Apache ZooKeeper 3.8.0. herd starts first, so the first
// election picks it; Apache's followers sync from it. kazoo writes and reads through each of the
// three servers, then one session on the hosts list writes while every acknowledged write is
// checked on both Apache followers. Skipped with the reason printed when java, the jars or kazoo
// are missing; failing under CI=true.
import assert from "node:assert/strict";
import { needs, PYTHON } from "../interop/_needs.ts";
import { type ServerProcess, spawnZkServer } from "../../tools/zk-server/_server_process.ts";
import { ZkClient } from "../client/mod.ts";
import {
  type Apache,
  fourLetter,
  freePorts,
  HOSTS,
  startApache,
  until,
  zooCfg,
} from "./_apache_ensemble.ts";

const SCRIPT = new URL("./_herd_ensemble_clients.py", import.meta.url).pathname;
const gate = needs(
  "apache",
  ["java", "apache-jars", "kazoo"],
  "herd leading two Apache 3.8.0 followers",
);

Deno.test({
  name: "[apache] herd (sid 3) leads two Apache 3.8.0 followers with kazoo on all three",
  ignore: gate.ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: leadsApache,
});

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

async function srvr(host: string, port: number): Promise<string> {
  try {
    return await fourLetter(host, port, "srvr");
  } catch {
    return "";
  }
}

async function ackedOn(addr: string): Promise<Set<string>> {
  const zk = await ZkClient.connect(addr, { sessionTimeout: 10_000, connectTimeout: 10_000 });
  try {
    await zk.sync("/");
    if ((await zk.exists("/acked")) === null) return new Set();
    return new Set(await zk.getChildren("/acked"));
  } finally {
    await zk.close().catch(() => {});
  }
}

async function leadsApache(): Promise<void> {
  gate.check();
  const dir = await Deno.makeTempDir({ prefix: "herd-leads-apache-" });
  const port = freePorts();
  const clientPort = port + 2;
  const apaches: Apache[] = [];
  let herd: ServerProcess | null = null;
  const stopFile = `${dir}/stop-writes`;
  let writes: Promise<Record<string, unknown>> | null = null;
  const logs = () =>
    apaches.map((a) => `--- apache ${a.sid}\n${a.log().slice(-6000)}`).join("\n") +
    `\n--- herd 3\n${herd?.output().slice(-6000) ?? ""}`;
  try {
    const data = `${dir}/herd/data`;
    await Deno.mkdir(data, { recursive: true });
    await Deno.writeTextFile(`${data}/myid`, "3\n");
    const cfg = `${dir}/herd/zoo.cfg`;
    await Deno.writeTextFile(cfg, zooCfg(port, data, 3, []) + "4lw.commands.whitelist=*\n");
    herd = await spawnZkServer(["start-foreground", cfg]);
    for (const sid of [1, 2]) apaches.push(await startApache(dir, port, sid, []));
    await until(
      "herd leading",
      async () => (await srvr(HOSTS[2], clientPort)).includes("Mode: leader"),
      90_000,
      logs,
    );
    for (const a of apaches) {
      await until(
        `Apache ${a.sid} following`,
        async () => (await srvr(a.host, clientPort)).includes("Mode: follower"),
        90_000,
        logs,
      );
    }
    assert.match(await fourLetter(HOSTS[2], clientPort, "mntr"), /^zk_synced_followers\t2$/m);

    await Promise.all(
      HOSTS.map((h, i) => kazoo(["basic", `${h}:${clientPort}`, `/basic${i + 1}`])),
    );
    const hostsList = HOSTS.map((h) => `${h}:${clientPort}`).join(",");
    writes = kazoo(["writes", hostsList, stopFile]);
    await until(
      "kazoo writing",
      async () => (await ackedOn(`${HOSTS[2]}:${clientPort}`)).size >= 50,
      60_000,
      logs,
    );
    await Deno.writeTextFile(stopFile, "");
    const result = await writes;
    writes = null;
    assert.deepEqual(result.missing, []);
    const acked = result.acked as string[];
    for (const a of apaches) {
      const seen = await ackedOn(`${a.host}:${clientPort}`);
      assert.deepEqual(acked.filter((n) => !seen.has(n)), [], `acked writes missing on ${a.sid}`);
    }
    console.log(`herd leading Apache: ${acked.length} acked writes on both Apache followers`);
  } finally {
    if (writes !== null) {
      await Deno.writeTextFile(stopFile, "");
      await writes.catch(() => {});
    }
    for (const a of apaches) await a.kill();
    if (herd !== null) {
      try {
        herd.child.kill("SIGKILL");
      } catch { /* gone */ }
      await herd.exited;
    }
    await Deno.remove(dir, { recursive: true });
  }
}
