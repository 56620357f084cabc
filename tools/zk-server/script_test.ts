/**
 * zk-server start / status / stop / restart as processes, printing what Debian's zkServer.sh
 * 3.8.0 prints (the conformance suite compares them with Apache's script line by line).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const TEST = { sanitizeOps: false, sanitizeResources: false };

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function zkServer(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", main, ...args] })
    .output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

Deno.test({ name: "start, status, restart and stop a background server", ...TEST }, async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-zk-server-" });
  const cfg = `${dir}/zoo.cfg`;
  const port = freePort();
  await Deno.writeTextFile(
    cfg,
    `tickTime=2000\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
      "admin.enableServer=false\n",
  );
  const header = `ZooKeeper JMX enabled by default\nUsing config: ${cfg}\n`;
  const found = `Client port found: ${port}. Client address: 127.0.0.1. Client SSL: false.\n`;
  try {
    const started = await zkServer("start", cfg);
    assert.deepEqual(started, { code: 0, out: "Starting zookeeper ... STARTED\n", err: header });
    const pid = await Deno.readTextFile(`${dir}/data/zookeeper_server.pid`);
    assert.match(pid, /^\d+$/, "the pid file holds the pid and no newline");

    const again = await zkServer("start", cfg);
    assert.equal(again.code, 1);
    assert.equal(again.out, `Starting zookeeper ... already running as process ${pid}.\n`);

    let up = await zkServer("status", cfg);
    for (let i = 0; i < 50 && up.code !== 0; i++) up = await zkServer("status", cfg);
    assert.deepEqual(up, { code: 0, out: `${found}Mode: standalone\n`, err: header });

    const restarted = await zkServer("restart", cfg);
    assert.equal(restarted.out, "Stopping zookeeper ... STOPPED\nStarting zookeeper ... STARTED\n");
    assert.equal(restarted.err, header.repeat(3));
    assert.notEqual(await Deno.readTextFile(`${dir}/data/zookeeper_server.pid`), pid);

    assert.deepEqual(await zkServer("stop", cfg), {
      code: 0,
      out: "Stopping zookeeper ... STOPPED\n",
      err: header,
    });
    const down = await zkServer("status", cfg);
    assert.equal(down.code, 1);
    assert.equal(down.out, `${found}Error contacting service. It is probably not running.\n`);
    const none = await zkServer("stop", cfg);
    assert.equal(
      none.out,
      `Stopping zookeeper ... no zookeeper to stop (could not find file ${dir}/data/zookeeper_server.pid)\n`,
    );
    const out = await Deno.readTextFile(
      `${dir}/data/zookeeper-${Deno.env.get("USER") ?? ""}-server-${Deno.hostname()}.out`,
    );
    assert.match(out, /binding to port/, "the server's output goes to the .out file");
  } finally {
    await zkServer("stop", cfg);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("usage, version and print-cmd", async () => {
  const usage = await zkServer();
  assert.equal(usage.code, 0, "zkServer.sh exits 0 after its usage line");
  assert.match(
    usage.err,
    /\nUsage: zk-server \[--config <conf-dir>\] \{start\|start-foreground\|stop\|version\|restart\|status\|print-cmd\}\n$/,
  );
  assert.match((await zkServer("version")).out, /^Apache ZooKeeper, version 3\.8\.0\S* \d{4}-/);
  const cmd = await zkServer("print-cmd", "/tmp/herd-print-cmd/zoo.cfg");
  assert.match(
    cmd.out,
    /start-foreground "\/tmp\/herd-print-cmd\/zoo.cfg" > ".*\.out" 2>&1 < \/dev\/null\n$/,
  );
  await Deno.remove("/tmp/herd-print-cmd", { recursive: true }).catch(() => {});
});
