import assert from "node:assert/strict";
import { logsAfter, type ZxidFile } from "./files.ts";

const logs = (...zxids: number[]): ZxidFile[] => zxids.map((z) => ({ path: `log.${z}`, zxid: z }));
const starts = (fs: ZxidFile[]) => fs.map((f) => f.zxid);

Deno.test("logsAfter: starts at the log holding zxid + 1", () => {
  // log.1 holds 1..10, log.11 holds 11..20, log.21 holds 21 on.
  const all = logs(1, 11, 21);
  assert.deepEqual(starts(logsAfter(all, 0)), [1, 11, 21]);
  assert.deepEqual(starts(logsAfter(all, 5)), [1, 11, 21]);
  assert.deepEqual(starts(logsAfter(all, 9)), [1, 11, 21]);
  // The snapshot at 10 holds everything log.1 does: log.1 is not read again.
  assert.deepEqual(starts(logsAfter(all, 10)), [11, 21]);
  assert.deepEqual(starts(logsAfter(all, 11)), [11, 21]);
  assert.deepEqual(starts(logsAfter(all, 20)), [21]);
  assert.deepEqual(starts(logsAfter(all, 500)), [21]);
});

Deno.test("logsAfter: no logs, or all of them after zxid", () => {
  assert.deepEqual(logsAfter([], 7), []);
  assert.deepEqual(starts(logsAfter(logs(9, 12), 3)), [9, 12]);
});
