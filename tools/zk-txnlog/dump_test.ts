import assert from "node:assert/strict";
import { dumpTxnLog } from "./dump.ts";
import { ReadWindow } from "./read_window.ts";
import { logFile, referenceEntries } from "./_reference_log.ts";

/** Dumps `bytes` read through a window of `size` bytes, with short reads as a pipe gives them. */
function dumpThrough(bytes: Uint8Array, size: number, recover: boolean) {
  let at = 0;
  const win = new ReadWindow((into) => {
    if (at === bytes.length) return null;
    const n = Math.min(into.length, bytes.length - at, 100);
    into.set(bytes.subarray(at, at + n));
    at += n;
    return n;
  }, size);
  let out = "";
  let err = "";
  const r = dumpTxnLog(win, "log.1", { out: (t) => out += t, err: (t) => err += t }, {
    recover,
    verbose: true,
    yes: true,
  });
  return { out, err, code: r.code, crcFixed: r.crcFixed, fixed: r.fixed };
}

Deno.test("a log dumps and recovers the same through any window size", () => {
  const good = logFile(referenceEntries());
  const body = good.slice();
  body[16 + 12 + 10] ^= 1; // the first txn's header: decodes, but its checksum is wrong
  const crc = good.slice();
  crc[16 + 7] ^= 1; // the first entry's stored checksum
  const end = good.length - 4096;
  const partial = good.slice();
  partial[end - 1] = 0x41; // the last entry's 'B'
  const cases = [good, body, crc, partial, good.subarray(0, end - 7), good.subarray(0, end)];
  for (const bytes of cases) {
    for (const recover of [false, true]) {
      const whole = dumpThrough(bytes, 1 << 20, recover);
      for (const size of [5, 33, 200]) {
        assert.deepEqual(dumpThrough(bytes, size, recover), whole, `window ${size}`);
      }
    }
  }
  const fixed = dumpThrough(crc, 33, true);
  assert.equal(fixed.crcFixed, 1);
  assert.deepEqual(fixed.fixed!.subarray(0, end), good.subarray(0, end));
  assert.match(dumpThrough(partial, 33, false).err, /^Last transaction was partial\.\n$/);
  assert.match(dumpThrough(good, 33, false).out, /\nEOF reached after 17 txns\.\n$/);
});
