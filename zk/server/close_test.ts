/**
 * How the server ends a connection it closes: after closeSession it reads no more and closes the
 * socket once the reply is written, so no pending read is cancelled; when it closes with a read
 * still pending (after an auth failure) it sends FIN, keeps reading until the client closes its
 * side, and releases a socket whose client never does within a tick.
 */
import assert from "node:assert/strict";
import { withServer } from "./_test_server.ts";
import { RawClient } from "./_raw_client.ts";
import { OpCode, Xid } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";

const TICK = 100;

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("closeSession: the reply, then the socket closes with nothing left half-open", async () => {
  await withServer(async (server) => {
    const c = await RawClient.open(server.port);
    await c.connect();
    await c.request(7, { type: OpCode.closeSession });
    const reply = await c.reply();
    assert.ok(reply !== null);
    assert.equal(reply[0], 7);
    assert.equal(reply[2], Err.OK);
    assert.equal(await c.read(), null, "FIN after the reply");
    assert.equal(server.connections.size, 0);
    // The client has not closed its side, and the server holds nothing for it.
    assert.equal(server.halfClosed.size, 0);
    c.close();
  }, { settings: { tickTime: TICK } });
});

Deno.test("a close with a read pending half-closes; the socket goes when the client closes or after a tick", async () => {
  await withServer(async (server) => {
    const failAuth = async () => {
      const c = await RawClient.open(server.port);
      await c.connect();
      await c.request(Xid.auth, {
        type: OpCode.auth,
        authType: 0,
        scheme: "no-such-scheme",
        auth: new Uint8Array([1]),
      });
      const reply = await c.reply();
      assert.equal(reply?.[2], Err.AUTHFAILED);
      assert.equal(await c.read(), null, "FIN after the reply");
      return c;
    };
    // A client that closes after the server's FIN: released at once, long before a tick.
    const polite = await failAuth();
    polite.close();
    await until("the polite socket's release", () => server.halfClosed.size === 0, TICK / 2);

    // A client that keeps its side open: the server's sweep releases it.
    const stubborn = await failAuth();
    assert.equal(server.halfClosed.size, 1);
    await until("the sweep", () => server.halfClosed.size === 0, 5 * TICK);
    stubborn.close();

    // The server serves on.
    const next = await RawClient.open(server.port);
    await next.connect();
    next.close();
  }, { settings: { tickTime: TICK } });
});
