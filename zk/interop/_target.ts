/**
 * Start a ZooKeeper server for the interop tests: herd's own
 * (`tools/zk-server/main.ts start-foreground`) or Apache ZooKeeper 3.8.0 from
 * Debian's jars. Each server gets a fresh temp dir with its own zoo.cfg,
 * dataDir and a free loopback port, so tests never share state by accident.
 *
 * @module
 */

import { fourLetterWord } from "./_fourletter.ts";

/** Which server implementation a test runs against. */
export type TargetKind = "herd" | "apache";

/** Options for {@linkcode startTarget}. */
export interface TargetOptions {
  /** Extra zoo.cfg lines (`key=value`), appended after the defaults. */
  extraCfg?: Record<string, string>;
  /**
   * `-D…` flags. Apache gets them on the java command line; herd gets them in
   * `SERVER_JVMFLAGS`, the way existing start scripts hand them over
   * (DECISIONS.md, "Configuration as Apache reads it").
   */
  jvmFlags?: string[];
}

/** A running server. */
export interface Target {
  kind: TargetKind;
  host: string;
  port: number;
  /** `127.0.0.1:PORT` */
  connectString: string;
  dataDir: string;
  /** The server's stdout and stderr captured so far. */
  logs(): string;
  /** Kill the server and remove its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const JAVA_DIR = "/usr/share/java";
/** Debian's zookeeper.jar names its other jars in its manifest Class-Path; we add a log binding. */
const APACHE_JARS = [
  "zookeeper.jar",
  "zookeeper-jute.jar",
  "slf4j-api.jar",
  "slf4j-log4j12.jar",
  "log4j-1.2.jar",
];

/** herd's server entry point, resolved from this file so the tests run from any cwd. */
export const HERD_MAIN = new URL("../../tools/zk-server/main.ts", import.meta.url).pathname;

const READY_TIMEOUT_MS = 30_000;

// 3.8's layout (DECISIONS.md: "Log lines use 3.8's layout").
const LOG4J_PROPERTIES = `log4j.rootLogger=INFO, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.Threshold=INFO
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n
`;

/**
 * The targets to run, from `HERD_ZK_TARGET` (`herd`, `apache` or `both`; default `herd`).
 *
 * @example
 * ```ts
 * for (const kind of targets()) Deno.test(`[${kind}] something`, () => {});
 * ```
 */
export function targets(): TargetKind[] {
  const value = (Deno.env.get("HERD_ZK_TARGET") ?? "herd").trim().toLowerCase();
  switch (value) {
    case "":
    case "herd":
      return ["herd"];
    case "apache":
      return ["apache"];
    case "both":
      return ["herd", "apache"];
    default:
      throw new Error(`HERD_ZK_TARGET=${value}: expected herd, apache or both`);
  }
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** zoo.cfg text for a standalone server; `extra` keys override the defaults. */
export function zooCfg(dataDir: string, port: number, extra: Record<string, string> = {}): string {
  const cfg: Record<string, string> = {
    tickTime: "2000",
    dataDir,
    clientPort: String(port),
    clientPortAddress: "127.0.0.1",
    "admin.enableServer": "false",
    "4lw.commands.whitelist": "*",
    ...extra,
  };
  return Object.entries(cfg).map(([k, v]) => `${k}=${v}\n`).join("");
}

function apacheCommand(dir: string, cfgPath: string, jvmFlags: string[]): Deno.Command {
  // The temp dir goes first on the classpath so log4j finds our log4j.properties.
  const cp = [dir, ...APACHE_JARS.map((j) => `${JAVA_DIR}/${j}`)].join(":");
  return new Deno.Command("java", {
    args: [
      "-Xmx256m",
      "-cp",
      cp,
      ...jvmFlags,
      "org.apache.zookeeper.server.ZooKeeperServerMain",
      cfgPath,
    ],
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

function herdCommand(dir: string, cfgPath: string, jvmFlags: string[]): Deno.Command {
  const env: Record<string, string> = {};
  if (jvmFlags.length > 0) env.SERVER_JVMFLAGS = jvmFlags.join(" ");
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", HERD_MAIN, "start-foreground", cfgPath],
    cwd: dir,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * Appends a stream's complete lines to `sink` (so stdout and stderr never
 * interleave inside a line); resolves when the stream ends.
 */
async function capture(stream: ReadableStream<Uint8Array>, sink: string[]): Promise<void> {
  const decoder = new TextDecoder();
  let partial = "";
  for await (const chunk of stream) {
    partial += decoder.decode(chunk, { stream: true });
    const end = partial.lastIndexOf("\n");
    if (end < 0) continue;
    sink.push(partial.slice(0, end + 1));
    partial = partial.slice(end + 1);
  }
  partial += decoder.decode();
  if (partial !== "") sink.push(`${partial}\n`);
}

/**
 * Start a server of `kind` on a free loopback port and wait until it serves (`srvr` answers
 * with its version).
 *
 * @example
 * ```ts
 * const t = await startTarget("apache");
 * try {
 *   console.log(t.connectString);
 * } finally {
 *   await t.stop();
 * }
 * ```
 */
export async function startTarget(kind: TargetKind, opts: TargetOptions = {}): Promise<Target> {
  // Picking a free port and then binding it is racy when test files run in
  // parallel; a bind failure gets a fresh port.
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(kind, opts);
    } catch (e) {
      lastError = e as Error;
      if (!(e instanceof PortInUse)) throw e;
    }
  }
  throw lastError;
}

class PortInUse extends Error {}

async function startOnce(kind: TargetKind, opts: TargetOptions): Promise<Target> {
  const dir = await Deno.makeTempDir({ prefix: `herd-interop-${kind}-` });
  const dataDir = `${dir}/data`;
  await Deno.mkdir(dataDir);
  const port = freePort();
  const cfgPath = `${dir}/zoo.cfg`;
  await Deno.writeTextFile(cfgPath, zooCfg(dataDir, port, opts.extraCfg));
  const jvmFlags = opts.jvmFlags ?? [];
  let command: Deno.Command;
  if (kind === "apache") {
    await Deno.writeTextFile(`${dir}/log4j.properties`, LOG4J_PROPERTIES);
    command = apacheCommand(dir, cfgPath, jvmFlags);
  } else {
    command = herdCommand(dir, cfgPath, jvmFlags);
  }

  const chunks: string[] = [];
  const child = command.spawn();
  const drained = Promise.all([capture(child.stdout, chunks), capture(child.stderr, chunks)]);
  let exited: Deno.CommandStatus | undefined;
  const status = child.status.then((s) => (exited = s));
  const logs = () => chunks.join("");

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exited === undefined) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 5_000);
      await status;
      clearTimeout(timer);
    }
    await drained;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (true) {
    if (exited !== undefined) {
      await stop();
      const log = logs();
      const message =
        `${kind} server exited with code ${exited.code} before answering srvr\n${log}`;
      if (/Address already in use|EADDRINUSE|AddrInUse/i.test(log)) throw new PortInUse(message);
      throw new Error(message);
    }
    // ruok answers before Apache serves sessions (it closes the first client connections until
    // then); srvr answers "not currently serving requests" until it does.
    const answer = await fourLetterWord(port, "srvr", 1_000).catch(() => "");
    if (answer.startsWith("Zookeeper version:")) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${kind} server did not answer srvr within ${READY_TIMEOUT_MS} ms\n${logs()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const host = "127.0.0.1";
  return { kind, host, port, connectString: `${host}:${port}`, dataDir, logs, stop };
}
