/**
 * Servers for one transcript run: a fresh standalone herd or Apache ZooKeeper in its own temp
 * dir, a temp dir with a zoo.cfg for transcripts that start the server themselves, or someone
 * else's server at a given address.
 *
 * @module
 */
import { fourLetterWord, freePort, ServerProcess, waitFor } from "./_process.ts";
import type { ServerSpec } from "./transcript.ts";
import { APACHE_JARS, HERD_ZK_SERVER } from "./tools.ts";

/** Which implementation answers: picks per-target expectations. */
export type Impl = "herd" | "apache" | "external";

/** The servers a transcript runs against, however they were provided. */
export interface Deployment {
  impl: Impl;
  /** Values for `{{server}}`, `{{port}}`, `{{cfg}}`, `{{n1.port}}` … */
  vars: Record<string, string>;
  /** The server log so far (all nodes), or undefined when the suite cannot see it. */
  log(): string | undefined;
  /** `server: start|stop|observer [nN]` steps. */
  control(action: "start" | "stop" | "observer", node?: number): Promise<void>;
  /** Stop whatever the suite started and remove its files. */
  close(): Promise<void>;
}

// Apache 3.8's layout (DECISIONS.md), so log steps compare the same text on both servers.
export const LOG4J_PROPERTIES = `log4j.rootLogger=INFO, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n
`;

const READY_MS = 60_000;

/** zoo.cfg text: the suite's defaults, then the transcript's keys. */
export function zooCfg(base: Record<string, string>, extra: Record<string, string>): string {
  return Object.entries({ ...base, ...extra }).map(([k, v]) => `${k}=${v}\n`).join("");
}

/** Start a server process of `impl` on `cfgPath` (`main` is Apache's main class). */
export function spawnServer(
  impl: "herd" | "apache",
  dir: string,
  cfgPath: string,
  jvmFlags: string[],
  main = "org.apache.zookeeper.server.quorum.QuorumPeerMain",
): ServerProcess {
  if (impl === "herd") {
    const env: Record<string, string> = {};
    if (jvmFlags.length > 0) env.SERVER_JVMFLAGS = jvmFlags.join(" ");
    return new ServerProcess(
      Deno.execPath(),
      ["run", "-A", HERD_ZK_SERVER, "start-foreground", cfgPath],
      { cwd: dir, env },
    );
  }
  // The dir goes first on the classpath so log4j finds the suite's log4j.properties there.
  const cp = [dir, ...APACHE_JARS].join(":");
  return new ServerProcess(
    "java",
    ["-Xmx256m", "-XX:+UseSerialGC", "-cp", cp, ...jvmFlags, main, cfgPath],
    { cwd: dir },
  );
}

/** Resolves once `srvr` shows a Mode; throws with the server's output if it dies or stalls. */
export async function serving(proc: ServerProcess, port: number, what: string): Promise<void> {
  await waitFor(
    async () => (await fourLetterWord("127.0.0.1", port, "srvr", 1_000)).includes("Mode: "),
    what,
    READY_MS,
    () => proc.status && `exited with code ${proc.status.code}\n${proc.output().slice(-3000)}`,
  );
}

/**
 * A fresh standalone server of `impl` for one transcript.
 *
 * @example
 * ```ts
 * const d = await standalone("herd", { kind: "standalone", cfg: {}, jvmFlags: [], nodes: 1 });
 * await d.close();
 * ```
 */
export async function standalone(impl: "herd" | "apache", spec: ServerSpec): Promise<Deployment> {
  // A port picked free can be taken before the server binds it when runs overlap: retry anew.
  for (let attempt = 1;; attempt++) {
    try {
      return await standaloneOnce(impl, spec);
    } catch (e) {
      const inUse = /Address already in use|EADDRINUSE|AddrInUse|BindException/i
        .test((e as Error).message);
      if (!inUse || attempt === 3) throw e;
    }
  }
}

async function standaloneOnce(impl: "herd" | "apache", spec: ServerSpec): Promise<Deployment> {
  const dir = await Deno.makeTempDir({ prefix: `herd-conformance-${impl}-` });
  const vars = await writeConfig(dir, spec);
  if (impl === "apache") await Deno.writeTextFile(`${dir}/log4j.properties`, LOG4J_PROPERTIES);
  const port = Number(vars.port);
  let earlier = "";
  let proc: ServerProcess | undefined;
  const start = async () => {
    proc = spawnServer(impl, dir, vars.cfg, spec.jvmFlags);
    await serving(proc, port, `${impl} server on ${vars.server}`);
  };
  const stop = async () => {
    if (!proc) return;
    await proc.stop();
    earlier += proc.output();
    proc = undefined;
  };
  try {
    await start();
  } catch (e) {
    await stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
  return {
    impl,
    vars,
    log: () => earlier + (proc?.output() ?? ""),
    control: (action) => action === "stop" ? stop() : start(),
    close: async () => {
      await stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

async function writeConfig(dir: string, spec: ServerSpec): Promise<Record<string, string>> {
  const dataDir = `${dir}/data`;
  await Deno.mkdir(dataDir);
  const port = freePort();
  const cfg = `${dir}/zoo.cfg`;
  const base = {
    tickTime: "2000",
    dataDir,
    clientPort: String(port),
    clientPortAddress: "127.0.0.1",
    "admin.enableServer": "false",
  };
  await Deno.writeTextFile(cfg, zooCfg(base, spec.cfg));
  const host = "127.0.0.1";
  return {
    server: `${host}:${port}`,
    host,
    port: String(port),
    cfg,
    dataDir,
    dataLogDir: spec.cfg.dataLogDir ?? dataDir,
  };
}

/**
 * A temp dir and zoo.cfg for a transcript whose steps start the server (`zkServer.sh start`);
 * closing stops a server the steps left running (by its pid file) and removes the dir.
 */
export async function scripted(impl: "herd" | "apache", spec: ServerSpec): Promise<Deployment> {
  const dir = await Deno.makeTempDir({ prefix: `herd-conformance-${impl}-script-` });
  const vars = await writeConfig(dir, spec);
  return {
    impl,
    vars,
    log: () => undefined,
    control: () => Promise.reject(new Error("this transcript's steps start the server")),
    close: async () => {
      const pid = Number(
        await Deno.readTextFile(`${vars.dataDir}/zookeeper_server.pid`).catch(() => ""),
      );
      if (pid > 0) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Someone else's server(s) at `connect` (`host:port[,host:port…]`). */
export function external(connect: string): Deployment {
  const [host, port] = connect.split(",")[0].split(":");
  return {
    impl: "external",
    vars: { server: connect, host, port: port ?? "2181" },
    log: () => undefined,
    control: () => Promise.reject(new Error("the suite does not control an external server")),
    close: () => Promise.resolve(),
  };
}
