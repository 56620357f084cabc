/**
 * Test support: an Apache ZooKeeper 3.8.0 ensemble of three voters on 127.0.0.12/.13/.14 (the
 * Debian package's jars, run as QuorumPeerMain), each config also listing extra servers (herd's
 * observer). No tests of its own; learner_peer_apache_test.ts uses it.
 *
 * @module
 */
export const HOSTS = ["127.0.0.12", "127.0.0.13", "127.0.0.14"];
const JARS = [
  "zookeeper.jar",
  "zookeeper-jute.jar",
  "slf4j-api.jar",
  "slf4j-log4j12.jar",
  "log4j-1.2.jar",
].map((j) => `/usr/share/java/${j}`);
const LOG4J = "log4j.rootLogger=INFO, CONSOLE\n" +
  "log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender\n" +
  "log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout\n" +
  "log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n\n";

/** Three consecutive ports (election, quorum, client) free on every host. */
export function freePorts(): number {
  for (;;) {
    const probe = Deno.listen({ hostname: HOSTS[0], port: 0 });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    if (port > 65000) continue;
    try {
      for (const h of HOSTS) {
        for (let p = port; p < port + 3; p++) Deno.listen({ hostname: h, port: p }).close();
      }
      return port;
    } catch { /* taken somewhere: try another */ }
  }
}

/** A running Apache server. */
export interface Apache {
  sid: number;
  host: string;
  clientPort: number;
  log: () => string;
  kill: () => Promise<void>;
}

/** The ensemble's zoo.cfg for server `sid`, with `extra` lines (server.4=…:observer). */
export function zooCfg(port: number, dataDir: string, sid: number, extra: string[]): string {
  return "tickTime=2000\ninitLimit=10\nsyncLimit=5\n" +
    `dataDir=${dataDir}\nclientPort=${port + 2}\nclientPortAddress=${HOSTS[sid - 1]}\n` +
    "admin.enableServer=false\n" +
    HOSTS.map((h, i) => `server.${i + 1}=${h}:${port + 1}:${port}\n`).join("") +
    extra.map((l) => `${l}\n`).join("");
}

/** Starts Apache server `sid` (1–3) of the ensemble under `dir`. */
export async function startApache(
  dir: string,
  port: number,
  sid: number,
  extra: string[],
): Promise<Apache> {
  const home = `${dir}/apache${sid}`;
  await Deno.mkdir(`${home}/data`, { recursive: true });
  await Deno.writeTextFile(`${home}/data/myid`, `${sid}\n`);
  await Deno.writeTextFile(`${home}/zoo.cfg`, zooCfg(port, `${home}/data`, sid, extra));
  await Deno.writeTextFile(`${home}/log4j.properties`, LOG4J);
  const child = new Deno.Command("java", {
    args: [
      "-Xmx128m",
      "-cp",
      [home, ...JARS].join(":"),
      "org.apache.zookeeper.server.quorum.QuorumPeerMain",
      `${home}/zoo.cfg`,
    ],
    cwd: home,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const chunks: string[] = [];
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const c of s.pipeThrough(new TextDecoderStream())) chunks.push(c);
  };
  const drained = Promise.all([pump(child.stdout), pump(child.stderr)]);
  let killed = false;
  return {
    sid,
    host: HOSTS[sid - 1],
    clientPort: port + 2,
    log: () => chunks.join(""),
    kill: async () => {
      if (killed) return;
      killed = true;
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
      await drained;
    },
  };
}

/** Waits for `cond`, polling; throws with `logs()` appended after `ms`. */
export async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  ms = 60_000,
  logs?: () => string,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${logs?.() ?? ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A four-letter word's answer (srvr is the one Apache 3.8 allows by default). */
export async function fourLetter(host: string, port: number, word: string): Promise<string> {
  const conn = await Deno.connect({ hostname: host, port });
  try {
    await conn.write(new TextEncoder().encode(word));
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
    return new TextDecoder().decode(
      chunks.reduce((a, b) => {
        const c = new Uint8Array(a.length + b.length);
        c.set(a);
        c.set(b, a.length);
        return c;
      }, new Uint8Array(0)),
    );
  } finally {
    try {
      conn.close();
    } catch { /* closed by the server */ }
  }
}
