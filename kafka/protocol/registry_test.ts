import assert from "node:assert/strict";
import {
  API_ENTRIES,
  apiEntry,
  apiVersionsResponse,
  classifyRequest,
  requestHeaderVersion,
  responseHeaderVersion,
} from "./registry.ts";

const FIXTURE = new URL("fixtures/apache-2.8.2-schemas.txt", import.meta.url).pathname;

Deno.test("header versions per API and version are the ones Apache 2.8.2's classes give", () => {
  let n = 0;
  for (const line of Deno.readTextFileSync(FIXTURE).trim().split("\n")) {
    const p = line.split(" ");
    if (p[0] === "header") continue;
    const entry = apiEntry(Number(p[0]));
    assert.ok(entry, `api key ${p[0]} not in the registry`);
    assert.equal(entry.name, p[1]);
    const v = Number(p[3]);
    const got = p[2] === "request"
      ? requestHeaderVersion(entry, v)
      : responseHeaderVersion(entry, v);
    assert.equal(`h${got}`, p[4], `${p[1]} ${p[2]} v${v}`);
    n++;
  }
  assert.equal(n, 470);
  // The two exceptions to "flexible → newer header": ApiVersions answers with header v0 even at
  // v3 (KIP-511), and ControlledShutdown v0 requests have header v0 (no client id).
  assert.equal(responseHeaderVersion(apiEntry(18)!, 3), 0);
  assert.equal(requestHeaderVersion(apiEntry(7)!, 0), 0);
});

Deno.test("ApiVersions' content is the registry: every entry, in key order, with its range", () => {
  const r = apiVersionsResponse();
  assert.equal(r.apiKeys.length, 56);
  assert.deepStrictEqual(
    r.apiKeys.map((k) => `${k.apiKey}:${k.maxVersion}`).join(" "),
    // Apache 2.8.2's advertised list (../shared/reference/kafka/apache-2.8.2.md).
    "0:9 1:12 2:6 3:11 4:5 5:3 6:7 7:3 8:8 9:7 10:3 11:7 12:4 13:4 14:5 15:5 16:4 17:1 18:3 19:7 " +
      "20:6 21:2 22:4 23:4 24:3 25:3 26:3 27:1 28:3 29:2 30:2 31:2 32:4 33:2 34:2 35:2 36:2 37:3 " +
      "38:2 39:2 40:2 41:2 42:2 43:2 44:1 45:0 46:0 47:0 48:1 49:1 50:0 51:0 56:0 57:0 60:0 61:0",
  );
  assert.ok(r.apiKeys.every((k) => k.minVersion === 0));
  assert.deepStrictEqual(API_ENTRIES.map((e) => e.apiKey), r.apiKeys.map((k) => k.apiKey));
});

Deno.test("requests are classified as Apache 2.8.2 treats them", () => {
  assert.equal(classifyRequest(0, 9).kind, "serve");
  assert.equal(classifyRequest(0, 10).kind, "close");
  assert.equal(classifyRequest(18, 4).kind, "unsupported-api-versions");
  assert.equal(classifyRequest(18, -1).kind, "unsupported-api-versions");
  for (const key of [-1, 52, 53, 54, 55, 58, 59, 62, 99, 32767]) {
    assert.equal(classifyRequest(key, 0).kind, "close", `key ${key}`);
  }
  const c = classifyRequest(3, 12);
  assert.ok(c.kind === "close" && c.reason === "Metadata version 12 is not supported (0–11)");
});
