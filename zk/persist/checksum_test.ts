import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import { Adler32 } from "./checksum.ts";
import { unmarshalTxnEntry } from "./txn_codec.ts";
import { readLogFile } from "./txn_log.ts";
import { hex, mulberry32 } from "./_fixtures_test.ts";

/**
 * The first 0x4d bytes of Apache 3.8.0's log.1 (reference/zookeeper/datadir-hexdump.txt): the
 * FileHeader, then crc 0xdfce0b6b, length 0x30, the 48-byte createSession entry at 0x1c..0x4b
 * (header, timeout, then a TxnDigest: version 2, digest 0x51c6d660) and the 'B' at 0x4c.
 */
const REFERENCE_LOG_HEAD = hex(`
  5a4b 4c47 0000 0002 0000 0000 0000 0000
  0000 0000 dfce 0b6b 0000 0030 0100 003f
  9ebc 0000 0000 0000 0000 0000 0000 0001
  0000 01a2 0fda 65f7 ffff fff6 0000 7530
  0000 0002 0000 0000 51c6 d660 42`);
const ENTRY = REFERENCE_LOG_HEAD.subarray(0x1c, 0x4c);

/** java.util.zip.Adler32 by the definition, one modulo per byte. */
function naiveAdler32(buf: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of buf) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

Deno.test("Adler32: Apache's reference log entry checksums to 0xdfce0b6b", () => {
  assert.equal(ENTRY.length, 48);
  assert.equal(Adler32.of(ENTRY), 0xdfce0b6b);
  assert.equal(Adler32.of(REFERENCE_LOG_HEAD, 0x1c, 0x4c), 0xdfce0b6b);
});

Deno.test("Adler32: known values, incremental updates and long runs of 0xff", () => {
  assert.equal(Adler32.of(new Uint8Array(0)), 1);
  assert.equal(Adler32.of(new TextEncoder().encode("Wikipedia")), 0x11e60398);
  const big = new Uint8Array(100_000).fill(0xff);
  for (let i = 0; i < big.length; i += 7) big[i] = i & 0xff;
  const whole = Adler32.of(big);
  assert.equal(whole, naiveAdler32(big));
  const inc = new Adler32();
  for (let i = 0; i < big.length; i += 4099) inc.update(big, i, Math.min(big.length, i + 4099));
  assert.equal(inc.value, whole);
});

Deno.test("the reference entry decodes: createSession, timeout 30000, zxid 1, digest ignored", () => {
  const e = unmarshalTxnEntry(ENTRY);
  assert.deepEqual(e.hdr, {
    clientId: 0x100003f9ebc0000n,
    cxid: 0,
    zxid: 1,
    time: 0x1a20fda65f7,
    type: OpCode.createSession,
  });
  assert.deepEqual(e.txn, { type: OpCode.createSession, timeOut: 30000 });
  assert.equal(new Date(e.hdr.time).toISOString(), "2026-11-24T23:18:20.919Z");
});

Deno.test("readLogFile reads the reference head followed by preallocated zeros", () => {
  const file = new Uint8Array(4096);
  file.set(REFERENCE_LOG_HEAD);
  const got = readLogFile(file);
  assert.deepEqual(got.end, { kind: "eof" });
  assert.equal(got.goodEnd, 0x4d);
  assert.equal(got.entries.length, 1);
  assert.equal(got.entries[0].hdr.clientId, 0x100003f9ebc0000n);
});

Deno.test("Adler32: a part's checksum from the sums noted around it, and spliced back in", () => {
  const random = mulberry32(7);
  for (let round = 0; round < 50; round++) {
    // Long enough for the sums to wrap the modulus many times, and with runs of 0xff.
    const buf = new Uint8Array(1 + Math.floor(random() * 200_000));
    for (let i = 0; i < buf.length; i++) buf[i] = random() < 0.3 ? 0xff : random() * 256;
    const p = Math.floor(random() * buf.length);
    const q = p + Math.floor(random() * (buf.length - p));
    const run = new Adler32().update(buf, 0, p);
    const [a1, b1] = [run.a, run.b];
    run.update(buf, p, q);
    const part = Adler32.between(a1, b1, run.a, run.b, q - p);
    assert.equal(part, naiveAdler32(buf.subarray(p, q)));
    const spliced = new Adler32().update(buf, 0, p).append(part, q - p).update(buf, q);
    assert.equal(spliced.value, naiveAdler32(buf));
  }
});
