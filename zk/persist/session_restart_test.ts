/**
 * Sessions survive a server restart: recovered from the snapshot and log, a client that comes back
 * with its session id and password keeps its ephemerals (Apache derives the password from the id),
 * and a session whose owner does not return expires and its ephemerals go.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ZkClient } from "../client/mod.ts";
import { CreateMode } from "../jute/opcodes.ts";

const main = fileURLToPath(new URL("../../tools/zk-server/main.ts", import.meta.url));

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Starts the server and waits until it listens. A server that exits first fails the test with
 * its output; one still not listening after 60 s (a loaded CI machine) is killed.
 */
async function start(cfg: string, port: number): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "start-foreground", cfg],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const decoder = new TextDecoder();
  const drain = async (s: ReadableStream<Uint8Array>) => {
    for await (const c of s) out += decoder.decode(c, { stream: true });
  };
  void drain(child.stdout);
  void drain(child.stderr);
  let exited = false;
  child.status.then(() => (exited = true));
  for (const until = Date.now() + 60_000; Date.now() < until && !exited;) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (!exited) child.kill("SIGKILL");
  await child.status;
  throw new Error(`server did not start${exited ? " (it exited)" : ""}; its output:\n${out}`);
}

Deno.test("sessions come back after SIGKILL: the owner resumes, an abandoned one expires", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-sessions-" });
  const cfg = `${dir}/zoo.cfg`;
  const port = freePort();
  await Deno.writeTextFile(
    cfg,
    `tickTime=500\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
      `admin.enableServer=false\n`,
  );
  let server = await start(cfg, port);
  const conn = `127.0.0.1:${port}`;
  try {
    const keeper = await ZkClient.connect(conn, { sessionTimeout: 5000 });
    const leaver = await ZkClient.connect(conn, { sessionTimeout: 2000 });
    await keeper.create("/kept", "k", { mode: CreateMode.EPHEMERAL });
    await leaver.create("/left", "l", { mode: CreateMode.EPHEMERAL });
    const id = keeper.sessionId;
    const password = keeper.sessionPassword;
    server.kill("SIGKILL");
    await server.status;
    // Both clients stop trying: only the id and password remain, as after a client restart.
    await Promise.allSettled([keeper.close(), leaver.close()]);
    server = await start(cfg, port);
    const observer = await ZkClient.connect(conn, { sessionTimeout: 5000 });
    assert.ok(await observer.exists("/kept"), "ephemeral recovered with its session");
    assert.ok(
      await observer.exists("/left"),
      "the other session's ephemeral too, until it expires",
    );
    const resumed = await ZkClient.connect(conn, { sessionTimeout: 5000, sessionId: id, password });
    assert.equal(resumed.sessionId, id);
    const deadline = Date.now() + 8000;
    while (await observer.exists("/left") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(await observer.exists("/left"), null, "the abandoned session expired");
    assert.ok(await observer.exists("/kept"), "the resumed session keeps its ephemeral");
    await resumed.close();
    assert.equal(await observer.exists("/kept"), null, "closing the resumed session removes it");
    await observer.close();
  } finally {
    try {
      server.kill("SIGKILL");
    } catch { /* gone */ }
    await server.status;
    await Deno.remove(dir, { recursive: true });
  }
});
