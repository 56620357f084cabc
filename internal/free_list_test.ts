import assert from "node:assert/strict";
import { FreeList } from "./free_list.ts";

Deno.test("FreeList reuses what was given back and keeps at most max", () => {
  let made = 0;
  const list = new FreeList(() => ({ n: made++ }), 2);
  const a = list.take();
  const b = list.take();
  const c = list.take();
  assert.equal(made, 3);
  list.give(a);
  list.give(b);
  list.give(c); // over max: dropped
  assert.equal(list.size, 2);
  assert.equal(list.take(), b);
  assert.equal(list.take(), a);
  assert.equal(list.take().n, 3);
});
