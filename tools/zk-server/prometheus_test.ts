/**
 * `zk-server start-foreground` with Apache's PrometheusMetricsProvider settings serves /metrics
 * on metricsProvider.httpHost:httpPort, and a zoo.cfg asking for security herd lacks is refused
 * before any port is bound. Run with the permissions of the `zk-server` task.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { freePort, taskFlags } from "./_server_process.ts";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
// The zk-server task's own flags (deno.json), not -A: what users run it with.
const TASK_FLAGS = await taskFlags();
const PROMETHEUS = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider";

function server(cfg: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...TASK_FLAGS, main, "start-foreground", cfg],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads stdout until a line matches (or the process ends), returning what was read. */
async function readUntil(p: Deno.ChildProcess, want: RegExp): Promise<string> {
  const reader = p.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (!want.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    reader.releaseLock();
  }
  return text;
}

Deno.test("metricsProvider.httpPort serves Prometheus text at /metrics, as Apache does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-prometheus-" });
  const port = freePort();
  const metricsPort = freePort();
  await Deno.writeTextFile(
    `${dir}/zoo.cfg`,
    `dataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
      `admin.enableServer=false\n4lw.commands.whitelist=mntr\nmetricsProvider.className=${PROMETHEUS}\n` +
      `metricsProvider.httpHost=127.0.0.1\nmetricsProvider.httpPort=${metricsPort}\n`,
  );
  const p = server(`${dir}/zoo.cfg`);
  try {
    const log = await readUntil(p, /binding to port/);
    assert.match(
      log,
      new RegExp(
        `INFO  \\[main:PrometheusMetricsProvider@129\\] - Starting /metrics HTTP endpoint at ` +
          `host: 127\\.0\\.0\\.1, port: ${metricsPort}, exportJvmInfo: true`,
      ),
    );
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    assert.match(text, /^# TYPE znode_count gauge\nznode_count 5\.0$/m);
    assert.match(text, /^# TYPE fsynctime summary$/m);
    assert.match(text, /^process_resident_memory_bytes \d\.\d+E\d+$/m);
    assert.match(text, /^process_start_time_seconds \d\.\d+E9$/m);
    // Under the task's own flags the file descriptor counts are real, not left out.
    assert.match(text, /^process_open_fds [1-9]\d*\.0$/m);
    assert.match(text, /^process_max_fds [1-9]\d*\.0$/m);
    assert.match(text, /^process_virtual_memory_bytes \d\.\d+E\d+$/m);
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    await c.write(new TextEncoder().encode("mntr"));
    const mntr = new TextDecoder().decode(await new Response(c.readable).arrayBuffer());
    assert.match(mntr, /^zk_open_file_descriptor_count\t[1-9]\d*$/m);
    assert.match(mntr, /^zk_max_file_descriptor_count\t[1-9]\d*$/m);
    // Apache maps only /metrics; Jetty answers 404 elsewhere.
    const root = await fetch(`http://127.0.0.1:${metricsPort}/`);
    assert.equal(root.status, 404);
    await root.body?.cancel();
  } finally {
    p.kill("SIGTERM");
    await p.status;
    await p.stderr.cancel();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a zoo.cfg asking for TLS or SASL is refused at start, naming the line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-secure-" });
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/zoo.cfg`,
    `dataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
      "admin.enableServer=false\n" +
      "authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\n",
  );
  try {
    const p = server(`${dir}/zoo.cfg`);
    const [status, out, err] = await Promise.all([
      p.status,
      new Response(p.stdout).text(),
      new Response(p.stderr).text(),
    ]);
    assert.equal(status.code, 2);
    assert.match(
      out,
      new RegExp(
        `ERROR \\[main:ZooKeeperServerMain@\\d+\\] - Invalid config, exiting abnormally: ` +
          `${dir}/zoo\\.cfg line 5: authProvider\\.1: org\\.apache\\.zookeeper\\.server\\.auth\\.` +
          "SASLAuthenticationProvider asks for SASL",
      ),
    );
    assert.doesNotMatch(out, /binding to port/);
    assert.doesNotMatch(out + err, /Uncaught/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a taken metricsProvider.httpPort stops the start, exit 1, as Apache's does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-prometheus-taken-" });
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const metricsPort = (taken.addr as Deno.NetAddr).port;
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/zoo.cfg`,
    `dataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
      `admin.enableServer=false\n4lw.commands.whitelist=mntr\nmetricsProvider.className=${PROMETHEUS}\n` +
      `metricsProvider.httpHost=127.0.0.1\nmetricsProvider.httpPort=${metricsPort}\n`,
  );
  try {
    const p = server(`${dir}/zoo.cfg`);
    const [status, out, err] = await Promise.all([
      p.status,
      new Response(p.stdout).text(),
      new Response(p.stderr).text(),
    ]);
    assert.equal(status.code, 1);
    assert.match(
      out,
      new RegExp(
        `ERROR \\[main:PrometheusMetricsProvider@141\\] - Cannot start /metrics server on ` +
          `127\\.0\\.0\\.1:${metricsPort}: Address already in use`,
      ),
    );
    assert.doesNotMatch(out, /binding to port/);
    assert.doesNotMatch(out + err, /Uncaught/);
  } finally {
    taken.close();
    await Deno.remove(dir, { recursive: true });
  }
});
