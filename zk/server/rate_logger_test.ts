import assert from "node:assert/strict";
import { RateLogger } from "./rate_logger.ts";

Deno.test("RateLogger logs a new message at once and counts repeats until flushed", () => {
  const lines: string[] = [];
  let now = 0;
  const r = new RateLogger(
    (where, l) => lines.push(`${where} ${l}`),
    (n) => `RateLogger@${n}`,
    100,
    () => now,
  );
  r.log("a");
  r.log("a");
  now = 10;
  r.log("b");
  r.log("b");
  r.log("b");
  now = 500;
  r.log("b"); // interval passed: flush the count, keep b as current
  assert.deepEqual(lines, [
    "RateLogger@87 Message:a Value:null",
    "RateLogger@57 Message: a",
    "RateLogger@87 Message:b Value:null",
    "RateLogger@57 [3 times] Message: b",
  ]);
});
