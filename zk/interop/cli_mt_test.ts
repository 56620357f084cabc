/**
 * The C client's shell, `cli_mt` (Debian's zookeeper-bin, libzookeeper-mt
 * 3.8.0), against the target. Its syntax, learnt by running it against Apache:
 * `create [+[e|s|c|t=ttl]] <path>` (data is always "new"), `get`, `set <path>
 * <data>`, `ls`, `ls2`, `exists`/`wexists` (synchronous, silent on success),
 * `delete`, `sync`. Results print as `[<path>]: rc = N` (create, sync)
 * or `<path>: rc = N`; watches as `Watcher <TYPE>_EVENT state = … for path …`.
 * `ls` lists children in the server's order, so they are compared as sets.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CLI_MT, needs } from "./_needs.ts";
import { startTarget, targets } from "./_target.ts";

const encoder = new TextEncoder();

/** cli_mt with stdin piped; stdout and stderr collected together. */
class CliMt {
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #text = "";
  #readers: Promise<void>[];
  /** Everything printed, with the command that preceded it, for failure messages. */
  transcript = "";

  constructor(connectString: string) {
    this.#child = new Deno.Command(CLI_MT, {
      args: [connectString],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#readers = [this.#read(this.#child.stdout), this.#read(this.#child.stderr)];
  }

  async #read(stream: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true });
      this.#text += text;
      this.transcript += text;
    }
  }

  /** Wait until the output since `from` matches `pattern`; return the match. */
  async waitFor(pattern: RegExp, from: number, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const match = this.#text.slice(from).match(pattern);
      if (match) return match;
      if (Date.now() > deadline) {
        throw new Error(`cli_mt: no ${pattern} in:\n${this.#text.slice(from)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Send one command and wait for `pattern` in what follows; return the output since. */
  async run(command: string, pattern: RegExp): Promise<string> {
    const from = this.#text.length;
    this.transcript += `\n>>> ${command}\n`;
    await this.#writer.write(encoder.encode(`${command}\n`));
    await this.waitFor(pattern, from);
    return this.#text.slice(from);
  }

  get length(): number {
    return this.#text.length;
  }

  async quit(): Promise<Deno.CommandStatus> {
    await this.#writer.write(encoder.encode("quit\n")).catch(() => {});
    await this.#writer.close().catch(() => {});
    const timer = setTimeout(() => this.kill(), 10_000);
    const status = await this.#child.status;
    clearTimeout(timer);
    await Promise.all(this.#readers);
    return status;
  }

  kill() {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* gone */ }
  }
}

/** The children `ls`/`ls2` printed after `<path>: rc = 0`, as a sorted list. */
function children(output: string, path: string): string[] {
  const at = output.indexOf(`${path}: rc = 0\n`);
  assert.ok(at >= 0, `no listing for ${path} in:\n${output}`);
  const names: string[] = [];
  for (const line of output.slice(at).split("\n").slice(1)) {
    const m = line.match(/^\t([^\s=]+)$/);
    if (!m) break;
    names.push(m[1]);
  }
  return names.sort();
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

for (const kind of targets()) {
  const gate = needs(kind, ["cli_mt"], "cli_mt");
  Deno.test({
    name: `[${kind}] cli_mt (C client) session`,
    ignore: gate.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
  }, async () => {
    gate.check();
    const t = await startTarget(kind);
    const cli = new CliMt(t.connectString);
    let passed = 0;
    const step = async (command: string, pattern: RegExp) => {
      const out = await cli.run(command, pattern);
      passed++;
      return out;
    };
    try {
      await cli.waitFor(/Got a new session id: 0x[0-9a-f]+\n/, 0);
      const p = "/climt";
      const P = esc(p);

      await step(`create ${p}`, new RegExp(`\\[${P}\\]: rc = 0\\n\\tname = ${P}\\n`));
      let out = await step(
        `get ${p}`,
        new RegExp(`${P}: rc = 0\\n value_len = 3\\nnew\\nStat:\\n[^]*?ephemeralOwner = 0\\n`),
      );
      assert.match(out, /\tversion=0\taversion=0\n/);
      const czxid = out.match(/\tczxid=([0-9a-f]+)\n/)![1];

      // The get left a data watch: set fires it.
      out = await step(`set ${p} hello`, new RegExp(`${P}: rc = 0 Stat:\\n[^]*?ephemeralOwner`));
      assert.match(out, /\tversion=1\taversion=0\n/);
      assert.match(out, new RegExp(`\\tczxid=${czxid}\\n`));
      await cli.waitFor(
        new RegExp(`Watcher CHANGED_EVENT state = CONNECTED_STATE for path ${P}\\n`),
        0,
      );
      await step(`get ${p}`, new RegExp(`${P}: rc = 0\\n value_len = 5\\nhello\\nStat:`));

      await step(`create +s ${p}/q`, new RegExp(`\\tname = ${P}/q0000000000\\n`));
      await step(`create +s ${p}/q`, new RegExp(`\\tname = ${P}/q0000000001\\n`));
      await step(`create +e ${p}/e`, new RegExp(`\\[${P}/e\\]: rc = 0\\n\\tname = ${P}/e\\n`));
      // Wait for the line after the listing so the whole listing is in.
      out = await step(`ls ${p}`, new RegExp(`${P}: rc = 0\\n(\\t\\S+\\n){3}`));
      assert.deepEqual(children(out, p), ["e", "q0000000000", "q0000000001"]);
      out = await step(`ls2 ${p}`, new RegExp(`${P}: rc = 0\\n(\\t\\S+\\n){3}[^]*?ephemeralOwner`));
      assert.deepEqual(children(out, p), ["e", "q0000000000", "q0000000001"]);

      // exists/wexists are synchronous and print nothing on success; an async
      // `sync /` after them marks the end (stdout is block-buffered, so `myid`
      // cannot).
      out = await step(`wexists ${p}/e\nsync /`, /\[\/\]: rc = 0\n/);
      assert.doesNotMatch(out, /Error/);
      const from = cli.length;
      await step(`delete ${p}/e`, new RegExp(`${P}/e: rc = 0\\n`));
      await cli.waitFor(
        new RegExp(`Watcher DELETED_EVENT state = CONNECTED_STATE for path ${P}/e\\n`),
        from,
      );
      await step(`exists ${p}/e`, new RegExp(`Error -101 for ${P}/e\\n`)); // ZNONODE
      await step(`get ${p}/nope`, new RegExp(`${P}/nope: rc = -101\\n`));
      await step(`delete ${p}`, new RegExp(`${P}: rc = -111\\n`)); // ZNOTEMPTY
      await step(`create ${p}`, new RegExp(`\\[${P}\\]: rc = -110\\n`)); // ZNODEEXISTS
      await step(`set ${p}/nope x`, new RegExp(`${P}/nope: rc = -101 Stat:`));
      await step("sync /", /\[\/\]: rc = 0\n\tname = \/\n/);
      await step(`delete ${p}/q0000000000`, new RegExp(`${P}/q0000000000: rc = 0\\n`));
      await step(`delete ${p}/q0000000001`, new RegExp(`${P}/q0000000001: rc = 0\\n`));
      await step(`delete ${p}`, new RegExp(`${P}: rc = 0\\n`));
      out = await step(`exists ${p}\nsync /`, /\[\/\]: rc = 0\n/);
      assert.match(out, new RegExp(`Error -101 for ${P}\\n`));
      const status = await cli.quit();
      assert.equal(status.code, 0, "cli_mt exit code");
      console.log(`[${kind}] cli_mt: ${passed} commands answered as expected`);
    } catch (e) {
      (e as Error).message += `\n--- cli_mt transcript ---\n${cli.transcript}`;
      throw e;
    } finally {
      cli.kill();
      await t.stop();
    }
  });
}
