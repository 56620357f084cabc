import assert from "node:assert/strict";
import { scala212HashMapOrder } from "./_scala_map_order.ts";

const upTo = (n: number) => Array.from({ length: n }, (_, i) => String(i));

Deno.test("scala 2.12 HashMap order: the partition-key orders zk-layout.md §1.3 records", () => {
  // kafka_2.12 writes a 1-partition topic as {"0":…} and 3 partitions as "2","1","0".
  assert.deepEqual(scala212HashMapOrder(upTo(1)), ["0"]);
  assert.deepEqual(scala212HashMapOrder(upTo(3)), ["2", "1", "0"]);
  // 12 keys still fit 16 buckets; collisions keep the later key first.
  assert.deepEqual(
    scala212HashMapOrder(upTo(12)),
    ["2", "5", "8", "7", "1", "11", "4", "6", "9", "0", "10", "3"],
  );
});

Deno.test("scala 2.12 HashMap order: a permutation of the keys, also across a resize", () => {
  for (const n of [13, 24, 25, 50, 100]) {
    const got = scala212HashMapOrder(upTo(n));
    assert.deepEqual([...got].sort(), [...upTo(n)].sort(), `${n} keys`);
  }
  assert.deepEqual(scala212HashMapOrder(["1", "0", "1"]), scala212HashMapOrder(["1", "0"]));
});

Deno.test("past 12 keys (a resize) the order is still scala-library 2.12.13's", () => {
  // scala.collection.mutable.HashMap with "0".."19" put in order, keysIterator, printed by the
  // JVM here (scala-library-2.12.13.jar from Kafka 2.8.2's libs): the seed stays 4 on resize.
  assert.deepEqual(
    scala212HashMapOrder(Array.from({ length: 20 }, (_, i) => String(i))).join(","),
    "2,5,12,15,8,18,7,17,1,4,11,14,6,0,9,16,19,3,10,13",
  );
});
