import assert from "node:assert/strict";
import { SERVER_RUN_PERMISSIONS, SERVER_V8_FLAGS } from "./runtime_flags.ts";
import { foregroundCommand } from "./daemon.ts";

const config = JSON.parse(
  await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
) as { tasks: Record<string, string> };

Deno.test("every task that runs or compiles the server passes the server's V8 flags", () => {
  for (const task of ["start", "zk-server", "compile"]) {
    const line = config.tasks[task];
    const server = line.split("&&").find((part) => part.includes("tools/zk-server/main.ts"));
    assert.ok(server, `task ${task} runs tools/zk-server/main.ts`);
    assert.ok(server.includes(` ${SERVER_V8_FLAGS} `), `task ${task} lacks ${SERVER_V8_FLAGS}`);
  }
});

Deno.test("zk-server start runs the child with the permissions and V8 flags of the tasks", () => {
  const [exec, run, ...rest] = foregroundCommand("/etc/zoo.cfg");
  assert.equal(exec, Deno.execPath());
  assert.equal(run, "run");
  assert.deepEqual(rest.slice(0, SERVER_RUN_PERMISSIONS.length + 1), [
    ...SERVER_RUN_PERMISSIONS,
    SERVER_V8_FLAGS,
  ]);
  assert.deepEqual(rest.slice(-2), ["start-foreground", "/etc/zoo.cfg"]);
  const zkServerTask = config.tasks["zk-server"];
  for (const p of SERVER_RUN_PERMISSIONS) assert.ok(zkServerTask.includes(p), p);
});
