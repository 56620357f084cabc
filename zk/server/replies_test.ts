/** Reply bodies that real clients depend on byte for byte (found by Curator and Kafka). */
import assert from "node:assert/strict";
import { ZkServer } from "./server.ts";
import { Logger } from "../../internal/log.ts";
import { RawClient } from "./_raw_client.ts";
import { OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";

Deno.test("addWatch answers with an ErrorResponse(0) body; null data reads back as null", async () => {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  try {
    let c = await RawClient.open(server.port);
    await c.connect();
    await c.request(1, { type: OpCode.addWatch, path: "/", mode: 1 });
    const r = await c.read();
    assert.ok(r);
    assert.equal(
      r.remaining,
      20,
      "16-byte header + 4-byte ErrorResponse, as Apache (Java 3.6+ reads it)",
    );
    const [xid, , err, body] = [r.int(), r.long(), r.int(), r.int()];
    assert.deepEqual([xid, err, body], [1, Err.OK, 0]);
    c.close();
    // Kafka creates znodes with null data and parses them as "null"; an empty array would break it.
    // (A fresh connection: the recursive watch above would interleave notifications.)
    c = await RawClient.open(server.port);
    await c.connect();
    await c.request(2, {
      type: OpCode.create,
      path: "/n",
      data: null,
      acl: [...OPEN_ACL_UNSAFE],
      flags: 0,
      ttl: -1,
    });
    assert.equal((await c.reply())![2], Err.OK);
    await c.request(3, { type: OpCode.getData, path: "/n", watch: false });
    const g = await c.read();
    assert.ok(g);
    g.int();
    g.long();
    assert.equal(g.int(), Err.OK);
    assert.equal(g.buffer(), null);
    c.close();
  } finally {
    await server.stop();
  }
});
