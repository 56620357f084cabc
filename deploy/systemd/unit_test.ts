/**
 * herd-zookeeper.service: the keys a service needs (as the seed's kafka.service has them), an
 * ExecStart that names what `deno task compile` builds and a command zk-server has, and an
 * environment the server reads without a complaint. `systemd-analyze verify` checks the rest
 * where it is installed (it needs no running systemd).
 */
import assert from "node:assert/strict";
import { readLogSettings } from "../../zk/server/log_settings.ts";

const unitPath = new URL("./herd-zookeeper.service", import.meta.url);
const unitText = await Deno.readTextFile(unitPath);

/** Section → key → values (a key may repeat, as Environment= does). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf("=");
    assert.ok(current && eq > 0, `a key=value line inside a section: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

/** systemd's word splitting for Environment=: whitespace-separated, double quotes group. */
function words(value: string): string[] {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

const unit = parseUnit(unitText);
const service = unit.get("Service")!;
const one = (key: string) => {
  const v = service.get(key);
  assert.equal(v?.length, 1, `[Service] ${key}= once`);
  return v![0];
};

Deno.test("systemd unit: a simple service, restarted, stopped by SIGTERM", () => {
  assert.deepEqual([...unit.keys()], ["Unit", "Service", "Install"]);
  assert.ok(unit.get("Unit")!.get("Description")?.[0]);
  assert.deepEqual(unit.get("Unit")!.get("After"), ["network.target"]);
  assert.equal(one("Type"), "simple", "the server stays in the foreground: start-foreground");
  assert.equal(one("Restart"), "always");
  assert.match(one("RestartSec"), /^\d+$/);
  assert.equal(one("KillSignal"), "SIGTERM");
  assert.equal(service.get("ExecStop"), undefined, "no second signal on top of KillSignal");
  assert.deepEqual(unit.get("Install")!.get("WantedBy"), ["multi-user.target"]);
});

Deno.test("systemd unit: ExecStart runs what deno task compile builds, in the foreground", async () => {
  const [exe, command, cfg, ...rest] = one("ExecStart").split(/\s+/);
  assert.deepEqual(rest, []);
  assert.equal(command, "start-foreground");
  assert.match(cfg, /^\/.*\/zoo\.cfg$/);
  const tasks = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)))
    .tasks as Record<string, string>;
  const built = /-o (dist\/herd-zk-server) tools\/zk-server\/main\.ts/.exec(tasks.compile);
  assert.ok(built, "the compile task builds dist/herd-zk-server from tools/zk-server/main.ts");
  assert.ok(exe.endsWith(`/${built[1]}`), `${exe} is the installed ${built[1]}`);
  const main = await Deno.readTextFile(new URL("../../tools/zk-server/main.ts", import.meta.url));
  assert.match(main, /case "start-foreground":/);
});

Deno.test("systemd unit: the log settings it passes are ones the server reads, without a warning", () => {
  const env: Record<string, string> = { USER: one("User") };
  for (const v of service.get("Environment") ?? []) {
    for (const w of words(v)) env[w.slice(0, w.indexOf("="))] = w.slice(w.indexOf("=") + 1);
  }
  const s = readLogSettings((k) => env[k], "host");
  assert.deepEqual(s.warnings, []);
  assert.equal(s.rollingFile, "INFO");
  assert.equal(s.console, null);
  assert.equal(s.file, `/var/log/${one("LogsDirectory")}/zookeeper-zookeeper-server-host.log`);
  assert.equal(s.maxFileSize, 256 * 1024 * 1024);
  assert.equal(s.maxBackupIndex, 20);
});

Deno.test("systemd unit: systemd-analyze verify finds nothing to say", async () => {
  let ok = false;
  try {
    ok = (await new Deno.Command("systemd-analyze", { args: ["--version"], stdout: "null" })
      .output()).success;
  } catch { /* not installed */ }
  if (!ok) {
    console.log("skipped: systemd-analyze is not installed");
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "herd-unit-" });
  try {
    // verify checks that ExecStart is executable; the real binary is installed only on a host.
    const exe = `${dir}/herd-zk-server`;
    await Deno.writeTextFile(exe, "#!/bin/sh\n", { mode: 0o755 });
    const [installed] = one("ExecStart").split(/\s+/);
    await Deno.writeTextFile(
      `${dir}/herd-zookeeper.service`,
      unitText.replaceAll(installed, exe),
    );
    const r = await new Deno.Command("systemd-analyze", {
      args: ["verify", `${dir}/herd-zookeeper.service`],
    }).output();
    const said = new TextDecoder().decode(r.stderr) + new TextDecoder().decode(r.stdout);
    assert.equal(r.code, 0, said);
    assert.equal(said, "", "no unknown key, bad value or missing program");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
