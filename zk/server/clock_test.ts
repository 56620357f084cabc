/**
 * The server reads time from its Clock: txn times, and session expiry, move only when the clock
 * does, so a test (and later the simulator) decides when a session's time is up.
 */
import assert from "node:assert/strict";
import { withServer } from "./_test_server.ts";
import { RawClient } from "./_raw_client.ts";
import { OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";
import { ManualClock } from "../../internal/clock.ts";

const OPEN = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];

Deno.test("clock: txns carry the clock's time and sessions expire only when it passes", async () => {
  const clock = new ManualClock(1_700_000_000_000);
  // The server's own tick runs expiry too, but on the clock: nothing expires until it moves.
  await withServer(async (server) => {
    const c = await RawClient.open(server.port);
    await c.connect(); // asks for 30 s, negotiated within [min, max]
    await c.request(1, {
      type: OpCode.create,
      path: "/e",
      data: new Uint8Array(0),
      acl: OPEN,
      flags: 1, // ephemeral
      ttl: 0,
    });
    const reply = await c.reply();
    assert.deepEqual(reply?.[2], Err.OK);
    assert.equal(server.tree.get("/e")?.ctime, 1_700_000_000_000);
    assert.equal(server.sessions.sessions.size, 1);

    clock.advance(20_000);
    server.expireSessions();
    assert.equal(server.sessions.sessions.size, 1, "20 s into a 30 s session it lives");

    clock.advance(60_000);
    server.expireSessions();
    assert.equal(await c.read(), null, "the expired session's connection is closed");
    assert.equal(server.sessions.sessions.size, 0);
    assert.equal(server.tree.get("/e"), undefined, "its ephemeral is gone");
    c.close();
  }, { clock, settings: { tickTime: 2_000, maxSessionTimeout: 30_000 } });
});
