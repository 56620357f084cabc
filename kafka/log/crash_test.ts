/**
 * SIGKILL while appending with flush.messages=1, three rounds on the same log dir: after each
 * restart (no clean-shutdown marker, so recovery runs) every acknowledged record is there exactly
 * once, at the offset it was acknowledged with, and the offsets have no gap.
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../internal/clock.ts";
import { LogManager } from "./log_manager.ts";
import { recordsOf } from "./_log_test_util.ts";

const CHILD = new URL("./_crash_child.ts", import.meta.url).pathname;

async function crashRound(
  logDir: string,
  round: number,
  acks: number,
): Promise<Map<string, number>> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, logDir, String(round)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const acked = new Map<string, number>();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  try {
    while (acked.size < acks) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the child exited after ${acked.size} acks`);
      const lines = (rest + value).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        const [, offset, key] = line.split(" ");
        acked.set(key, Number(offset));
      }
    }
    child.kill("SIGKILL");
  } finally {
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
  return acked;
}

Deno.test("crash: every acknowledged record survives SIGKILL exactly once, 3 rounds", async () => {
  const root = await Deno.makeTempDir({ prefix: "herd-plog-crash-" });
  try {
    const logDir = `${root}/data`;
    const acked = new Map<string, number>();
    for (let round = 1; round <= 3; round++) {
      for (const [k, o] of await crashRound(logDir, round, 150 * round)) acked.set(k, o);
      const m = await LogManager.open({
        logDirs: [logDir],
        brokerId: 0,
        clock: new ManualClock(0),
        defaults: new Map([["segment.bytes", "8192"]]),
      });
      const log = m.get("t", 0)!;
      const seen = new Map<string, number>();
      let next = 0;
      while (next < log.logEndOffset) {
        const recs = recordsOf((await log.read(next, 1 << 20, { minOneMessage: true })).records);
        assert.ok(
          recs.length > 0,
          `no records at ${next} below the log end offset ${log.logEndOffset}: segments ${log.segmentBaseOffsets}`,
        );
        for (const [offset, key] of recs) {
          assert.equal(offset, next, `offsets run on without a gap (round ${round})`);
          assert.ok(!seen.has(key), `${key} twice`);
          seen.set(key, offset);
          next++;
        }
      }
      for (const [k, o] of acked) assert.equal(seen.get(k), o, `acknowledged ${k} at ${o}`);
      assert.ok(log.segmentBaseOffsets.length > 1);
      // Not a clean shutdown: the next round's child starts on a crashed dir again.
      await m.abandon();
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
