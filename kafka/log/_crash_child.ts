/**
 * Test helper for crash_test.ts: `deno run -A _crash_child.ts LOG_DIR ROUND` opens a LogManager
 * on LOG_DIR, appends to t-0 (flush.messages=1, small segments) with 8 appends in flight, and
 * prints `acked <baseOffset> <key>` for each acknowledged one until it is killed.
 *
 * @module
 */

import { systemClock } from "../../internal/clock.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";
import { LogManager } from "./log_manager.ts";

const [logDir, round] = Deno.args;
const m = await LogManager.open({
  logDirs: [logDir],
  brokerId: 0,
  clock: systemClock,
  defaults: new Map([["flush.messages", "1"], ["segment.bytes", "8192"]]),
});
const log = await m.getOrCreate({ topic: "t", partition: 0 }, m.configFor());
const enc = new TextEncoder();
const out = Deno.stdout;
let n = 0;
async function one(): Promise<void> {
  for (;;) {
    const key = `r${round}-${n++}`;
    const batch = buildRecordBatch({
      records: [{ timestamp: Date.now(), key: enc.encode(key), value: new Uint8Array(300) }],
    });
    const r = await log.appendAsLeader(batch, Number(round));
    out.writeSync(enc.encode(`acked ${r.baseOffset} ${key}\n`));
  }
}
await Promise.all(Array.from({ length: 8 }, one));
