import assert from "node:assert/strict";
import { javaHashMapOrder, javaStringHash, scalaMapOrder, topicPartitionHash } from "./order.ts";

Deno.test("Java hashes and HashMap order are the JVM's", () => {
  assert.equal(javaStringHash("h3"), 3275);
  assert.equal(topicPartitionHash("h3", 2), 4298);
  // Apache 2.8.2 printed the committed offsets of h3-0, h3-1, h3-2 as partitions 2, 1, 0.
  const tps = [0, 1, 2].map((partition) => ({ topic: "h3", partition }));
  assert.deepEqual(javaHashMapOrder(tps).map((tp) => tp.partition), [2, 1, 0]);
});

Deno.test("small Scala maps keep insertion order, large ones the trie's", () => {
  const four = [3, 1, 2, 0].map((partition) => ({ topic: "t", partition }));
  assert.deepEqual(scalaMapOrder(four), four);
  const seven = [0, 1, 2, 3, 4, 5, 6].map((partition) => ({ topic: "t", partition }));
  const got = scalaMapOrder(seven).map((tp) => tp.partition);
  assert.deepEqual([...got].sort(), [0, 1, 2, 3, 4, 5, 6], "a permutation");
  assert.deepEqual(scalaMapOrder(seven), scalaMapOrder([...seven].reverse()), "order by hash");
});
