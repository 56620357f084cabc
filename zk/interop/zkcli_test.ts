/**
 * Apache's own zkCli.sh against the target, compared line by line with the
 * Apache 3.8.0 captures in `reference/zookeeper`: the seed session (soft
 * quotas), hard quotas with enforcement, and the ACL transcript.
 *
 * Run: `HERD_ZK_TARGET=apache|herd|both deno test -A zk/interop/zkcli_test.ts`
 *
 * @module
 */

import assert from "node:assert/strict";
import { needs } from "./_needs.ts";
import { replayCmds } from "./_replay.ts";
import { assertSameLines, lines, logBody, reference } from "./_reference.ts";
import { startTarget, type Target, type TargetOptions, targets } from "./_target.ts";
import { canonicalMerged, canonicalTranscript, parseTranscript } from "./_transcript.ts";
import { retarget, zkCliBatch } from "./_zkcli.ts";

const SLOW = { sanitizeOps: false, sanitizeResources: false };

/**
 * The seed's soft-quota WARN lines herd must log (DECISIONS.md, "soft
 * quotas"), in the seed's old `DataTree` format, one per write past the quota:
 * - `setquota -n 2 /sswang` when /sswang counts 1 (itself); child1 makes 2
 *   (not over), child2..child4 make 3, 4, 5. The seed shows count=3 and
 *   count=4 at `DataTree@301`.
 * - `setquota -b 8 /sswang1` when it holds 6 bytes; the two `set`s make 9 and
 *   10 bytes. The seed shows exactly these at `DataTree@347`.
 * Nothing else in the session writes under a quota'd path.
 */
const SEED_SOFT_QUOTA_WARNINGS = [
  "WARN  [SyncThread:0:DataTree@301] - Quota exceeded: /sswang count=3 limit=2",
  "WARN  [SyncThread:0:DataTree@301] - Quota exceeded: /sswang count=4 limit=2",
  "WARN  [SyncThread:0:DataTree@301] - Quota exceeded: /sswang count=5 limit=2",
  "WARN  [SyncThread:0:DataTree@347] - Quota exceeded: /sswang1 bytes=9 limit=8",
  "WARN  [SyncThread:0:DataTree@347] - Quota exceeded: /sswang1 bytes=10 limit=8",
];

/** Log lines (timestamp stripped) that mention a quota; fails if one has the wrong layout. */
function quotaLogLines(t: Target): string[] {
  const found: string[] = [];
  for (const line of lines(t.logs())) {
    if (!line.includes("Quota exceeded") && !line.includes("RateLogger")) continue;
    const body = logBody(line);
    assert.ok(body !== undefined, `[${t.kind}] log line not in 3.8's layout: ${line}`);
    found.push(body.replaceAll(`cport:${t.port}`, "cport:<port>"));
  }
  return found;
}

async function withTarget(
  kind: Target["kind"],
  opts: TargetOptions,
  body: (t: Target) => Promise<void>,
) {
  const t = await startTarget(kind, opts);
  try {
    await body(t);
  } catch (e) {
    const tail = lines(t.logs()).slice(-40).join("\n");
    (e as Error).message += `\n--- last server log lines (${kind}) ---\n${tail}`;
    throw e;
  } finally {
    await t.stop();
  }
}

for (const kind of targets()) {
  const gate = needs(kind, ["zkcli"], "zkCli transcripts");

  Deno.test({ name: `[${kind}] zkCli seed session`, ignore: gate.ignore, ...SLOW }, async () => {
    gate.check();
    await withTarget(kind, {}, async (t) => {
      const commands = retarget(await reference("zkcli-seed-session.commands"), t.connectString);
      const run = await zkCliBatch(t.connectString, commands);
      const expected = canonicalMerged(lines(await reference("zkcli-seed-session.out")));
      assertSameLines(`[${kind}] zkCli seed session`, expected, canonicalMerged(run.lines));
      assert.equal(run.code, 0);

      const quota = quotaLogLines(t);
      if (kind === "herd") {
        assert.deepEqual(quota, SEED_SOFT_QUOTA_WARNINGS, "herd's soft-quota WARN lines");
      } else {
        assert.deepEqual(quota, [], "Apache 3.8.0 does not check soft quotas unless enforced");
      }
      console.log(
        `[${kind}] zkCli seed session: ${expected.length} canonical lines match; ` +
          `${quota.length} soft-quota WARN lines`,
      );
    });
  });

  Deno.test({ name: `[${kind}] zkCli hard quotas`, ignore: gate.ignore, ...SLOW }, async () => {
    gate.check();
    await withTarget(kind, { jvmFlags: ["-Dzookeeper.enforceQuota=true"] }, async (t) => {
      const commands = retarget(await reference("zkcli-hard-quota.commands"), t.connectString);
      const run = await zkCliBatch(t.connectString, commands);
      const expected = canonicalMerged(lines(await reference("zkcli-hard-quota.out")));
      assertSameLines(`[${kind}] zkCli hard quotas`, expected, canonicalMerged(run.lines));
      // zkCli's `quit` exits with the last command's outcome: `set /hq` failed.
      assert.equal(run.code, 1, "zkCli exit code after a failed last command");

      // The reference log's lines, minus timestamp, with the port made neutral.
      const expectedLog = lines(await reference("zkcli-hard-quota.server-log.txt"))
        .map((l) => logBody(l)!.replace(/cport:\d+/, "cport:<port>"));
      assertSameLines(`[${kind}] enforced-quota server log`, expectedLog, quotaLogLines(t));
      console.log(
        `[${kind}] zkCli hard quotas: ${expected.length} canonical lines and ` +
          `${expectedLog.length} RateLogger lines match`,
      );
    });
  });

  Deno.test({ name: `[${kind}] zkCli ACL transcript`, ignore: gate.ignore, ...SLOW }, async () => {
    gate.check();
    // The reference passed the super digest as a JVM flag; a zoo.cfg key becomes
    // the same system property in Apache, and herd must read it the same way.
    const extraCfg = {
      "DigestAuthenticationProvider.superDigest": "super:g9oN2HttPfn8MMWJZ2r45Np/LIA=",
    };
    await withTarget(kind, { extraCfg }, async (t) => {
      const actual = await replayCmds(t.connectString, await reference("03-acl.cmds"));
      const expected = canonicalTranscript(parseTranscript(await reference("03-acl.transcript")));
      assertSameLines(`[${kind}] zkCli ACL transcript`, expected, canonicalTranscript(actual));
      console.log(`[${kind}] zkCli ACL transcript: ${expected.length} canonical lines match`);
    });
  });
}
