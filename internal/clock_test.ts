import assert from "node:assert/strict";
import { type Clock, ManualClock, systemClock } from "./clock.ts";

Deno.test("ManualClock moves only forward, and only when told", () => {
  const clock: ManualClock = new ManualClock(1_000);
  assert.equal(clock.now(), 1_000);
  clock.advance(0);
  clock.advance(250);
  assert.equal(clock.now(), 1_250);
  clock.set(5_000);
  assert.equal(clock.now(), 5_000);
  assert.throws(() => clock.advance(-1), RangeError);
  assert.throws(() => clock.advance(NaN), RangeError);
  assert.throws(() => clock.set(4_999), RangeError);
  assert.equal(clock.now(), 5_000);
});

Deno.test("systemClock reads Date.now()", () => {
  const c: Clock = systemClock;
  const before = Date.now();
  const t = c.now();
  assert.ok(t >= before && t <= Date.now());
});
