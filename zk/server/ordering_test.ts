/**
 * Replies to one session come back in request order even when writes wait for a slow durability
 * stage and other sessions' writes fill the batches in between (the bug the benchmark's 90/10 mix
 * found: a read queued behind a write could be overtaken by a later read).
 */
import assert from "node:assert/strict";
import { ZkServer } from "./server.ts";
import { Logger } from "../../internal/log.ts";
import { RawClient } from "./_raw_client.ts";
import { OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";
import type { Request } from "../jute/requests.ts";
import type { Durability } from "../persist/durability.ts";

/** A durability stage that takes 0–3 ms per batch, like an fsync. */
const slowDisk: Durability = {
  persist: () => new Promise((r) => setTimeout(r, Math.random() * 3)),
};

Deno.test("a session's replies keep request order across reads and slow writes", async () => {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    durability: slowDisk,
    logger: new Logger("", "ERROR"),
  });
  server.start();
  try {
    const clients = await Promise.all([0, 1, 2, 3].map(async () => {
      const c = await RawClient.open(server.port);
      await c.connect();
      return c;
    }));
    await clients[0].request(1, {
      type: OpCode.create,
      path: "/o",
      data: new Uint8Array(1),
      acl: [...OPEN_ACL_UNSAFE],
      flags: 0,
      ttl: -1,
    });
    assert.equal((await clients[0].reply())![2], Err.OK);
    const N = 400;
    await Promise.all(clients.map(async (c, ci) => {
      const sent: number[] = [];
      for (let i = 0; i < N; i++) {
        const xid = 10 + i;
        const req: Request = (i + ci) % 10 === 0
          ? { type: OpCode.setData, path: "/o", data: new Uint8Array([i & 255]), version: -1 }
          : { type: OpCode.getData, path: "/o", watch: false };
        await c.request(xid, req);
        sent.push(xid);
        // Arrive in waves so later reads land while earlier batches are still being made durable.
        if (i % 7 === 6) await new Promise((r) => setTimeout(r, Math.random() * 2));
      }
      const got: number[] = [];
      for (let i = 0; i < N; i++) got.push((await c.reply())![0]);
      assert.deepEqual(got, sent, `client ${ci}: replies out of order`);
    }));
    for (const c of clients) c.close();
  } finally {
    await server.stop();
  }
});
