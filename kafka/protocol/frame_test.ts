import assert from "node:assert/strict";
import {
  readRequest,
  readResponse,
  writeRequest,
  writeResponse,
  writeUnsupportedApiVersions,
} from "./frame.ts";
import { KafkaReader } from "./reader.ts";
import { KafkaWriter } from "./writer.ts";
import { apiEntry, apiVersionsResponse, classifyRequest } from "./registry.ts";
import type { ProduceRequest } from "./messages/produce.ts";
import type { RequestHeader, ResponseHeader } from "./messages/headers.ts";
import { KafkaProtocolError } from "./errors.ts";

/** Frames Apache 2.8.2 and real clients exchanged (fixtures/README.md says how they were made). */
interface Frame {
  scenario: string;
  clientId: string | null;
  direction: "request" | "response";
  apiKey: number;
  apiVersion: number;
  hex: string;
}

const here = (p: string) => new URL(p, import.meta.url).pathname;
const FRAMES: Frame[] = Deno.readTextFileSync(here("fixtures/apache-2.8.2-frames.jsonl"))
  .trim().split("\n").map((l) => JSON.parse(l));
const PROBES: Record<string, string> = JSON.parse(
  Deno.readTextFileSync(here("fixtures/apache-2.8.2-probes.json")),
);

function unhex(s: string): Uint8Array {
  const b = new Uint8Array(s.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/** The frame without its 4-byte size prefix, after checking the prefix. */
function payload(w: KafkaWriter): Uint8Array {
  const b = w.written();
  assert.equal(new DataView(b.buffer, b.byteOffset).getInt32(0), b.length - 4);
  return b.subarray(4);
}

Deno.test("frames real clients sent to Apache 2.8.2 decode, and re-encode to the same bytes", () => {
  const w = new KafkaWriter(64);
  const seen = new Set<string>();
  for (const f of FRAMES.filter((f) => f.direction === "request")) {
    const bytes = unhex(f.hex);
    const r = new KafkaReader(bytes);
    const req = readRequest(r);
    const what = `${f.scenario} ${f.clientId} api ${f.apiKey} v${f.apiVersion}`;
    assert.equal(req.disposition.kind, "serve", what);
    assert.equal(r.pos, bytes.length, `${what}: body not read to its end`);
    w.reset();
    writeRequest(w, req.header!, req.body);
    assert.deepStrictEqual(payload(w), bytes, what);
    seen.add(
      `${f.clientId?.startsWith("kafka-python") ? "python" : "java"} ${f.apiKey}/${f.apiVersion}`,
    );
  }
  // The versions the issue names: kafka-python's ApiVersions v0 and Metadata v0; the Java
  // tools' ApiVersions v3, Metadata v11, Produce v9, CreateTopics v7; the broker's own
  // LeaderAndIsr v5 and UpdateMetadata v7 to itself.
  for (
    const k of ["python 18/0", "python 3/0", "java 18/3", "java 3/11", "java 0/9", "java 19/7"]
  ) {
    assert.ok(seen.has(k), `no ${k} frame in the fixtures`);
  }
  assert.ok(seen.has("java 4/5") && seen.has("java 6/7"));
});

Deno.test("Apache 2.8.2's responses decode, and re-encode to the same bytes", () => {
  const w = new KafkaWriter(64);
  let n = 0;
  for (const f of FRAMES.filter((f) => f.direction === "response")) {
    const bytes = unhex(f.hex);
    const entry = apiEntry(f.apiKey)!;
    const r = new KafkaReader(bytes);
    const { header, body } = readResponse(r, entry, f.apiVersion);
    const what = `${f.scenario} api ${f.apiKey} v${f.apiVersion}`;
    assert.equal(r.pos, bytes.length, `${what}: body not read to its end`);
    w.reset();
    const { correlationId, ...rest } = header as ResponseHeader;
    writeResponse(w, entry, f.apiVersion, correlationId, body, rest);
    assert.deepStrictEqual(payload(w), bytes, what);
    n++;
  }
  assert.ok(n >= 25, `only ${n} responses`);
});

Deno.test("herd's derived ApiVersions response is byte for byte Apache 2.8.2's (v0 and v3)", () => {
  const w = new KafkaWriter();
  const answers = FRAMES.filter((f) => f.direction === "response" && f.apiKey === 18);
  for (const v of [0, 3]) {
    const apache = answers.find((f) => f.apiVersion === v);
    assert.ok(apache, `no ApiVersions v${v} answer captured`);
    const bytes = unhex(apache.hex);
    const corr = new DataView(bytes.buffer).getInt32(0);
    w.reset();
    writeResponse(w, apiEntry(18)!, v, corr, apiVersionsResponse());
    assert.deepStrictEqual(payload(w), bytes, `ApiVersions v${v}`);
  }
});

/** A request frame as the capture script's probes wrote it (client id "probe", correlation 7). */
function probeRequest(apiKey: number, version: number, flexible: boolean, body: number[]) {
  const head = [apiKey >> 8, apiKey & 255, (version >> 8) & 255, version & 255, 0, 0, 0, 7, 0, 5];
  return new Uint8Array([
    ...head,
    ...new TextEncoder().encode("probe"),
    ...(flexible ? [0] : []),
    ...body,
  ]);
}

Deno.test("an ApiVersions version 2.8.2 does not serve gets its error 35 answer, byte for byte", () => {
  for (
    const [name, version] of [["ApiVersions v4", 4], ["ApiVersions v127", 127], [
      "ApiVersions v-1",
      -1,
    ]] as const
  ) {
    const req = readRequest(
      new KafkaReader(probeRequest(18, version, version >= 3, version >= 3 ? [0] : [])),
    );
    assert.equal(req.disposition.kind, "unsupported-api-versions", name);
    assert.equal(req.header?.clientId, "probe");
    const w = new KafkaWriter();
    writeUnsupportedApiVersions(w, req.correlationId);
    assert.deepStrictEqual(payload(w), unhex(PROBES[name]), name);
  }
});

Deno.test("what Apache 2.8.2 closes the connection on, herd classifies as close", () => {
  // Recorded: each of these got no answer, the connection closed, and the broker went on
  // serving (the last probe, ApiVersions v0, was answered).
  const closed: [string, number, number][] = [
    ["Metadata v12", 3, 12],
    ["Produce v10", 0, 10],
    ["Fetch v13", 1, 13],
    ["unknown key 99 v0", 99, 0],
    ["Vote (52) v0", 52, 0],
    ["Envelope (58) v0", 58, 0],
    ["FetchSnapshot (59) v0", 59, 0],
  ];
  for (const [name, key, version] of closed) {
    assert.equal(PROBES[name], "closed", `fixture: ${name}`);
    const req = readRequest(new KafkaReader(probeRequest(key, version, true, [0])));
    assert.equal(req.disposition.kind, "close", name);
    assert.equal(classifyRequest(key, version).kind, "close");
  }
  // A served version whose body does not parse: Apache closes; herd's reader throws.
  assert.equal(PROBES["Metadata v1 truncated body"], "closed");
  assert.throws(
    () => readRequest(new KafkaReader(probeRequest(3, 1, false, [0, 0, 0, 5]))),
    KafkaProtocolError,
  );
  assert.notEqual(PROBES["ApiVersions v0 after the probes (broker still serving)"], "closed");
});

Deno.test("bytes after a request's body are ignored, as Apache 2.8.2 ignores them", () => {
  // Recorded: both were answered as if the extra bytes were not there.
  const trailing: [string, number, number, number[]][] = [
    ["ApiVersions v0 with 3 trailing bytes", 18, 0, [1, 2, 3]],
    ["Metadata v1 (no topics) with 3 trailing bytes", 3, 1, [0, 0, 0, 0, 1, 2, 3]],
  ];
  for (const [name, key, version, body] of trailing) {
    assert.notEqual(PROBES[name], "closed", `fixture: ${name}`);
    const req = readRequest(new KafkaReader(probeRequest(key, version, false, body)));
    assert.equal(req.disposition.kind, "serve", name);
  }
  const w = new KafkaWriter();
  writeResponse(w, apiEntry(18)!, 0, 7, apiVersionsResponse());
  assert.deepStrictEqual(payload(w), unhex(PROBES["ApiVersions v0 with 3 trailing bytes"]));
});

Deno.test("Produce records stay views of the frame, not copies", () => {
  const f = FRAMES.find((f) => f.direction === "request" && f.apiKey === 0 && f.apiVersion === 9)!;
  const bytes = unhex(f.hex);
  const req = readRequest(new KafkaReader(bytes));
  const body = req.body as ProduceRequest;
  const records = body.topicData[0].partitionData[0].records!;
  assert.equal(body.topicData[0].name, "jt");
  assert.equal(records.buffer, bytes.buffer);
  // A record batch v2: magic byte 2 at offset 16.
  assert.equal(records[16], 2);
  assert.equal((req.header as RequestHeader).clientId, "console-producer");
});
