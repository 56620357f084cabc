/**
 * herd-kafka.service: the seed's kafka.service keys (simple, restart, SIGTERM), an ExecStart that
 * runs what `deno task compile` builds with a server.properties, and `systemd-analyze verify`
 * where it is installed.
 */
import assert from "node:assert/strict";

const unitText = await Deno.readTextFile(new URL("./herd-kafka.service", import.meta.url));

function keys(section: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let inside = false;
  for (const raw of unitText.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      inside = header[1] === section;
      continue;
    }
    if (!inside) continue;
    const eq = line.indexOf("=");
    out.set(line.slice(0, eq), [...(out.get(line.slice(0, eq)) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

Deno.test("kafka systemd unit: simple, restarted after the session timeout, SIGTERM", async () => {
  const s = keys("Service");
  assert.deepEqual(s.get("Type"), ["simple"]);
  assert.deepEqual(s.get("Restart"), ["always"]);
  assert.ok(Number(s.get("RestartSec")![0]) > 18, "outlasts zookeeper.session.timeout.ms's 18 s");
  assert.deepEqual(s.get("KillSignal"), ["SIGTERM"]);
  assert.equal(s.get("ExecStop"), undefined);
  const [exe, props, ...rest] = s.get("ExecStart")![0].split(/\s+/);
  assert.deepEqual(rest, []);
  assert.match(props, /^\/.*server\.properties$/);
  const tasks = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)))
    .tasks as Record<string, string>;
  const built = /-o (dist\/herd-kafka-server) tools\/kafka-server\/main\.ts/.exec(tasks.compile);
  assert.ok(built, "the compile task builds dist/herd-kafka-server");
  assert.ok(exe.endsWith(`/${built[1]}`));
  assert.deepEqual(keys("Install").get("WantedBy"), ["multi-user.target"]);
});

Deno.test("kafka systemd unit: systemd-analyze verify finds nothing to say", async () => {
  let ok = false;
  try {
    ok = (await new Deno.Command("systemd-analyze", { args: ["--version"], stdout: "null" })
      .output()).success;
  } catch { /* not installed */ }
  if (!ok) {
    console.log("skipped: systemd-analyze is not installed");
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "herd-kafka-unit-" });
  try {
    const exe = `${dir}/herd-kafka-server`;
    await Deno.writeTextFile(exe, "#!/bin/sh\n", { mode: 0o755 });
    const [installed] = keys("Service").get("ExecStart")![0].split(/\s+/);
    await Deno.writeTextFile(`${dir}/herd-kafka.service`, unitText.replaceAll(installed, exe));
    const r = await new Deno.Command("systemd-analyze", {
      args: ["verify", `${dir}/herd-kafka.service`],
    }).output();
    const said = new TextDecoder().decode(r.stderr) + new TextDecoder().decode(r.stdout);
    assert.equal(r.code, 0, said);
    assert.equal(said, "", "no unknown key, bad value or missing program");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
