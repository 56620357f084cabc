import assert from "node:assert/strict";
import { randomMessage, Rng } from "./_random_message.ts";
import { loadApiSchemas, loadMessage, type MessageSpec, SPEC_DIR } from "./gen/schema.ts";
import { API_ENTRIES } from "./registry.ts";
import { KafkaReader } from "./reader.ts";
import { KafkaWriter } from "./writer.ts";
import {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
} from "./messages/headers.ts";
import { API_CODECS } from "./messages/apis.ts";

const SEED = Number(Deno.env.get("HERD_SEED") ?? 20261208);
const ROUNDS = 4;

type Encode = (w: KafkaWriter, m: never, v: number) => void;
type Decode = (r: KafkaReader, v: number) => unknown;

/** Encodes, decodes, compares, and re-encodes: returns how many messages it checked. */
function roundTrip(
  what: string,
  spec: MessageSpec,
  range: { min: number; max: number },
  encode: Encode,
  decode: Decode,
  rng: Rng,
): number {
  const w = new KafkaWriter(64);
  const w2 = new KafkaWriter(64);
  let n = 0;
  for (let v = range.min; v <= range.max; v++) {
    for (let round = 0; round < ROUNDS; round++) {
      const msg = randomMessage(spec, range, v, rng);
      const where = `${what} v${v} round ${round} (seed ${SEED})`;
      w.reset();
      encode(w, msg as never, v);
      const bytes = w.written().slice();
      const r = new KafkaReader(bytes);
      const back = decode(r, v);
      assert.equal(r.pos, bytes.length, `${where}: decoder stopped at ${r.pos} of ${bytes.length}`);
      assert.deepStrictEqual(back, msg, where);
      w2.reset();
      encode(w2, back as never, v);
      assert.deepStrictEqual(w2.written(), bytes, `${where}: re-encoding differs`);
      n++;
    }
  }
  return n;
}

Deno.test("every API × every 2.8.2 version round-trips random requests and responses", () => {
  console.log(`seed ${SEED} (HERD_SEED replays)`);
  const schemas = loadApiSchemas();
  const rng = new Rng(SEED);
  let messages = 0;
  let versions = 0;
  for (const e of API_ENTRIES) {
    const s = schemas.get(e.apiKey)!;
    const range = { min: e.minVersion, max: e.maxVersion };
    const c = e.codec;
    messages += roundTrip(
      `${e.name} request`,
      s.request,
      range,
      c.encodeRequest,
      c.decodeRequest,
      rng,
    );
    messages += roundTrip(
      `${e.name} response`,
      s.response,
      range,
      c.encodeResponse,
      c.decodeResponse,
      rng,
    );
    versions += range.max - range.min + 1;
  }
  console.log(`${API_ENTRIES.length} APIs, ${versions} API versions, ${messages} messages`);
  assert.equal(API_ENTRIES.length, 56);
  assert.equal(versions, 235);
});

Deno.test("request headers v0–2 and response headers v0–1 round-trip", () => {
  const rng = new Rng(SEED);
  const req = loadMessage(`${SPEC_DIR}RequestHeader.json`);
  const res = loadMessage(`${SPEC_DIR}ResponseHeader.json`);
  roundTrip(
    "request header",
    req,
    { min: 0, max: 2 },
    encodeRequestHeader,
    decodeRequestHeader,
    rng,
  );
  roundTrip(
    "response header",
    res,
    { min: 0, max: 1 },
    encodeResponseHeader,
    decodeResponseHeader,
    rng,
  );
});

Deno.test("fields a version lacks may be left out, and encode as their defaults", () => {
  const w = new KafkaWriter();
  // Produce response v0 has no throttle time, log append time or log start offset.
  API_CODECS[0].encodeResponse(w, {
    responses: [{ name: "t", partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 5 }] }],
  }, 0);
  assert.deepStrictEqual(
    [...w.written()],
    [0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5],
  );
  // ...and at v5 they are written with the schema's defaults (-1).
  w.reset();
  API_CODECS[0].encodeResponse(w, {
    responses: [{ name: "t", partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 5 }] }],
  }, 5);
  const back = API_CODECS[0].decodeResponse(new KafkaReader(w.written()), 5);
  const p = back.responses[0].partitionResponses[0];
  assert.equal(p.logAppendTimeMs, -1);
  assert.equal(p.logStartOffset, -1);
  assert.equal(back.throttleTimeMs, 0);
});

Deno.test("a version outside 2.8.2's range is refused by the codec", () => {
  const w = new KafkaWriter();
  assert.throws(
    () => API_CODECS[3].encodeRequest(w, { topics: [] }, 12),
    /Metadata request version 12 is not supported \(0–11\)/,
  );
  assert.throws(
    () => API_CODECS[3].decodeRequest(new KafkaReader(new Uint8Array(8)), -1),
    /Metadata request version -1 is not supported/,
  );
});

Deno.test("a null in a non-nullable field, or a short frame, is a clear error", () => {
  const w = new KafkaWriter();
  // CreateTopics v0 topic name null: int16 array length 1, then string length -1.
  w.int32(1);
  w.int16(-1);
  assert.throws(
    () => API_CODECS[19].decodeRequest(new KafkaReader(w.written()), 0),
    /non-nullable string at offset \d+ is null/,
  );
  assert.throws(
    () => API_CODECS[0].decodeRequest(new KafkaReader(new Uint8Array([0, 1, 0])), 0),
    /truncated frame/,
  );
  // An array claiming more elements than bytes remain is refused before allocating.
  w.reset();
  w.int16(1);
  w.int32(0);
  w.int32(0x7fffffff);
  assert.throws(
    () => API_CODECS[0].decodeRequest(new KafkaReader(w.written()), 0),
    /array of 2147483647 elements/,
  );
});
