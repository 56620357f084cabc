import assert from "node:assert/strict";
import { PacketSocket } from "./packet_socket.ts";

/** A loopback pair: our PacketSocket on one end, a raw conn on the other. */
async function pair(onFrame: (body: Uint8Array) => void) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const [raw, conn] = await Promise.all([
    listener.accept(),
    Deno.connect({ hostname: "127.0.0.1", port }),
  ]);
  listener.close();
  let closed = false;
  const sock = new PacketSocket(
    conn,
    (r) => onFrame(r.buf.slice(r.pos, r.end)),
    () => closed = true,
  );
  return { sock, raw, isClosed: () => closed };
}

function frame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setInt32(0, body.length);
  out.set(body, 4);
  return out;
}

Deno.test("PacketSocket reassembles frames split and merged across reads", async () => {
  const got: Uint8Array[] = [];
  const { sock, raw, isClosed } = await pair((b) => got.push(b));
  const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
  const stream = new Uint8Array([
    ...frame(new Uint8Array([1, 2, 3])),
    ...frame(new Uint8Array()),
    ...frame(big),
    ...frame(new Uint8Array([9])),
  ]);
  // Dribble the bytes in awkward pieces.
  for (let off = 0; off < stream.length;) {
    const n = Math.min(off < 10 ? 1 : 7001, stream.length - off);
    await raw.write(stream.subarray(off, off + n));
    off += n;
  }
  raw.close();
  await sock.done;
  assert.deepEqual(isClosed(), true);
  assert.deepEqual(got.length, 4);
  assert.deepEqual(got[0], new Uint8Array([1, 2, 3]));
  assert.deepEqual(got[1].length, 0);
  assert.deepEqual(got[2], big);
  assert.deepEqual(got[3], new Uint8Array([9]));
});

Deno.test("PacketSocket coalesces frames queued in one tick into one write", async () => {
  const { sock, raw } = await pair(() => {});
  for (let i = 0; i < 1000; i++) sock.send((w) => w.int(i));
  const want = 1000 * 8;
  const buf = new Uint8Array(want * 2);
  let have = 0;
  let reads = 0;
  while (have < want) {
    const n = await raw.read(buf.subarray(have));
    if (n === null) break;
    have += n;
    reads++;
  }
  assert.deepEqual(have, want);
  const view = new DataView(buf.buffer);
  for (let i = 0; i < 1000; i++) {
    assert.deepEqual(view.getInt32(i * 8), 4);
    assert.deepEqual(view.getInt32(i * 8 + 4), i);
  }
  // One 8000-byte write arrives in very few reads on loopback (1000 writes would not).
  assert.ok(reads <= 3, `took ${reads} reads`);
  sock.close();
  await sock.done;
  raw.close();
});

Deno.test("PacketSocket closes on a corrupt length", async () => {
  const { sock, raw, isClosed } = await pair(() => {});
  await raw.write(new Uint8Array([0xff, 0xff, 0xff, 0xf0]));
  await sock.done;
  assert.deepEqual(isClosed(), true);
  assert.ok(sock.error instanceof RangeError);
  raw.close();
});
