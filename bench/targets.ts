/**
 * The two servers under test, started one at a time as child processes from the same zoo.cfg in
 * a fresh temp dataDir each: herd's zk-server and Apache ZooKeeper 3.8.0 from Debian's package.
 */
import { v8FlagsArg } from "../tools/zk-server/v8_flags.ts";

/** Which server. */
export type TargetName = "herd" | "apache";

/** A running server. */
export interface Target {
  name: TargetName;
  port: number;
  pid: number;
  /** Resident memory of the server process (the whole JVM for Apache), in KiB. */
  rssKb(): Promise<number>;
  /** Stops the server and deletes its dataDir. */
  stop(): Promise<void>;
}

/** Debian's ZooKeeper jars without an slf4j binding: Apache's classes log nothing. */
export const APACHE_JARS = [
  "zookeeper",
  "zookeeper-jute",
  "slf4j-api",
  "netty-all",
  "commons-cli",
  "metrics-core",
  "snappy-java",
].map((j) => `/usr/share/java/${j}.jar`);

const APACHE_MAIN = "org.apache.zookeeper.server.ZooKeeperServerMain";
const HERD_MAIN = new URL("../tools/zk-server/main.ts", import.meta.url).pathname;

/** The zoo.cfg both servers run from. */
export function zooCfg(dataDir: string, port: number): string {
  return [
    "tickTime=2000",
    `dataDir=${dataDir}`,
    `clientPort=${port}`,
    "clientPortAddress=127.0.0.1",
    "maxClientCnxns=0",
    "admin.enableServer=false",
    "4lw.commands.whitelist=*",
    "",
  ].join("\n");
}

/** Why Apache cannot run here, or null when Java and the jars are present. */
export async function apacheMissing(): Promise<string | null> {
  for (const jar of APACHE_JARS) {
    try {
      await Deno.stat(jar);
    } catch {
      return `${jar} not found (install Debian's zookeeper package)`;
    }
  }
  const v = await javaVersion();
  return v === null ? "java not found on PATH" : null;
}

/** First line of `java -version`, or null without Java. */
export async function javaVersion(): Promise<string | null> {
  try {
    const out = await new Deno.Command("java", {
      args: ["-version"],
      stdout: "null",
      stderr: "piped",
    })
      .output();
    return new TextDecoder().decode(out.stderr).split("\n")[0].trim() || null;
  } catch {
    return null;
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Sends a four-letter word and returns the whole answer (the connection is cut after 5 s). */
export async function fourLetter(port: number, word: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  // A server still starting may accept and then never answer; don't wait on it forever.
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* already closed */ }
  }, 5000);
  try {
    await conn.write(new TextEncoder().encode(word));
    const dec = new TextDecoder();
    const buf = new Uint8Array(4096);
    let text = "";
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n), { stream: true });
    }
    return text + dec.decode();
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed by the server */ }
  }
}

/** Keeps the last few KB a child wrote to stderr, for the error message if it dies. */
function tail(stream: ReadableStream<Uint8Array>): () => string {
  let text = "";
  const dec = new TextDecoder();
  (async () => {
    for await (const chunk of stream) text = (text + dec.decode(chunk)).slice(-4000);
  })().catch(() => {});
  return () => text;
}

/** Starts `name` on a free port in a fresh dataDir and waits until it answers `ruok` and `srvr`. */
export async function startTarget(name: TargetName): Promise<Target> {
  const dataDir = await Deno.makeTempDir({ prefix: `herd-bench-${name}-` });
  const port = freePort();
  const cfg = `${dataDir}/zoo.cfg`;
  await Deno.writeTextFile(cfg, zooCfg(dataDir, port));
  const [exe, args] = name === "herd"
    ? [Deno.execPath(), ["run", "-A", v8FlagsArg(), HERD_MAIN, "start-foreground", cfg]]
    : ["java", ["-Xmx2g", "-cp", APACHE_JARS.join(":"), APACHE_MAIN, cfg]];
  // stdout goes nowhere: Apache's classpath has no slf4j binding (a no-op logger), and herd's
  // console log would otherwise cost the load generator time draining a pipe.
  const child = new Deno.Command(exe, { args, stdin: "null", stdout: "null", stderr: "piped" })
    .spawn();
  const stderr = tail(child.stderr);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const target: Target = {
    name,
    port,
    pid: child.pid,
    async rssKb() {
      const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (!m) throw new Error(`no VmRSS for ${name} (pid ${child.pid})`);
      return Number(m[1]);
    },
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => {
          if (!exited) child.kill("SIGKILL");
        }, 15000);
        await status;
        clearTimeout(timer);
      }
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
  const deadline = Date.now() + 60000;
  while (true) {
    if (exited) {
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      throw new Error(`${name} exited during start-up: ${(await status).code}\n${stderr()}`);
    }
    try {
      if (
        (await fourLetter(port, "ruok")) === "imok" && /Mode: /.test(await fourLetter(port, "srvr"))
      ) {
        return target;
      }
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await target.stop();
      throw new Error(`${name} did not answer ruok/srvr within 60 s\n${stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
