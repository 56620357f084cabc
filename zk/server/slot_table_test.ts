import assert from "node:assert/strict";
import { SlotSet, SlotTable } from "./slot_table.ts";

Deno.test("SlotTable: behaves as a Map under add/delete churn, reusing freed slots", () => {
  const t = new SlotTable<bigint, string>();
  const model = new Map<bigint, string>();
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 5000; i++) {
    const k = BigInt(Math.floor(random() * 60));
    if (random() < 0.55) {
      t.set(k, `v${i}`);
      model.set(k, `v${i}`);
    } else {
      assert.equal(t.delete(k), model.delete(k));
    }
    assert.equal(t.size, model.size);
    assert.equal(t.get(k), model.get(k));
    assert.equal(t.has(k), model.has(k));
  }
  const sorted = <T>(xs: Iterable<T>) => [...xs].sort();
  assert.deepEqual(sorted(t.entries()), sorted(model.entries()));
  assert.deepEqual(sorted(t.keys()), sorted(model.keys()));
  assert.deepEqual(sorted(t.values()), sorted(model.values()));
  assert.deepEqual(sorted(t), sorted(model));
  // Slots are reused: 60 keys never need more than 60 slots.
  assert.ok(t.capacity <= 60, `capacity ${t.capacity}`);
});

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
