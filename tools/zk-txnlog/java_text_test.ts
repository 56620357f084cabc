import assert from "node:assert/strict";
import {
  javaDateToString,
  javaHex,
  javaHex016,
  javaMediumDateTime,
  javaShortLongDateTime,
  javaUtf8,
} from "./java_text.ts";

Deno.test("Long.toHexString and %#016x", () => {
  assert.equal(javaHex(0), "0");
  assert.equal(javaHex(-2), "fffffffffffffffe");
  assert.equal(javaHex(0x100003f9ebc0000n), "100003f9ebc0000");
  assert.equal(javaHex(-0x8000000000000000n), "8000000000000000");
  assert.equal(javaHex016(0), "0x00000000000000");
  assert.equal(javaHex016(0x1b), "0x0000000000001b");
  assert.equal(javaHex016(0x100003f9ebc0000n), "0x100003f9ebc0000");
  assert.equal(javaHex016(-0x100000000000000n), "0xff00000000000000");
});

Deno.test("new String(bytes, UTF_8): malformed bytes become U+FFFD", () => {
  assert.equal(javaUtf8(null), "");
  assert.equal(javaUtf8(new Uint8Array([0x68, 0xc3, 0xa9])), "hé");
  assert.equal(javaUtf8(new Uint8Array([0xff, 0x41, 0xc3])), "\ufffdA\ufffd");
});

Deno.test({
  name: "Java's date formats (checked when this process runs in UTC)",
  ignore: new Date(0).getTimezoneOffset() !== 0,
}, () => {
  const t = 0x1a20fda65f7; // 2026-11-24 23:18:20.919 UTC
  assert.equal(javaShortLongDateTime(t), "11/24/26, 11:18:20 PM UTC");
  assert.equal(javaShortLongDateTime(0), "1/1/70, 12:00:00 AM UTC");
  assert.equal(javaMediumDateTime(t), "Nov 24, 2026, 11:18:20 PM");
  assert.equal(javaDateToString(0), "Thu Jan 01 00:00:00 UTC 1970");
  assert.equal(javaDateToString(t), "Tue Nov 24 23:18:20 UTC 2026");
});
