/**
 * Bad input never takes the server or other sessions down: malformed, truncated and oversized
 * frames, unknown op codes and invalid paths, over raw sockets.
 */
import assert from "node:assert/strict";
import { withServer } from "./_test_server.ts";
import { JuteWriter } from "../jute/writer.ts";
import { RawClient } from "./_raw_client.ts";
import { OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";
import type { Request } from "../jute/requests.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";

function withPort(fn: (port: number) => Promise<void>): Promise<void> {
  return withServer((server) => fn(server.port));
}

const create = (path: string, data = new Uint8Array()): Request => ({
  type: OpCode.create,
  path,
  data,
  acl: [...OPEN_ACL_UNSAFE],
  flags: 0,
  ttl: -1,
});

Deno.test("bad input: each kind closes or errors only its own connection", async () => {
  await withPort(async (port) => {
    const good = await RawClient.open(port);
    await good.connect();
    await good.request(1, create("/ok"));
    assert.deepEqual(await good.reply(), [1, 2, Err.OK]);

    // A length over jute.maxbuffer: the connection is closed.
    const big = await RawClient.open(port);
    await big.connect();
    const w = new JuteWriter();
    w.int(0x7ffffff0);
    await big.send(w.bytes());
    assert.equal(await big.read(), null);

    // A negative length, before any session: closed.
    const neg = await RawClient.open(port);
    w.reset();
    w.int(-5);
    await neg.send(w.bytes());
    assert.equal(await neg.read(), null);

    // Data over 1 MiB makes the frame exceed jute.maxbuffer: closed.
    const huge = await RawClient.open(port);
    await huge.connect();
    await huge.request(2, create("/huge", new Uint8Array(1024 * 1024 + 10)));
    assert.equal(await huge.read(), null);

    // An unknown op code: UNIMPLEMENTED, then the connection is closed (Apache's behaviour).
    const unk = await RawClient.open(port);
    await unk.connect();
    await unk.frame((w) => {
      w.int(7);
      w.int(999);
    });
    const r = await unk.reply();
    assert.ok(r);
    assert.equal(r[0], 7);
    assert.equal(r[2], Err.UNIMPLEMENTED);
    assert.equal(await unk.read(), null);

    // A body that does not decode: MARSHALLINGERROR, and the connection stays usable.
    const mal = await RawClient.open(port);
    await mal.connect();
    await mal.frame((w) => {
      w.int(3);
      w.int(OpCode.getData);
      w.int(500); // string length past the end of the frame
      w.byte(47);
    });
    const m = await mal.reply();
    assert.ok(m);
    assert.deepEqual([m[0], m[2]], [3, Err.MARSHALLINGERROR]);
    await mal.request(4, { type: OpCode.exists, path: "/ok", watch: false });
    const ex = await mal.reply();
    assert.ok(ex);
    assert.deepEqual([ex[0], ex[2]], [4, Err.OK]);

    // An invalid path: BADARGUMENTS.
    await mal.request(5, create("/bad\u0001name"));
    const bad = await mal.reply();
    assert.ok(bad);
    assert.deepEqual([bad[0], bad[2]], [5, Err.BADARGUMENTS]);

    // A truncated frame followed by a hang-up.
    const trunc = await RawClient.open(port);
    await trunc.connect();
    w.reset();
    w.int(100);
    w.int(1);
    await trunc.send(w.bytes());
    trunc.close();

    // The first session never noticed.
    await good.request(6, { type: OpCode.getData, path: "/ok", watch: false });
    const g = await good.reply();
    assert.ok(g);
    assert.deepEqual([g[0], g[2]], [6, Err.OK]);
    for (const c of [good, big, neg, huge, unk, mal]) c.close();
  });
});

Deno.test("four-letter words follow the default whitelist and close; an unknown word is a bad length", async () => {
  await withPort(async (port) => {
    const word = async (w: string) => {
      const c = await RawClient.open(port);
      await c.send(new TextEncoder().encode(w));
      let out = "";
      const chunk = new Uint8Array(4096);
      for (;;) {
        const n = await c.conn.read(chunk);
        if (n === null) break;
        out += new TextDecoder().decode(chunk.subarray(0, n));
      }
      c.close();
      return out;
    };
    // Apache 3.8's default whitelist holds only srvr.
    assert.match(await word("srvr"), /^Zookeeper version: .*\nLatency min\/avg\/max: /);
    assert.equal(await word("ruok"), "ruok is not executed because it is not in the whitelist.\n");
    const d = await RawClient.open(port);
    await d.send(new TextEncoder().encode("zzzz"));
    assert.equal(await d.read(), null);
    d.close();
  });
});
