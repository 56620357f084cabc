/**
 * `deno compile` needs the internet for its runtime, so the offline proof of the single-file
 * artifact is `deno bundle`: the bundled server, built as the bundle task builds it and run with
 * the start task's flags, must start from a zoo.cfg, answer srvr, and take its background
 * snapshots in the bundled worker, with no `Uncaught` error and no fallback.
 */
import assert from "node:assert/strict";
import { ZkClient } from "../../zk/client/mod.ts";
import {
  fourLetters,
  freePort,
  ROOT,
  run,
  taskLine,
  waitForPort,
  zooCfg,
} from "../_launch_test_util.ts";

const deno = Deno.execPath();

/** The bundle task's `deno bundle` commands, writing into `dir` instead of dist/. */
async function bundleCommands(dir: string): Promise<string[][]> {
  return (await taskLine("bundle")).split("&&").map((part) =>
    part.trim().split(/\s+/).slice(1).map((w) => w.replace(/^dist\//, `${dir}/`))
  );
}

/** The start task's flags, for `deno run` of the bundle. */
async function startFlags(): Promise<string[]> {
  return (await taskLine("start")).split(/\s+/).filter((w) =>
    w.startsWith("--allow-") || w.startsWith("--v8-flags=")
  );
}

/** Builds the bundle into a temp dir, optionally drops its worker, runs it; its output. */
async function runBundle(withWorker: boolean): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "herd-bundle-" });
  try {
    for (const args of await bundleCommands(dir)) {
      const b = await run(deno, [args[0], "-q", ...args.slice(1)], { cwd: ROOT });
      assert.equal(b.code, 0, b.err);
    }
    if (!withWorker) await Deno.remove(`${dir}/snapshot_worker.ts`);
    const out = `${dir}/herd-zk-server.js`;
    const flags = await startFlags();
    const help = await run(deno, ["run", ...flags, out, "--help"]);
    assert.match(help.out, /Usage: zk-server/);
    const port = freePort();
    // A small snapCount: the log rolls, and the worker snapshots, every few writes.
    await Deno.writeTextFile(`${dir}/zoo.cfg`, zooCfg(port, `${dir}/data`, "snapCount=4\n"));
    const child = new Deno.Command(deno, {
      args: ["run", ...flags, out, "start-foreground", `${dir}/zoo.cfg`],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]).then(([o, e]) => o + e);
    try {
      assert.ok(await waitForPort(port, true), "the bundled server listens");
      assert.match(await fourLetters(port, "srvr"), /Mode: standalone/);
      const zk = await ZkClient.connect(`127.0.0.1:${port}`);
      for (let i = 0; i < 20; i++) await zk.create(`/n${i}`, "x");
      await zk.close();
      const snapshots = () =>
        [...Deno.readDirSync(`${dir}/data/version-2`)].filter((e) => e.name.startsWith("snapshot."))
          .length;
      // snapshot.0 at start, then at least one from the worker (a roll while one is being
      // taken skips its own, as Apache's "Too busy to snap").
      for (let i = 0; i < 100 && snapshots() < 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(snapshots() >= 2, "a background snapshot was taken");
    } finally {
      child.kill("SIGTERM");
      await child.status;
    }
    return await output;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the bundled zk-server runs from a zoo.cfg and snapshots in its worker", async () => {
  const text = await runBundle(true);
  assert.match(text, /Snapshotting: /);
  assert.doesNotMatch(text, /Uncaught/);
  assert.doesNotMatch(text, /Snapshot worker failed/, "the bundle carries its worker");
});

Deno.test("a bundle copied without its worker snapshots in the server thread, quietly", async () => {
  const text = await runBundle(false);
  assert.match(text, /Snapshotting: /);
  assert.doesNotMatch(text, /Uncaught/);
  const warns = text.split("\n").filter((l) => /Snapshot worker failed/.test(l));
  assert.equal(warns.length, 1, text);
  assert.match(warns[0], /WARN .*no snapshot worker module at .*snapshot_worker\.ts/);
});
