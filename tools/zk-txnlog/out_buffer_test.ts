import assert from "node:assert/strict";
import { OutBuffer } from "./out_buffer.ts";

Deno.test("OutBuffer: text and bytes in order, through short writes and a small buffer", () => {
  const got: number[] = [];
  let writes = 0;
  // A sink that takes at most 7 bytes a call, as a pipe may.
  const out = new OutBuffer({
    writeSync: (b) => {
      writes++;
      const n = Math.min(b.length, 7);
      got.push(...b.subarray(0, n));
      return n;
    },
  }, 16);
  const long = "x".repeat(100) + "é";
  out.text("abc");
  out.text("ünï €");
  out.bytes(new Uint8Array([0xff, 0x0a]));
  out.text(long);
  assert.ok(got.length < 20, "nothing past a full buffer is written before a flush");
  out.flush();
  const expected = [
    ...new TextEncoder().encode("abcünï €"),
    0xff,
    0x0a,
    ...new TextEncoder().encode(long),
  ];
  assert.deepEqual(got, expected);
  assert.ok(writes >= expected.length / 7);
});

Deno.test("OutBuffer: a closed pipe ends the output quietly; other errors are thrown", () => {
  const out = new OutBuffer({
    writeSync: () => {
      throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
    },
  }, 8);
  out.text("more than eight bytes");
  out.flush();
  assert.equal(out.broken, true);
  const failing = new OutBuffer({
    writeSync: () => {
      throw new Deno.errors.PermissionDenied("no");
    },
  }, 8);
  failing.text("x");
  assert.throws(() => failing.flush(), Deno.errors.PermissionDenied);
});
