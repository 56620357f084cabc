/**
 * A server started by a deno.json task stops when its launcher is stopped: SIGTERM to `deno task`,
 * `deno task` killed outright, and the README's `npx -y deno@2.9.6 task …` sent SIGTERM (npx does
 * not pass it on). Each test signals the outermost process and waits for the port to close.
 */
import assert from "node:assert/strict";
import { isNpm, launchChain } from "./launcher_watch.ts";
import {
  DENO_JSON,
  freePort,
  portOpen,
  userShellEnv,
  waitForPort,
  zooCfg,
} from "../_launch_test_util.ts";

const TEST = { sanitizeOps: false, sanitizeResources: false };

Deno.test("the launch chain runs up to npm's own process, or is just the parent", () => {
  const table = new Map([
    [40, { ppid: 30, args: "/usr/bin/deno run … tools/zk-server/main.ts start-foreground" }],
    [30, { ppid: 20, args: "deno task start" }],
    [20, { ppid: 10, args: "sh -c 'deno' task start" }],
    [10, { ppid: 5, args: "npm exec deno@2.9.6 task start" }],
    [5, { ppid: 1, args: "-bash" }],
    [31, { ppid: 5, args: "deno task start" }],
  ]);
  assert.deepEqual(launchChain(30, table).map((l) => l.pid), [30, 20, 10]);
  assert.deepEqual(launchChain(31, table), [{ pid: 31, args: "deno task start" }]);
  assert.deepEqual(launchChain(99, table), [{ pid: 99, args: "" }], "an unknown parent");
  assert.ok(isNpm("node /usr/lib/node_modules/npm/bin/npx-cli.js -y deno@2.9.6 task start"));
  assert.ok(isNpm("npm run dev"));
  assert.ok(!isNpm("node server.js npm"));
  assert.ok(!isNpm("/home/me/npm-tools/deploy"));
});

interface Launched {
  child: Deno.ChildProcess;
  output: Promise<string>;
}

/** Start `cmd` in a process group of its own (killed whole at the end), in `cwd`. */
function launch(cmd: string, args: string[], cwd: string): Launched {
  const child = new Deno.Command(cmd, {
    args,
    cwd,
    env: userShellEnv(cwd),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()])
    .then(([o, e]) => o + e);
  return { child, output };
}

/** Kill whatever is left of the group: the test must not leave a server behind when it fails. */
async function cleanUp(l: Launched): Promise<void> {
  try {
    Deno.kill(-l.child.pid, "SIGKILL");
  } catch { /* the group is gone */ }
  await l.child.status;
  await l.output;
}

/**
 * Start, wait until it serves on every one of `ports`, send `signal` to the outermost process,
 * wait for the ports to close.
 */
async function stopsWhenLauncherDoes(
  cmd: string,
  args: string[],
  ports: number | number[],
  signal: Deno.Signal,
  cwd: string,
): Promise<string> {
  const l = launch(cmd, args, cwd);
  const all = typeof ports === "number" ? [ports] : ports;
  try {
    for (const port of all) {
      const up = await Promise.race([
        waitForPort(port, true, 60_000),
        l.child.status.then(() => false),
      ]);
      assert.ok(up, `nothing serves on ${port}: ${up || await l.output}`);
    }
    l.child.kill(signal);
    for (const port of all) {
      assert.ok(
        await waitForPort(port, false, 20_000),
        `port ${port} still serves after its launcher went`,
      );
    }
    return "";
  } finally {
    await cleanUp(l);
  }
}

async function userDir(port: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "herd-launcher-" });
  await Deno.writeTextFile(`${dir}/zoo.cfg`, zooCfg(port, "data"));
  return dir;
}

const taskArgs = ["task", "--config", DENO_JSON, "zk-server", "start-foreground", "./zoo.cfg"];

for (const signal of ["SIGTERM", "SIGKILL"] as const) {
  Deno.test(
    { name: `deno task zk-server start-foreground, ${signal} to deno task`, ...TEST },
    async () => {
      const port = freePort();
      const dir = await userDir(port);
      try {
        // `./zoo.cfg` relative to where deno task was run, not to the checkout.
        await stopsWhenLauncherDoes(Deno.execPath(), taskArgs, port, signal, dir);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
}

Deno.test(
  { name: "deno task start (ZooKeeper and Kafka), SIGTERM to deno task", ...TEST },
  async (t) => {
    // The README's task serves on 127.0.0.1:2181 and :9092, which someone else may hold on a
    // shared machine.
    for (const port of [2181, 9092]) {
      if (await portOpen(port)) {
        console.log(`skipped: 127.0.0.1:${port} is in use, and the start task serves there`);
        return;
      }
    }
    const dir = await Deno.makeTempDir({ prefix: "herd-launcher-" });
    try {
      await stopsWhenLauncherDoes(
        Deno.execPath(),
        ["task", "--config", DENO_JSON, "start"],
        [2181, 9092],
        "SIGTERM",
        dir,
      );
      await t.step("its data is under ./data/zk where the task was run", async () => {
        assert.ok((await Deno.stat(`${dir}/data/zk/version-2`)).isDirectory);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

async function hasNpx(): Promise<boolean> {
  try {
    return (await new Deno.Command("npx", { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

Deno.test({ name: "npx -y deno@2.9.6 task …, SIGTERM to npx", ...TEST }, async () => {
  if (!(await hasNpx())) {
    if (Deno.env.get("CI") === "true") assert.fail("npx is not installed (the README's launcher)");
    console.log("skipped: npx is not installed");
    return;
  }
  const port = freePort();
  const dir = await userDir(port);
  try {
    await stopsWhenLauncherDoes("npx", ["-y", "deno@2.9.6", ...taskArgs], port, "SIGTERM", dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
