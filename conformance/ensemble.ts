/**
 * A pseudo-cluster of ZooKeeper servers on 127.0.0.1 with distinct ports (as
 * `conformance/reference/zookeeper/05-zkserver-status-and-cluster.transcript` ran one), each with
 * its own zoo.cfg, dataDir and myid. The transcript's `server:` steps start and stop the nodes; the
 * order they start in decides who leads, so the steps spell it out.
 *
 * @module
 */
import { fourLetterWord, freePort, type ServerProcess, waitFor } from "./_process.ts";
import { type Deployment, LOG4J_PROPERTIES, spawnServer, zooCfg } from "./deploy.ts";
import type { ServerSpec } from "./transcript.ts";

interface Node {
  id: number;
  dir: string;
  cfg: string;
  dataDir: string;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
  observer: boolean;
  proc?: ServerProcess;
}

function writeNodeCfg(node: Node, nodes: Node[], spec: ServerSpec): Promise<void> {
  const base: Record<string, string> = {
    tickTime: "2000",
    initLimit: "10",
    syncLimit: "5",
    dataDir: node.dataDir,
    clientPort: String(node.clientPort),
    clientPortAddress: "127.0.0.1",
    "admin.enableServer": "false",
  };
  const extra: Record<string, string> = { ...spec.cfg };
  if (node.observer) extra.peerType = "observer";
  for (const n of nodes) {
    extra[`server.${n.id}`] = `127.0.0.1:${n.quorumPort}:${n.electionPort}` +
      (n.observer ? ":observer" : "");
  }
  return Deno.writeTextFile(node.cfg, zooCfg(base, extra));
}

/**
 * An ensemble of `spec.nodes` Apache servers, none started yet.
 *
 * @example
 * ```ts
 * const d = await ensemble({ kind: "ensemble", cfg: {}, jvmFlags: [], nodes: 3 });
 * await d.control("start", 3);
 * await d.close();
 * ```
 */
export async function ensemble(spec: ServerSpec): Promise<Deployment> {
  const root = await Deno.makeTempDir({ prefix: "herd-conformance-ensemble-" });
  const nodes: Node[] = [];
  const used = new Set<number>();
  const port = () => {
    let p = freePort();
    while (used.has(p)) p = freePort();
    used.add(p);
    return p;
  };
  for (let id = 1; id <= spec.nodes; id++) {
    const dir = `${root}/n${id}`;
    const dataDir = `${dir}/data`;
    await Deno.mkdir(dataDir, { recursive: true });
    await Deno.writeTextFile(`${dataDir}/myid`, `${id}\n`);
    await Deno.writeTextFile(`${dir}/log4j.properties`, LOG4J_PROPERTIES);
    nodes.push({
      id,
      dir,
      dataDir,
      cfg: `${dir}/zoo.cfg`,
      clientPort: port(),
      quorumPort: port(),
      electionPort: port(),
      observer: false,
    });
  }
  for (const n of nodes) await writeNodeCfg(n, nodes, spec);
  let earlier = "";
  const pick = (node?: number) => node === undefined ? nodes : nodes.filter((n) => n.id === node);

  const start = async (n: Node) => {
    if (n.proc) return;
    n.proc = spawnServer("apache", n.dir, n.cfg, spec.jvmFlags);
    const proc = n.proc;
    // A node answers ruok as soon as its client port is up, before any election.
    await waitFor(
      async () => (await fourLetterWord("127.0.0.1", n.clientPort, "ruok", 1_000)) === "imok",
      `ensemble node ${n.id}`,
      60_000,
      () => proc.status && `exited with code ${proc.status.code}\n${proc.output().slice(-3000)}`,
    );
  };
  const stop = async (n: Node) => {
    if (!n.proc) return;
    await n.proc.stop();
    earlier += n.proc.output();
    n.proc = undefined;
  };

  const vars: Record<string, string> = {
    server: nodes.map((n) => `127.0.0.1:${n.clientPort}`).join(","),
    host: "127.0.0.1",
    port: String(nodes[0].clientPort),
  };
  for (const n of nodes) {
    vars[`n${n.id}.port`] = String(n.clientPort);
    vars[`n${n.id}.host`] = "127.0.0.1";
    vars[`n${n.id}.cfg`] = n.cfg;
    vars[`n${n.id}.dataDir`] = n.dataDir;
  }
  return {
    impl: "apache",
    vars,
    log: () => earlier + nodes.map((n) => n.proc?.output() ?? "").join(""),
    control: async (action, node) => {
      if (action === "start") {
        for (const n of pick(node)) await start(n);
      } else if (action === "stop") {
        await Promise.all(pick(node).map(stop));
      } else {
        // Make a node an observer as the reference did: `peerType=observer` in its own zoo.cfg
        // and `:observer` on its server.N line everywhere. Takes effect on the next start.
        for (const n of pick(node)) n.observer = true;
        for (const n of nodes) await writeNodeCfg(n, nodes, spec);
      }
    },
    close: async () => {
      await Promise.all(nodes.map(stop));
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}
