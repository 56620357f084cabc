/**
 * TTL and container znodes through Apache's zkCli.sh, compared with the
 * `01b-ttl-container` capture. Server: `extendedTypesEnabled=true` and
 * `-Dznode.container.checkIntervalMs=1000`, as in the reference. Takes ~35 s
 * per target, mostly the reference's own sleeps, so it has a file of its own
 * and runs beside the others under `--parallel`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { needs } from "./_needs.ts";
import { replayCmds } from "./_replay.ts";
import { assertSameLines, lines, reference } from "./_reference.ts";
import { startTarget, targets } from "./_target.ts";
import { canonicalTranscript, parseTranscript } from "./_transcript.ts";

/**
 * The reference's output depends on when the server's reaper ran, and the
 * capture does not record when each line was sent. What it shows pins the
 * order of events, so the replay sends a few lines at fixed offsets from
 * `create -t 5000 /ttl` (t=0) that reproduce that order with margin:
 * - /ttlseq0000000001's suffix says /ttl had not yet expired (an expiry would
 *   bump the root's cversion): it goes at 2.5 s, well before 5 s.
 * - /ttlparent (0x4) and its child (0x5) follow at once, still before /ttl
 *   can expire.
 * - `stat /cont` shows cZxid 0x7: exactly one deletion (/ttl's expiry, 0x6)
 *   came before it. /ttl is gone by 6.0 s (5 s TTL + a 1 s reaper tick);
 *   /ttlseq cannot go before 7.5 s. /cont is created at 6.8 s.
 * - The next `ls /` shows /ttlseq expired and the emptied /cont reaped: 9.8 s.
 * The remaining `#sleep`s are the reference's own.
 */
const SCHEDULE: [index: number, line: string, seconds: number][] = [
  [1, "create -t 5000 /ttl ttl", 0],
  [4, "create -s -t 5000 /ttlseq x", 2.5],
  [12, "create -c /cont", 6.8],
  [17, "ls /", 9.8],
];

for (const kind of targets()) {
  const gate = needs(kind, ["zkcli"], "zkCli TTL/container transcript");

  Deno.test({
    name: `[${kind}] zkCli TTL and container transcript`,
    ignore: gate.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
  }, async () => {
    gate.check();
    const cmds = await reference("01b-ttl-container.cmds");
    const cmdLines = cmds.split("\n");
    for (const [index, line] of SCHEDULE) {
      assert.equal(cmdLines[index], line, `01b-ttl-container.cmds line ${index} moved`);
    }
    const t = await startTarget(kind, {
      extraCfg: { extendedTypesEnabled: "true" },
      jvmFlags: ["-Dznode.container.checkIntervalMs=1000"],
    });
    try {
      const actual = await replayCmds(t.connectString, cmds, {
        schedule: new Map(SCHEDULE.map(([index, , seconds]) => [index, seconds])),
      });
      // `#sh date` prints the wall clock: not compared.
      const isDate = (s: { kind: string; command: string }) =>
        s.kind === "sh" && s.command.startsWith("date");
      const expected = canonicalTranscript(
        parseTranscript(await reference("01b-ttl-container.transcript")),
        isDate,
      );
      assertSameLines(
        `[${kind}] zkCli TTL/container transcript`,
        expected,
        canonicalTranscript(actual, isDate),
      );
      console.log(`[${kind}] zkCli TTL/container: ${expected.length} canonical lines match`);
    } catch (e) {
      (e as Error).message += `\n--- server log tail (${kind}) ---\n` +
        lines(t.logs()).slice(-30).join("\n");
      throw e;
    } finally {
      await t.stop();
    }
  });
}
