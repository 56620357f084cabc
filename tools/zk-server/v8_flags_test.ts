import assert from "node:assert/strict";
import { SERVER_V8_FLAGS, v8FlagsArg } from "./v8_flags.ts";
import { foregroundCommand } from "./daemon.ts";

Deno.test("the server's V8 flags are on every command line that starts it", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)))
    .tasks as Record<string, string>;
  for (const name of ["start", "zk-server", "compile"]) {
    assert.ok(tasks[name].includes(`${v8FlagsArg()} `), `deno task ${name}: ${tasks[name]}`);
  }
  // `zk-server start` under `deno run` re-runs this script in the background with them.
  const cmd = foregroundCommand("/etc/zookeeper/zoo.cfg");
  assert.ok(cmd.includes(v8FlagsArg()), cmd.join(" "));
  const bench = await Deno.readTextFile(new URL("../../bench/targets.ts", import.meta.url));
  assert.match(bench, /"run", "-A", v8FlagsArg\(\), HERD_MAIN/);
});

Deno.test("V8 knows every flag the server passes", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", v8FlagsArg(), "console.log('ran')"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "ran", stderr);
  for (const f of SERVER_V8_FLAGS) assert.ok(!stderr.includes(f), `V8 complained: ${stderr}`);
});
