import assert from "node:assert/strict";
import { ServerMetrics, Summary, SummarySet } from "./metrics.ts";

Deno.test("a summary keeps count, sum, min, max and Apache's quantiles", () => {
  const s = new Summary(true);
  assert.deepStrictEqual([s.avg, s.min, s.max, s.mntrQuantile(0.5)], [0, 0, 0, 0]);
  assert.ok(Number.isNaN(s.rankQuantile(0.5)));
  for (const v of [3, 14, 14, 4]) s.add(v);
  assert.deepStrictEqual([s.count, s.sum, s.min, s.max, s.avg], [4, 35, 3, 14, 8.75]);
  // Dropwizard's snapshot: position q·(n+1) = 2.5 between 4 and 14, truncated as Apache's long.
  assert.deepStrictEqual(s.mntrQuantile(0.5), 9);
  assert.deepStrictEqual(s.mntrQuantile(0.999), 14);
  // The Prometheus client reports a sample at the rank: 4 for a's writes, as Apache served.
  assert.deepStrictEqual(s.rankQuantile(0.5), 4);
  s.reset();
  assert.deepStrictEqual([s.count, s.sum, s.min, s.max], [0, 0, 0, 0]);
  s.add(7);
  assert.deepStrictEqual([s.min, s.max, s.mntrQuantile(0.5)], [7, 7, 7]);
});

Deno.test("a summary samples uniformly once past its reservoir, min and max stay exact", () => {
  const s = new Summary(true);
  for (let i = 1; i <= 100_000; i++) s.add(i);
  assert.deepStrictEqual([s.count, s.min, s.max], [100_000, 1, 100_000]);
  const p50 = s.mntrQuantile(0.5);
  assert.ok(p50 > 40_000 && p50 < 60_000, `p50 ${p50}`);
});

Deno.test("summary sets file values under the path's top-level namespace", () => {
  const set = new SummarySet();
  for (const p of ["/a", "/a/1", "/ab", "/ab/c", "/a", "/zookeeper/quota", "/", "/b/x/y"]) {
    set.addForPath(p, p.length);
  }
  const got = Object.fromEntries([...set.byKey].map(([k, s]) => [k, [s.count, s.sum]]));
  assert.deepStrictEqual(got, {
    a: [3, 2 + 4 + 2],
    ab: [2, 3 + 5],
    zookeeper: [1, 16],
    b: [1, 6],
  });
  set.reset();
  assert.deepStrictEqual(set.byKey.size, 0);
  set.addForPath("/a/b", 1);
  assert.deepStrictEqual(set.byKey.get("a")?.count, 1);
});

Deno.test("ServerMetrics names its values as Apache does and srst resets them all", () => {
  const m = new ServerMetrics();
  m.bytesReceived = 10;
  m.fsyncTime.add(3);
  m.writePerNamespace.addForPath("/a", 3);
  assert.deepStrictEqual(m.counters().bytes_received_count, 10);
  assert.deepStrictEqual(m.summaries.get("fsynctime")?.count, 1);
  assert.deepStrictEqual([...m.summarySets.keys()], ["read_per_namespace", "write_per_namespace"]);
  m.reset();
  assert.deepStrictEqual(m.counters().bytes_received_count, 0);
  assert.deepStrictEqual(m.fsyncTime.count, 0);
  assert.deepStrictEqual(m.writePerNamespace.byKey.size, 0);
});
