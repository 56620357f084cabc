/**
 * A full disk stops the server at once, as Apache's "Severe unrecoverable error" does: one ERROR
 * line, exit 1, no half-alive server answering ruok while every write fails, and every create it
 * acknowledged is there when the files are started again elsewhere. The dataDir is a small tmpfs
 * (mounting one needs root, as CI runs; elsewhere the test says why it is skipped).
 */
import assert from "node:assert/strict";
import { ZkClient } from "../../zk/client/mod.ts";
import {
  exitCode,
  freePort,
  listening,
  spawnZkServer,
  waitFor,
  writeZooCfg,
} from "./_server_process.ts";

const TEST = { sanitizeOps: false, sanitizeResources: false };

async function run(cmd: string, ...args: string[]): Promise<{ ok: boolean; err: string }> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
    return { ok: r.success, err: new TextDecoder().decode(r.stderr).trim() };
  } catch (e) {
    return { ok: false, err: (e as Error).message };
  }
}

Deno.test(
  { name: "a full disk: one ERROR line, exit 1, nothing acknowledged lost", ...TEST },
  async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "herd-disk-full-" });
    const small = `${dir}/small`;
    await Deno.mkdir(small);
    const mounted = await run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", small);
    try {
      if (!mounted.ok) {
        const why = `cannot mount a small tmpfs here (${mounted.err}): needs root`;
        if (Deno.env.get("CI") === "true") assert.fail(why);
        console.log(`skipped: ${why}`);
        return;
      }
      const port = freePort();
      const cfg = await writeZooCfg(dir, port, small, "preAllocSize=64\n");
      const p = await spawnZkServer(["start-foreground", cfg]);
      await waitFor(() => listening(port), "the server to listen");
      const acked: string[] = [];
      await t.step("writes until the disk is full", async () => {
        const zk = await ZkClient.connect(`127.0.0.1:${port}`, { sessionTimeout: 30000 });
        const data = new Uint8Array(2000).fill(0x62);
        let failed = false;
        for (let i = 0; !failed && i < 100_000; i += 20) {
          const batch = [];
          for (let j = i; j < i + 20; j++) {
            const path = `/n${String(j).padStart(6, "0")}`;
            batch.push(
              zk.create(path, data).then(() => void acked.push(path), () => {
                failed = true;
              }),
            );
          }
          await Promise.all(batch);
        }
        assert.ok(failed, "some create failed");
        await zk.close().catch(() => {});
      });
      assert.ok(acked.length > 100, `only ${acked.length} creates acknowledged`);
      assert.equal(await exitCode(p), 1, "the server exits at once");
      const out = p.output();
      assert.ok(!/Uncaught|\n\s+at /.test(out), `a stack trace in:\n${out}`);
      const errors = out.split("\n").filter((l) => / - ERROR /.test(l));
      assert.equal(errors.length, 1, out);
      assert.match(
        errors[0],
        /Severe unrecoverable error, from thread : SyncThread:0, exiting abnormally: No space left on device.*log\./,
      );
      await t.step("every acknowledged create is there on restart", async () => {
        const copy = `${dir}/copy`;
        await Deno.mkdir(`${copy}/version-2`, { recursive: true });
        for (const e of Deno.readDirSync(`${small}/version-2`)) {
          await Deno.copyFile(`${small}/version-2/${e.name}`, `${copy}/version-2/${e.name}`);
        }
        const port2 = freePort();
        const cfg2 = await writeZooCfg(`${dir}`, port2, copy);
        const again = await spawnZkServer(["start-foreground", cfg2]);
        try {
          await waitFor(() => listening(port2), "the restarted server to listen");
          const zk = await ZkClient.connect(`127.0.0.1:${port2}`);
          const present = new Set(await zk.getChildren("/"));
          await zk.close();
          const lost = acked.filter((p) => !present.has(p.slice(1)));
          assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged creates lost`);
        } finally {
          again.child.kill("SIGTERM");
          await again.exited;
        }
      });
    } finally {
      if (mounted.ok) await run("umount", small);
      await Deno.remove(dir, { recursive: true });
    }
  },
);
