/**
 * For the on-disk interop test: start herd or Apache ZooKeeper 3.8.0 on a dataDir that outlives
 * the server (so the other one can start on it), write the same scenario to either (zkCli.sh plus
 * a raw session that keeps an ephemeral and sends a mixed multi), and read a server's whole tree
 * back through zkCli.sh (`ls -R`, `get -s`, `getAcl` of every path).
 *
 * @module
 */
import { fourLetterWord } from "./_fourletter.ts";
import { freePort, HERD_MAIN, type TargetKind, zooCfg } from "./_target.ts";
import { zkCliBatch } from "./_zkcli.ts";
import { RawClient } from "../server/_raw_client.ts";
import { OpCode } from "../jute/opcodes.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";
import type { Request } from "../jute/requests.ts";

const APACHE_CP = [
  "zookeeper.jar",
  "zookeeper-jute.jar",
  "slf4j-api.jar",
  "slf4j-log4j12.jar",
  "log4j-1.2.jar",
]
  .map((j) => `/usr/share/java/${j}`).join(":");
const LOG4J = `log4j.rootLogger=WARN, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n
log4j.logger.org.apache.zookeeper.server.DataTree=INFO
log4j.logger.org.apache.zookeeper.server.ZKDatabase=INFO
`;

/** A server running on a dataDir the caller owns. */
export interface DiskServer {
  kind: TargetKind;
  connectString: string;
  logs(): string;
  /** SIGTERM, as an operator stops either server; the files stay. */
  stop(): Promise<void>;
}

/** dataDir and dataLogDir under `dir`; small snapCount and preallocation so files roll. */
export function diskCfg(dir: string, port: number): string {
  return zooCfg(`${dir}/data`, port, {
    dataLogDir: `${dir}/logs`,
    snapCount: "10",
    preAllocSize: "64",
    extendedTypesEnabled: "true",
  });
}

/** Starts `kind` on `dir` (made by the caller, possibly holding the other server's files). */
export async function startOnDisk(kind: TargetKind, dir: string): Promise<DiskServer> {
  const port = freePort();
  const cfg = `${dir}/zoo-${kind}.cfg`;
  await Deno.writeTextFile(cfg, diskCfg(dir, port));
  await Deno.writeTextFile(`${dir}/log4j.properties`, LOG4J);
  const command = kind === "apache"
    ? new Deno.Command("java", {
      args: [
        "-Xmx256m",
        "-cp",
        `${dir}:${APACHE_CP}`,
        "org.apache.zookeeper.server.ZooKeeperServerMain",
        cfg,
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", HERD_MAIN, "start-foreground", cfg],
      stdout: "piped",
      stderr: "piped",
    });
  const child = command.spawn();
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const drain = async (s: ReadableStream<Uint8Array>) => {
    for await (const c of s) chunks.push(decoder.decode(c, { stream: true }));
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    if (!exited) child.kill("SIGTERM");
    const timer = setTimeout(() => !exited && child.kill("SIGKILL"), 10_000);
    await status;
    clearTimeout(timer);
    await drained;
  };
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (exited) break;
    if ((await fourLetterWord(port, "ruok", 1_000).catch(() => "")) === "imok") {
      return { kind, connectString: `127.0.0.1:${port}`, logs: () => chunks.join(""), stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${kind} did not start on ${dir}:\n${chunks.join("")}`);
}

/** digest:alice:secret */
export const ALICE_DIGEST = "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=";

/** The zkCli part of the scenario: every kind of write zkCli can make. */
export const SCENARIO = `create /persist p
create /persist/a alpha
create -s /persist/seq- one
create -s /persist/seq- two
create /persist/gone bye
create /persist/nodata
delete /persist/gone
set /persist/a alpha2
set /persist/a alpha3
create -c /persist/box
create /persist/box/item in
create -t 600000 /persist/ttl t
addauth digest alice:secret
create /persist/secret s3cret
setAcl /persist/secret digest:${ALICE_DIGEST}:cdrwa,world:anyone:r
setAcl /persist/a auth::cdrwa
create /persist/tree t
create /persist/tree/x x
create /persist/tree/y y
deleteall /persist/tree
setquota -n 10 /persist
create /persist/counted c
quit
`;

const enc = new TextEncoder();
const open = [...OPEN_ACL_UNSAFE];
const createReq = (
  path: string,
  data: string,
  flags = 0,
  type: typeof OpCode.create | typeof OpCode.create2 = OpCode.create,
): Request => ({
  type,
  path,
  data: enc.encode(data),
  acl: open,
  flags,
  ttl: -1,
});

/**
 * Runs the scenario on `server`: the zkCli writes, then a raw session that creates an ephemeral and
 * sends one multi (create, setData, check, create2, delete). The raw session is returned open: its
 * ephemeral must still exist when the server is stopped.
 */
export async function writeScenario(server: DiskServer): Promise<RawClient> {
  const cli = await zkCliBatch(server.connectString, SCENARIO);
  if (cli.code !== 0) throw new Error(`zkCli scenario failed:\n${cli.lines.join("\n")}`);
  const port = Number(server.connectString.split(":")[1]);
  const raw = await RawClient.open(port);
  await raw.connect();
  const send = async (xid: number, req: Request) => {
    await raw.request(xid, req);
    const reply = await raw.reply();
    if (reply === null || reply[2] !== 0) throw new Error(`raw ${req.type} failed: ${reply}`);
  };
  await send(1, createReq("/persist/eph", "mine", 1));
  await send(2, {
    type: OpCode.multi,
    ops: [
      createReq("/persist/m", "one"),
      { type: OpCode.setData, path: "/persist/m", data: enc.encode("two"), version: 0 },
      { type: OpCode.check, path: "/persist", version: 0 },
      createReq("/persist/m2", "x", 0, OpCode.create2),
      { type: OpCode.delete, path: "/persist/m2", version: -1 },
    ],
  });
  return raw;
}

/** Lines zkCli prints whatever the server: connection chatter, watcher events, blank lines. */
function isChatter(line: string): boolean {
  return line === "" || line.startsWith("Connecting to ") || line === "Welcome to ZooKeeper!" ||
    line.startsWith("JLine support") || line === "WATCHER::" || line.startsWith("WatchedEvent ");
}

/** Every path in the tree, from `ls -R /`. */
export async function allPaths(server: DiskServer): Promise<string[]> {
  const r = await zkCliBatch(server.connectString, "addauth digest alice:secret\nls -R /\nquit\n");
  return r.lines.filter((l) => l.startsWith("/"));
}

/** What zkCli shows for `ls -R /` and for `get -s` and `getAcl` of each path, chatter removed. */
export async function treeAnswers(server: DiskServer, paths: string[]): Promise<string[]> {
  const commands = ["addauth digest alice:secret", "ls -R /"];
  for (const p of paths) commands.push(`get -s ${p}`, `getAcl ${p}`);
  const r = await zkCliBatch(server.connectString, commands.join("\n") + "\nquit\n");
  return r.lines.filter((l) => !isChatter(l));
}

/** The files in `<dir>/version-2`, oldest first by the zxid in their names. */
export function versionFiles(dir: string, prefix: "log" | "snapshot"): string[] {
  const zxid = (n: string) => parseInt(n.split(".")[1], 16);
  return [...Deno.readDirSync(`${dir}/version-2`)]
    .map((e) => e.name)
    .filter((n) => n.startsWith(`${prefix}.`))
    .sort((a, b) => zxid(a) - zxid(b))
    .map((n) => `${dir}/version-2/${n}`);
}

/**
 * Copies the dataDir and dataLogDir under `dir` to `to`, keeping only the oldest snapshot, so a
 * server started on the copy must replay every logged txn.
 */
export async function copyForFullReplay(dir: string, to: string): Promise<void> {
  for (const sub of ["data", "logs"]) {
    await Deno.mkdir(`${to}/${sub}/version-2`, { recursive: true });
    const snaps = versionFiles(`${dir}/${sub}`, "snapshot");
    for (const e of Deno.readDirSync(`${dir}/${sub}/version-2`)) {
      const from = `${dir}/${sub}/version-2/${e.name}`;
      if (e.name.startsWith("snapshot.") && from !== snaps[0]) continue;
      await Deno.copyFile(from, `${to}/${sub}/version-2/${e.name}`);
    }
  }
}
