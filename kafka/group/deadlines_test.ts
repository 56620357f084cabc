import assert from "node:assert/strict";
import { DeadlineHeap } from "./deadlines.ts";

Deno.test("deadlines: popped in time order, ties in insertion order, only when due", () => {
  const h = new DeadlineHeap<string>();
  const seed = 7;
  let x = seed;
  const want: [number, string][] = [];
  for (let i = 0; i < 200; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const at = x % 50;
    h.push(at, `e${i}`);
    want.push([at, `e${i}`]);
  }
  want.sort((a, b) => a[0] - b[0] || Number(a[1].slice(1)) - Number(b[1].slice(1)));
  assert.equal(h.popDue(-1), undefined);
  const got: string[] = [];
  for (let now = 0; now < 50; now++) {
    for (let e = h.popDue(now); e !== undefined; e = h.popDue(now)) got.push(e);
    assert.ok(h.peek() === undefined || h.peek()! > now);
  }
  assert.deepEqual(got, want.map((w) => w[1]));
  assert.equal(h.size, 0);
});
