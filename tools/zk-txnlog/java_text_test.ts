import assert from "node:assert/strict";
import {
  javaDateToString,
  javaHex,
  javaHex016,
  javaHexOfHalves,
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

Deno.test("Long.toHexString of a long read as two ints, and of doubles past 32 bits", () => {
  assert.equal(javaHexOfHalves(0, 0), "0");
  assert.equal(javaHexOfHalves(0, -1), "ffffffff");
  assert.equal(javaHexOfHalves(0x100003f, 0x9ebc0000 | 0), "100003f9ebc0000");
  assert.equal(javaHexOfHalves(-1, -2), "fffffffffffffffe");
  assert.equal(javaHexOfHalves(0x80000000 | 0, 0), "8000000000000000");
  assert.equal(javaHexOfHalves(1, 5), "100000005");
  assert.equal(javaHex(0x100001726), "100001726");
  assert.equal(javaHex(Number.MAX_SAFE_INTEGER), "1fffffffffffff");
  assert.equal(javaHex(0xffffffff), "ffffffff");
});

Deno.test("dates of one second share a text; the zone's name follows daylight saving", async () => {
  const t = 0x1a20fda65f7;
  // Within one second, and either side of a second's edge.
  const script = `
    import { javaDateToString, javaShortLongDateTime } from "${
    new URL("./java_text.ts", import.meta.url).href
  }";
    const t = ${t};
    console.log([t, t + 80, t + 81, t - 919, t - 920].map(javaDateToString).join("|"));
    console.log([t, t + 81].map(javaShortLongDateTime).join("|"));
    // New York in winter, then summer, then winter again in the same year.
    const d = (s) => javaDateToString(Date.parse(s));
    console.log([d("2026-01-15T12:00:00Z"), d("2026-07-15T12:00:00Z"), d("2026-12-15T12:00:00Z")].join("|"));
  `;
  const run = async (tz: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      env: { TZ: tz },
      stdout: "piped",
      stderr: "inherit",
    }).output();
    return new TextDecoder().decode(out.stdout).trim().split("\n");
  };
  const utc = await run("UTC");
  assert.deepEqual(utc[0].split("|"), [
    "Tue Nov 24 23:18:20 UTC 2026",
    "Tue Nov 24 23:18:20 UTC 2026",
    "Tue Nov 24 23:18:21 UTC 2026",
    "Tue Nov 24 23:18:20 UTC 2026",
    "Tue Nov 24 23:18:19 UTC 2026",
  ]);
  assert.equal(utc[1], "11/24/26, 11:18:20 PM UTC|11/24/26, 11:18:21 PM UTC");
  const ny = await run("America/New_York");
  assert.deepEqual(ny[2].split("|"), [
    "Thu Jan 15 07:00:00 EST 2026",
    "Wed Jul 15 08:00:00 EDT 2026",
    "Tue Dec 15 07:00:00 EST 2026",
  ]);
});
