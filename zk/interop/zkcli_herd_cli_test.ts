/**
 * herd's own zkCli (`tools/zk-cli`) replaying the reference zkCli.sh captures against herd's
 * server and Apache 3.8.0, compared with the same normalisation as zkcli_test.ts: the seed
 * session and hard quotas fed on stdin at once, the ACL and TTL transcripts line by line (their
 * `#sh` zkCli.sh calls run herd's CLI too, in one-shot mode), plus one-shot exit codes and
 * streams.
 *
 * Run: `HERD_ZK_TARGET=apache|herd|both deno test -A zk/interop/zkcli_herd_cli_test.ts`
 *
 * @module
 */

import assert from "node:assert/strict";
import { needs } from "./_needs.ts";
import { assertSameLines, lines, reference } from "./_reference.ts";
import { startTarget, type Target, type TargetOptions, targets } from "./_target.ts";
import {
  canonicalMerged,
  canonicalTranscript,
  parseTranscript,
  type Step,
  type Transcript,
} from "./_transcript.ts";
import { retarget, runMerged } from "./_zkcli.ts";

const SLOW = { sanitizeOps: false, sanitizeResources: false };
const HERD_CLI = new URL("../../tools/zk-cli/main.ts", import.meta.url).pathname;
const CLI = `${Deno.execPath()} run -A ${HERD_CLI}`;
const APACHE_CLI = "/usr/share/zookeeper/bin/zkCli.sh";
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withTarget(
  kind: Target["kind"],
  opts: TargetOptions,
  body: (t: Target) => Promise<void>,
) {
  const t = await startTarget(kind, opts);
  try {
    await body(t);
  } catch (e) {
    (e as Error).message += `\n--- server log tail (${kind}) ---\n` +
      lines(t.logs()).slice(-30).join("\n");
    throw e;
  } finally {
    await t.stop();
  }
}

/**
 * herd's CLI fed one line at a time, like _zkcli.ts's ZkCliSession drives zkCli.sh: after each
 * command a bare `printwatches` marks the end of its synchronous output. (A copy because
 * ZkCliSession and replayCmds hard-code zkCli.sh; a command parameter there would remove it.)
 */
class HerdCliSession {
  readonly blocks: { command: string; out: string[]; err: string[] }[] = [
    { command: "", out: [], err: [] },
  ];
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #markers = 0;
  #afterMarker = false;
  #readers: Promise<void>[];
  #exit: Deno.CommandStatus | undefined;

  constructor(connectString: string) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", HERD_CLI, "-server", connectString],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#readers = [this.#read(this.#child.stdout, "out"), this.#read(this.#child.stderr, "err")];
    this.#child.status.then((s) => (this.#exit = s));
  }

  async #read(stream: ReadableStream<Uint8Array>, tag: "out" | "err") {
    let partial = "";
    const decoder = new TextDecoder();
    const take = (text: string) => {
      if (tag === "out" && text === "printwatches is on") {
        this.#markers++;
        this.#afterMarker = true;
        return;
      }
      const after = this.#afterMarker;
      if (tag === "out") this.#afterMarker = false;
      if (tag === "out" && after && text === "Not connected") return;
      this.blocks.at(-1)![tag].push(text);
    };
    for await (const chunk of stream) {
      const parts = (partial + decoder.decode(chunk, { stream: true })).split("\n");
      partial = parts.pop()!;
      parts.forEach(take);
    }
    if (partial !== "") take(partial);
  }

  async #until(ready: () => boolean, what: string, ms = 30_000) {
    const deadline = Date.now() + ms;
    while (!ready()) {
      if (this.#exit !== undefined) throw new Error(`zk-cli exited while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`zk-cli: timed out waiting for ${what}`);
      await sleep(10);
    }
  }

  async ready(): Promise<void> {
    await this.#writer.write(encoder.encode("printwatches\n"));
    await this.#until(() => this.#markers > 0, "zk-cli to start");
    const connected = () =>
      this.blocks[0].out.some((l) => l.startsWith("WatchedEvent state:SyncConnected"));
    await this.#until(connected, "the session");
  }

  async send(command: string): Promise<void> {
    this.blocks.push({ command, out: [], err: [] });
    const before = this.#markers;
    await this.#writer.write(encoder.encode(`${command}\nprintwatches\n`));
    await this.#until(() => this.#markers > before, `'${command}'`);
    await sleep(60);
  }

  async quit(command: string): Promise<number> {
    this.blocks.push({ command, out: [], err: [] });
    await this.#writer.write(encoder.encode(command === "" ? "" : `${command}\n`)).catch(() => {});
    await this.#writer.close().catch(() => {});
    const status = await this.#child.status;
    await Promise.all(this.#readers);
    return status.code;
  }

  kill() {
    if (this.#exit === undefined) this.#child.kill("SIGKILL");
  }
}

/** The `.cmds` replay of _replay.ts, through herd's CLI; `#sh` zkCli.sh calls use it too. */
async function replay(
  connectString: string,
  cmds: string,
  schedule = new Map<number, number>(),
): Promise<Transcript> {
  const session = new HerdCliSession(connectString);
  const order: ({ block: number } | { step: Step })[] = [{ block: 0 }];
  let exitCode: number | undefined;
  let t0: number | undefined;
  try {
    await session.ready();
    const all = cmds.split("\n");
    for (let i = 0; i < all.length && exitCode === undefined; i++) {
      const line = all[i];
      if (line.trim() === "" || line.startsWith("#note")) continue;
      const due = schedule.get(i);
      if (due !== undefined && t0 !== undefined) await sleep(t0 + due * 1000 - Date.now());
      const pause = line.match(/^#sleep\s+(\d+(?:\.\d+)?)$/);
      if (pause) {
        await sleep(Number(pause[1]) * 1000);
      } else if (line.startsWith("#sh ")) {
        const command = retarget(line.slice(4), connectString);
        const { lines: out } = await runMerged(command.replaceAll(APACHE_CLI, CLI));
        order.push({ step: { kind: "sh", command, out, err: [] } });
      } else {
        t0 ??= Date.now();
        const command = retarget(line, connectString);
        if (command.trim() === "quit") exitCode = await session.quit(command);
        else await session.send(command);
        order.push({ block: session.blocks.length - 1 });
      }
    }
    exitCode ??= await session.quit("");
  } finally {
    session.kill();
  }
  const steps = order.map((o): Step => {
    if ("step" in o) return o.step;
    const b = session.blocks[o.block];
    return { kind: o.block === 0 ? "preamble" : "in", command: b.command, out: b.out, err: b.err };
  });
  return { steps, exitCode };
}

/** `zk-cli -server … < commands`, stdout and stderr merged. */
function batch(connectString: string, commands: string) {
  return runMerged(`exec ${CLI} -server ${connectString}`, commands);
}

/** One-shot `zk-cli -server … args…`, streams apart. */
async function oneShot(connectString: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", HERD_CLI, "-server", connectString, ...args],
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => lines(new TextDecoder().decode(b));
  return { code: out.code, out: text(out.stdout), err: text(out.stderr) };
}

const CONNECTED = ["", "WATCHER::", "", "WatchedEvent state:SyncConnected type:None path:null"];

for (const kind of targets()) {
  const gate = needs(kind, [], "herd zk-cli transcripts");
  const test = (name: string, fn: () => Promise<void>) =>
    Deno.test({ name: `[${kind}] herd zk-cli ${name}`, ignore: gate.ignore, ...SLOW }, async () => {
      gate.check();
      await fn();
    });

  test("seed session", () =>
    withTarget(kind, {}, async (t) => {
      const commands = retarget(await reference("zkcli-seed-session.commands"), t.connectString);
      const run = await batch(t.connectString, commands);
      const expected = canonicalMerged(lines(await reference("zkcli-seed-session.out")));
      assertSameLines(`[${kind}] herd zk-cli seed session`, expected, canonicalMerged(run.lines));
      assert.equal(run.code, 0);
    }));

  test("hard quotas", () =>
    withTarget(kind, { jvmFlags: ["-Dzookeeper.enforceQuota=true"] }, async (t) => {
      const commands = retarget(await reference("zkcli-hard-quota.commands"), t.connectString);
      const run = await batch(t.connectString, commands);
      const expected = canonicalMerged(lines(await reference("zkcli-hard-quota.out")));
      assertSameLines(`[${kind}] herd zk-cli hard quotas`, expected, canonicalMerged(run.lines));
      assert.equal(run.code, 1, "exit code after a failed last command");
    }));

  test("ACL transcript", () => {
    const superDigest = "super:g9oN2HttPfn8MMWJZ2r45Np/LIA=";
    const extraCfg = { "DigestAuthenticationProvider.superDigest": superDigest };
    return withTarget(kind, { extraCfg }, async (t) => {
      const actual = await replay(t.connectString, await reference("03-acl.cmds"));
      const expected = canonicalTranscript(parseTranscript(await reference("03-acl.transcript")));
      assertSameLines(
        `[${kind}] herd zk-cli ACL transcript`,
        expected,
        canonicalTranscript(actual),
      );
    });
  });

  test("TTL and container transcript", async () => {
    // zkcli_ttl_test.ts explains this schedule: it pins the order of the reaper's deletions.
    const schedule = new Map([[1, 0], [4, 2.5], [12, 6.8], [17, 9.8]]);
    const opts = {
      extraCfg: { extendedTypesEnabled: "true" },
      jvmFlags: ["-Dznode.container.checkIntervalMs=1000"],
    };
    await withTarget(kind, opts, async (t) => {
      const actual = await replay(
        t.connectString,
        await reference("01b-ttl-container.cmds"),
        schedule,
      );
      const isDate = (s: Step) => s.kind === "sh" && s.command.startsWith("date");
      const ref = parseTranscript(await reference("01b-ttl-container.transcript"));
      assertSameLines(
        `[${kind}] herd zk-cli TTL/container transcript`,
        canonicalTranscript(ref, isDate),
        canonicalTranscript(actual, isDate),
      );
    });
  });

  test("one-shot mode", () =>
    withTarget(kind, {}, async (t) => {
      const cs = t.connectString;
      const connecting = `Connecting to ${cs}`;
      let r = await oneShot(cs, "create", "/one", "shot");
      assert.deepEqual(r, { code: 0, out: [connecting, ...CONNECTED], err: ["Created /one"] });
      r = await oneShot(cs, "get", "/one");
      assert.deepEqual(r, { code: 0, out: [connecting, ...CONNECTED, "shot"], err: [] });
      r = await oneShot(cs, "get", "/nonexistent");
      assert.deepEqual(r, {
        code: 1,
        out: [connecting, ...CONNECTED],
        err: ["Node does not exist: /nonexistent"],
      });
      r = await oneShot(cs, "ls");
      assert.deepEqual([r.code, r.err], [1, ["ls [-s] [-w] [-R] path"]]);
      r = await oneShot(cs, "nosuchcommand");
      assert.equal(r.code, 127);
      assert.equal(r.err.at(-1), "Command not found: Command not found nosuchcommand");
      r = await oneShot(cs, "set", "/one", "x", "-v", "abc");
      assert.deepEqual([r.code, r.err], [1, [
        'Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"',
      ]]);
      r = await oneShot("127.0.0.1:1", "ls", "/");
      assert.deepEqual(r, {
        code: 1,
        out: ["Connecting to 127.0.0.1:1"],
        err: ["KeeperErrorCode = ConnectionLoss for /"],
      });
    }));
}
