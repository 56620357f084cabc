import assert from "node:assert/strict";
import { SeededRandom } from "./seeded_random.ts";

Deno.test("SeededRandom: same seed, same sequence; ranges hold", () => {
  const a = new SeededRandom(7);
  const b = new SeededRandom(7);
  const xs = Array.from({ length: 100 }, () => a.int(3, 9));
  assert.deepEqual(xs, Array.from({ length: 100 }, () => b.int(3, 9)));
  assert.ok(xs.every((x) => x >= 3 && x <= 9));
  assert.deepEqual(new Set(xs), new Set([3, 4, 5, 6, 7, 8, 9]));
  assert.notDeepEqual(xs, Array.from({ length: 100 }, () => new SeededRandom(8).int(3, 9)));
});
