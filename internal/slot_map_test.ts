import assert from "node:assert/strict";
import { hashId, hashPath, SlotMap } from "./slot_map.ts";

Deno.test("SlotMap of ids: behaves as a Map under add/delete churn, reusing freed slots", () => {
  const t = new SlotMap<bigint, string>(hashId);
  const model = new Map<bigint, string>();
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  // Ids as servers make them (server id in the top byte, a counter below), and some that differ
  // only in their high half.
  const ids = Array.from(
    { length: 60 },
    (_, i) =>
      i < 20
        ? (BigInt(i % 3 + 1) << 56n) | (0x18c4a7bn << 16n) | BigInt(i)
        : i < 40
        ? BigInt(i) << 40n
        : 0xffn << 56n | BigInt(i),
  );
  for (let i = 0; i < 5000; i++) {
    const k = ids[Math.floor(random() * ids.length)];
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

Deno.test("SlotMap of paths: behaves as a Map, null values included", () => {
  const t = new SlotMap<string, number | null>(hashPath);
  const model = new Map<string, number | null>();
  const paths = Array.from({ length: 200 }, (_, i) => i % 7 === 0 ? "/" : `/a/b${i % 50}/c${i}`);
  let seed = 3;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 20000; i++) {
    const k = paths[Math.floor(random() * paths.length)];
    const r = random();
    if (r < 0.5) {
      const v = r < 0.1 ? null : i;
      t.set(k, v);
      model.set(k, v);
    } else {
      assert.equal(t.delete(k), model.delete(k));
    }
    assert.equal(t.get(k), model.get(k));
    assert.equal(t.size, model.size);
  }
  assert.deepEqual([...t.keys()].sort(), [...model.keys()].sort());
});

Deno.test("SlotMap: emptied after a burst, it gives the room back and starts over", () => {
  const t = new SlotMap<string, number>(hashPath);
  for (let i = 0; i < 1000; i++) t.set(`/burst/n${i}`, i);
  assert.equal(t.capacity, 1000);
  for (let i = 0; i < 999; i++) t.delete(`/burst/n${i}`);
  assert.equal(t.capacity, 1000);
  assert.deepEqual([...t.keys()], ["/burst/n999"]);
  t.delete("/burst/n999");
  assert.equal(t.capacity, 0);
  assert.deepEqual([...t.entries()], []);
  t.set("/again", 1);
  assert.equal(t.get("/again"), 1);
  assert.equal(t.get("/burst/n5"), undefined);
  assert.equal(t.size, 1);
});
