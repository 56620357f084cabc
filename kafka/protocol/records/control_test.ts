import assert from "node:assert/strict";
import {
  buildEndTxnMarkerBatch,
  decodeEndTxnMarker,
  encodeControlKey,
  encodeEndTxnMarkerValue,
  readControlKey,
} from "./control.ts";
import { RecordBatch } from "./record_batch.ts";
import { RecordsError } from "./errors.ts";

Deno.test("control: marker batches round trip with Kafka's key and value bytes", () => {
  for (const type of ["ABORT", "COMMIT"] as const) {
    const bytes = buildEndTxnMarkerBatch({
      type,
      coordinatorEpoch: 12,
      producerId: 4000,
      producerEpoch: 3,
      timestamp: 1_700_000_000_000,
      baseOffset: 9,
    });
    const b = new RecordBatch(bytes);
    assert.ok(b.isValid());
    assert.equal(b.header.attributes, 0x30);
    assert.deepEqual([b.header.producerId, b.header.producerEpoch, b.header.baseSequence], [
      4000,
      3,
      -1,
    ]);
    const [r] = b.records();
    assert.equal(r.offset, 9);
    assert.deepEqual([...r.key!], [0, 0, 0, type === "COMMIT" ? 1 : 0]);
    assert.deepEqual([...r.value!], [0, 0, 0, 0, 0, 12]);
    assert.deepEqual(decodeEndTxnMarker(r.key, r.value), { type, coordinatorEpoch: 12 });
  }
});

Deno.test("control: malformed keys and values are INVALID_RECORD", () => {
  const is87 = (e: unknown) => e instanceof RecordsError && e.code === 87;
  assert.throws(() => readControlKey(null), is87);
  assert.throws(() => readControlKey(new Uint8Array([0, 0, 0, 7])), is87);
  assert.throws(() => readControlKey(new Uint8Array([0xff, 0xff, 0, 1])), is87);
  assert.throws(() => decodeEndTxnMarker(encodeControlKey("COMMIT"), new Uint8Array(3)), is87);
  assert.equal(
    decodeEndTxnMarker(encodeControlKey("ABORT"), encodeEndTxnMarkerValue(-1)).coordinatorEpoch,
    -1,
  );
});
