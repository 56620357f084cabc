import assert from "node:assert/strict";
import { crc32c, crc32cUpdate } from "./crc32c.ts";

/** Bit-at-a-time CRC-32C, the definition the table version must agree with. */
function reference(b: Uint8Array): number {
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

Deno.test("crc32c: check value and RFC 3720 (iSCSI) B.4 vectors", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

Deno.test("crc32c: every length and alignment agrees with the bitwise definition", () => {
  const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) & 0xff);
  for (let start = 0; start < 9; start++) {
    for (let end = start; end <= data.length; end += 1 + (end % 5)) {
      assert.equal(
        crc32c(data, start, end),
        reference(data.subarray(start, end)),
        `${start}..${end}`,
      );
    }
  }
});

Deno.test("crc32c: a checksum continued across two calls equals one over the whole", () => {
  const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
  for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    assert.equal(crc32cUpdate(crc32cUpdate(0, data, 0, cut), data, cut), crc32c(data));
  }
});
