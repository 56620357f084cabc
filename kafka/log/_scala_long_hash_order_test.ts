import assert from "node:assert/strict";
import { ScalaLongHashOrder } from "./_scala_long_hash_order.ts";

// Recorded from scala-library 2.12.13 (Kafka 2.8.2's libs/): a scala.collection.mutable.HashMap
// with boxed java.lang.Long keys, as Kafka's ProducerStateManager keeps producers; printed with
// keysIterator after the same puts, removes and clear.
const AFTER_GROWTH =
  "23,1001,32,1004,35,8,17,26,11,38,29,-7,2,20,5,14,4,13,1000,31,22,7,16,1003,34,25,37,10,1,28,19,5000000000,1002";
const AFTER_CLEAR = "101,104,100,103,105,102";

Deno.test("ScalaLongHashOrder iterates as Scala 2.12's mutable.HashMap[Long, _]", () => {
  const o = new ScalaLongHashOrder();
  for (let i = 0; i < 40; i++) o.add(i);
  for (let i = 0; i < 40; i += 3) o.delete(i);
  for (let i = 1000; i < 1005; i++) o.add(i);
  o.add(5_000_000_000);
  o.add(-7);
  o.add(23); // again: keeps its place
  assert.equal(o.keys().join(","), AFTER_GROWTH);
  o.clear(); // the table keeps its 64 buckets
  for (let i = 100; i < 106; i++) o.add(i);
  assert.equal(o.keys().join(","), AFTER_CLEAR);
});
