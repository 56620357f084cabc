import assert from "node:assert/strict";
import { OpCode } from "../jute/mod.ts";
import { setWatchesBatches } from "./set_watches.ts";

const none = { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };

Deno.test("setWatchesBatches: one request with every kind", () => {
  const reqs = setWatchesBatches(
    { data: ["/d"], exist: ["/e"], child: ["/c"], persistent: ["/p"], persistentRecursive: ["/r"] },
    99,
  );
  assert.deepEqual(reqs, [{
    type: OpCode.setWatches2,
    relativeZxid: 99,
    dataWatches: ["/d"],
    existWatches: ["/e"],
    childWatches: ["/c"],
    persistentWatches: ["/p"],
    persistentRecursiveWatches: ["/r"],
  }]);
  assert.deepEqual(setWatchesBatches(none, 1), []);
});

Deno.test("setWatchesBatches: splits by path bytes, keeping every path once", () => {
  const data = Array.from({ length: 10 }, (_, i) => `/data-${i}`); // 7 chars each
  const child = ["/x".repeat(20)]; // 40 chars: alone in its batch
  const reqs = setWatchesBatches({ ...none, data, child }, 5, 30);
  assert.deepEqual(reqs.map((r) => [r.dataWatches.length, r.childWatches.length]), [
    [4, 0],
    [4, 0],
    [2, 0],
    [0, 1],
  ]);
  assert.deepEqual(reqs.flatMap((r) => r.dataWatches), data);
});
