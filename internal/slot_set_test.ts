import assert from "node:assert/strict";
import { SlotSet } from "./slot_set.ts";

Deno.test("SlotSet: membership by slot, each member in one set at a time", () => {
  const s = new SlotSet<{ slot: number; name: string }>();
  const a = { slot: -1, name: "a" };
  const b = { slot: -1, name: "b" };
  const c = { slot: -1, name: "c" };
  s.add(a).add(b).add(a);
  assert.equal(s.size, 2);
  assert.ok(s.has(a) && s.has(b) && !s.has(c));
  assert.equal(s.delete(a), true);
  assert.equal(s.delete(a), false);
  assert.equal(a.slot, -1);
  s.add(c); // takes a's old slot
  assert.deepEqual([...s].map((x) => x.name).sort(), ["b", "c"]);
  assert.equal(s.size, 2);
  assert.ok(!s.has(a));
});
