/**
 * How systemd (deploy/systemd/herd-zookeeper.service) and `zk-server stop` end the server: SIGTERM.
 * A clean close: the process exits 0 on its own, frees its port, and the next start recovers every
 * acknowledged write with nothing to repair in the txn log. (Apache's JVM exits 143 on SIGTERM and
 * logs nothing; herd exits 0, so systemd records a stop, not a failure, without SuccessExitStatus.)
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ZkClient } from "../../zk/client/mod.ts";
import { freePort, taskFlags } from "./_server_process.ts";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
// The zk-server task's own flags (deno.json), not -A: what users run it with.
const TASK_FLAGS = await taskFlags();
const TEST = { sanitizeOps: false, sanitizeResources: false };

function spawn(cfg: string): { child: Deno.ChildProcess; output: Promise<Deno.CommandOutput> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...TASK_FLAGS, main, "start-foreground", cfg],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return { child, output: child.output() };
}

async function connect(port: number): Promise<ZkClient> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await ZkClient.connect(`127.0.0.1:${port}`, {
        sessionTimeout: 4000,
        connectTimeout: 2000,
      });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test({
  name: "SIGTERM closes cleanly: exit 0, nothing acknowledged lost, nothing to repair",
  ...TEST,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-sigterm-" });
  const port = freePort();
  const cfg = `${dir}/zoo.cfg`;
  await Deno.writeTextFile(
    cfg,
    `tickTime=2000\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
      "admin.enableServer=false\n",
  );
  let server = spawn(cfg);
  try {
    const zk = await connect(port);
    await zk.create("/acked", "");
    // Writers keep going while the signal lands, so some requests are in flight when it does.
    const acked: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const path = `/acked/w${w}-${i}`;
        try {
          await zk.create(path, "x".repeat(100));
          acked.push(path);
        } catch {
          return; // the server went away: this one was never acknowledged
        }
      }
    });
    const deadline = Date.now() + 60_000;
    while (acked.length < 300) {
      assert.ok(Date.now() < deadline, `only ${acked.length} creates acknowledged in 60 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    server.child.kill("SIGTERM");
    const ended = await server.output;
    stop = true;
    await Promise.all(writers);
    await zk.close().catch(() => {});
    assert.equal(ended.code, 0, `exit code after SIGTERM\n${text(ended.stderr)}`);
    assert.doesNotMatch(text(ended.stdout) + text(ended.stderr), /Uncaught|ERROR/);

    // The port is free again at once, and the restart finds every acknowledged write.
    server = spawn(cfg);
    const again = await connect(port);
    const children = new Set(await again.getChildren("/acked"));
    const lost = acked.filter((p) => !children.has(p.slice("/acked/".length)));
    assert.deepEqual(lost, [], `${acked.length} acknowledged, ${lost.length} lost`);
    await again.close();
    server.child.kill("SIGTERM");
    const second = await server.output;
    assert.equal(second.code, 0);
    // A crash can leave a torn txn to cut or a file to remove; a clean close leaves neither.
    assert.doesNotMatch(text(second.stdout), /WARN .*FileTxnSnapLog|torn|cut the tail/);
    assert.match(text(second.stdout), /Snapshot loaded in \d+ ms, highest zxid is 0x[0-9a-f]+/);
  } finally {
    try {
      server.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await server.output.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
