import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { isReady, parseMetadataV1 } from "./kafka_wire.ts";

// Apache Kafka 2.8.2's answer to Metadata v1 (all topics) on one broker (id 0, 127.0.0.1:53367)
// with topics t2 (2 partitions) and t1 (1 partition), after the 4-byte size: correlation id 1,
// then the body. Captured on this machine with bench/kafka_wire.ts's request.
const ANSWER = "00000001000000010000000000093132372e302e302e310000d077ffff00000000000000020000" +
  "0002743200000000020000000000000000000000000001000000000000000100000000000000000001000000000000" +
  "000100000000000000010000000000000002743100000000010000000000000000000000000001000000000000000100" +
  "000000";

function hex(s: string): Uint8Array {
  return new Uint8Array(s.match(/../g)!.map((b) => parseInt(b, 16)));
}

Deno.test("Metadata v1: brokers and the leader of every partition of every topic", () => {
  const view = parseMetadataV1(hex(ANSWER).subarray(4));
  assertEquals(view.brokers, [0]);
  assertEquals(Object.fromEntries(view.topics), { t2: [0, 0], t1: [0] });
  assertEquals(isReady(view, 0, ["t1", "t2"]), true);
  assertEquals(isReady(view, 0, ["t1", "t3"]), false);
  assertEquals(isReady(view, 1, []), false);
});
