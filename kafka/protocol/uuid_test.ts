import assert from "node:assert/strict";
import { uuidToBytes, uuidToString, ZERO_UUID } from "./uuid.ts";
import { KafkaReader } from "./reader.ts";
import { KafkaWriter } from "./writer.ts";

Deno.test("UUIDs read and write as Kafka prints them (URL-safe base64, 22 characters)", () => {
  assert.equal(uuidToString(new Uint8Array(16), 0), ZERO_UUID);
  // A topic id Apache 2.8.2 printed for a topic (kafka-topics --describe: TopicId: …).
  const bytes = new Uint8Array(16);
  uuidToBytes("3YZbGD8aQpShJ1jDL5fvbA", bytes, 0);
  assert.equal(uuidToString(bytes, 0), "3YZbGD8aQpShJ1jDL5fvbA");
  const ff = new Uint8Array(16).fill(255);
  assert.equal(uuidToString(ff, 0), "_____________________w");
  const w = new KafkaWriter();
  w.uuid("_____________________w");
  assert.deepStrictEqual(w.written(), ff);
  assert.equal(new KafkaReader(ff).uuid(), "_____________________w");
});

Deno.test("anything but a Kafka UUID string is refused", () => {
  const b = new Uint8Array(16);
  for (
    const bad of [
      "",
      "AAAA",
      "AAAAAAAAAAAAAAAAAAAAA=",
      "AAAAAAAAAAAAAAAAAAAAA+",
      "AAAAAAAAAAAAAAAAAAAAAB",
    ]
  ) {
    assert.throws(() => uuidToBytes(bad, b, 0), /not a Kafka UUID/, bad);
  }
});
