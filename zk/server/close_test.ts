/**
 * After closeSession the server sends FIN and keeps reading until the client closes its side, so
 * no pending read is cancelled; a client that never closes is released within a tick.
 */
import assert from "node:assert/strict";
import { ZkServer } from "./server.ts";
import { Logger } from "./log.ts";
import { RawClient } from "./_raw_client.ts";
import { OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";

const TICK = 100;

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("closeSession: reply, then FIN; the socket is released when the client closes or after a tick", async () => {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1", tickTime: TICK },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  try {
    // A client that closes after the server's FIN: released at once, long before a tick.
    const polite = await RawClient.open(server.port);
    await polite.connect();
    await polite.request(7, { type: OpCode.closeSession });
    const reply = await polite.reply();
    assert.ok(reply !== null);
    assert.equal(reply[0], 7);
    assert.equal(reply[2], Err.OK);
    assert.equal(await polite.read(), null, "FIN after the reply");
    assert.equal(server.connections.size, 0);
    polite.close();
    await until("the polite socket's release", () => server.halfClosedSockets === 0, TICK / 2);

    // A client that keeps its side open: the server's sweep releases it.
    const stubborn = await RawClient.open(server.port);
    await stubborn.connect();
    await stubborn.request(8, { type: OpCode.closeSession });
    assert.equal((await stubborn.reply())?.[0], 8);
    assert.equal(await stubborn.read(), null, "FIN after the reply");
    assert.equal(server.halfClosedSockets, 1);
    await until("the sweep", () => server.halfClosedSockets === 0, 5 * TICK);
    stubborn.close();

    // The server serves on.
    const next = await RawClient.open(server.port);
    await next.connect();
    next.close();
  } finally {
    await server.stop();
  }
});
