/**
 * `deno compile` needs the internet for its runtime, so the offline proof of the single-file
 * artifact is `deno bundle`: the bundled server must start from a zoo.cfg and answer srvr.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const deno = Deno.execPath();
const entry = fileURLToPath(new URL("./main.ts", import.meta.url));

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function srvr(port: number): Promise<string> {
  const c = await Deno.connect({ hostname: "127.0.0.1", port });
  await c.write(new TextEncoder().encode("srvr"));
  let out = "";
  const buf = new Uint8Array(4096);
  for (let n; (n = await c.read(buf)) !== null;) {
    out += new TextDecoder().decode(buf.subarray(0, n));
  }
  c.close();
  return out;
}

Deno.test("the bundled zk-server runs from a zoo.cfg and answers srvr", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-bundle-" });
  try {
    const out = `${dir}/herd-zk-server.js`;
    const b = await new Deno.Command(deno, { args: ["bundle", "-q", "-o", out, entry] }).output();
    assert.equal(b.code, 0, new TextDecoder().decode(b.stderr));
    const help = await new Deno.Command(deno, { args: ["run", "-A", out, "--help"] }).output();
    assert.match(new TextDecoder().decode(help.stdout), /Usage: zk-server/);
    const port = await freePort();
    await Deno.writeTextFile(
      `${dir}/zoo.cfg`,
      `tickTime=2000\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n`,
    );
    const child = new Deno.Command(deno, {
      args: ["run", "-A", out, "start-foreground", `${dir}/zoo.cfg`],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      let answer = "";
      for (let i = 0; i < 100 && !answer; i++) {
        try {
          answer = await srvr(port);
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      assert.match(answer, /Mode: standalone/);
    } finally {
      child.kill("SIGTERM");
      await child.status;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
