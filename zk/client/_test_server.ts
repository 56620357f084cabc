/**
 * Test helper: starts a standalone ZooKeeper on a free loopback port in a temp directory.
 * HERD_ZK_TARGET picks the implementation: `herd` (default: tools/zk-server; `both` also means
 * herd here) or `apache` (Apache ZooKeeper from the Debian package's jars). When Apache's java or jars are missing
 * the tests are skipped with the reason printed, except under CI=true where they fail.
 */
import { join } from "node:path";

/** A running test server. */
export interface TestServer {
  connectString: string;
  port: number;
  dir: string;
  /** Kills the server and removes its directory. */
  stop(): Promise<void>;
}

/** Which server implementation the tests run against. */
export type TestTarget = "apache" | "herd";

const JAR_DIR = "/usr/share/java";
const JARS = [
  "zookeeper.jar",
  "zookeeper-jute.jar",
  "slf4j-api.jar",
  "slf4j-log4j12.jar",
  "log4j-1.2.jar",
];
const HERD_MAIN = new URL("../../tools/zk-server/main.ts", import.meta.url).pathname;

/** The target named by HERD_ZK_TARGET. */
export function testTarget(): TestTarget {
  const t = Deno.env.get("HERD_ZK_TARGET") ?? "herd";
  if (t === "both") return "herd";
  if (t !== "apache" && t !== "herd") {
    throw new Error(`HERD_ZK_TARGET must be herd, apache or both`);
  }
  return t;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function findJava(): string | null {
  const home = Deno.env.get("JAVA_HOME");
  if (home && exists(join(home, "bin", "java"))) return join(home, "bin", "java");
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir && exists(join(dir, "java"))) return join(dir, "java");
  }
  return null;
}

/** Why the target server cannot be started here, or null if it can. */
export function missingServer(): string | null {
  if (testTarget() === "herd") {
    return exists(HERD_MAIN) ? null : `herd server entry ${HERD_MAIN} not found`;
  }
  if (findJava() === null) return "java not found (set JAVA_HOME or PATH)";
  const missing = JARS.filter((j) => !exists(join(JAR_DIR, j)));
  return missing.length ? `ZooKeeper jars missing in ${JAR_DIR}: ${missing.join(", ")}` : null;
}

/** Set when server tests should be skipped (never under CI=true: there they fail). */
export const skipReason: string | null = Deno.env.get("CI") === "true" ? null : missingServer();

async function freePort(): Promise<number> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return await Promise.resolve(port);
}

/** Sends a four-letter word and returns the whole answer (giving up after `timeoutMs`). */
export async function fourLetter(port: number, word: string, timeoutMs = 5000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  // A port taken by something else must not hang the caller.
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    await conn.write(new TextEncoder().encode(word));
    const decoder = new TextDecoder();
    const buf = new Uint8Array(4096);
    let text = "";
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += decoder.decode(buf.subarray(0, n), { stream: true });
    }
    return text + decoder.decode();
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // closed by the server
    }
  }
}

function command(target: TestTarget, dir: string, cfg: string): Deno.Command {
  if (target === "herd") {
    return new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", HERD_MAIN, "start-foreground", cfg],
      stdout: "piped",
      stderr: "piped",
    });
  }
  const java = findJava();
  if (java === null) throw new Error(missingServer() ?? "java not found");
  return new Deno.Command(java, {
    args: [
      `-Dlog4j.configuration=file:${join(dir, "log4j.properties")}`,
      "-Dzookeeper.jmx.log4j.disable=true",
      "-Xmx256m",
      "-cp",
      JARS.map((j) => join(JAR_DIR, j)).join(":"),
      "org.apache.zookeeper.server.ZooKeeperServerMain",
      cfg,
    ],
    stdout: "piped",
    stderr: "piped",
  });
}

/** Starts a fresh server and waits until it serves (`srvr` answers with its version). */
export async function startTestServer(): Promise<TestServer> {
  const reason = missingServer();
  if (reason !== null) throw new Error(`cannot start test server: ${reason}`);
  const target = testTarget();
  const dir = await Deno.makeTempDir({ prefix: "herd-zk-test-" });
  const port = await freePort();
  const cfg = join(dir, "zoo.cfg");
  await Deno.mkdir(join(dir, "data"));
  await Deno.writeTextFile(
    cfg,
    [
      "tickTime=2000",
      `dataDir=${join(dir, "data")}`,
      `clientPort=${port}`,
      "clientPortAddress=127.0.0.1",
      "admin.enableServer=false",
      "4lw.commands.whitelist=*",
      "extendedTypesEnabled=true",
      "",
    ].join("\n"),
  );
  await Deno.writeTextFile(
    join(dir, "log4j.properties"),
    [
      "log4j.rootLogger=INFO, F",
      "log4j.appender.F=org.apache.log4j.FileAppender",
      `log4j.appender.F.File=${join(dir, "server.log")}`,
      "log4j.appender.F.layout=org.apache.log4j.PatternLayout",
      "log4j.appender.F.layout.ConversionPattern=%d{ISO8601} [%t] %-5p %c{1} - %m%n",
      "",
    ].join("\n"),
  );
  const child = command(target, dir, cfg).spawn();
  const out = await Deno.open(join(dir, "server.stdout"), { write: true, create: true });
  const err = await Deno.open(join(dir, "server.stderr"), { write: true, create: true });
  const pipes = Promise.all([child.stdout.pipeTo(out.writable), child.stderr.pipeTo(err.writable)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    if (!exited) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    await status;
    await pipes.catch(() => {});
    if (!Deno.env.get("HERD_KEEP_TEST_DIRS")) await Deno.remove(dir, { recursive: true });
  };
  const deadline = Date.now() + 30000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`${target} ZooKeeper exited during startup (see ${dir})`);
    }
    try {
      // ruok answers before Apache serves sessions (its first client connection is then closed);
      // srvr answers "not currently serving requests" until it does.
      if ((await fourLetter(port, "srvr")).startsWith("Zookeeper version:")) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${target} ZooKeeper did not answer srvr on port ${port} within 30s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { connectString: `127.0.0.1:${port}`, port, dir, stop };
}

/**
 * Declares a test that gets its own fresh server, skipped (with the reason printed) when
 * the server cannot run here.
 */
export function serverTest(
  name: string,
  fn: (t: Deno.TestContext, server: TestServer) => Promise<void>,
): void {
  if (skipReason !== null) console.log(`skipping "${name}": ${skipReason}`);
  Deno.test({
    name,
    ignore: skipReason !== null,
    fn: async (t) => {
      const server = await startTestServer();
      try {
        await fn(t, server);
      } finally {
        await server.stop();
      }
    },
  });
}
