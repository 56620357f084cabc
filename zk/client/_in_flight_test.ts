import assert from "node:assert/strict";
import { Err, JuteReader, JuteWriter, OpCode } from "../jute/mod.ts";
import { InFlight } from "./_in_flight.ts";

const empty = new JuteReader(new Uint8Array());

Deno.test("InFlight completes in xid order and decodes by request type", () => {
  const q = new InFlight();
  const got: Array<[number, unknown]> = [];
  const a = q.nextXid();
  const b = q.nextXid();
  q.add(a, OpCode.getChildren, (err, res) => got.push([err, res]));
  q.add(b, OpCode.delete, (err, res) => got.push([err, res]));
  const w = new JuteWriter();
  w.stringVector(["x", "y"]);
  q.complete(a, Err.OK, new JuteReader(w.bytes()));
  assert.throws(() => q.complete(b + 1, Err.OK, empty), /out of order/);
  assert.equal(q.size, 1, "a mismatched reply leaves the request pending");
  q.complete(b, Err.NONODE, empty);
  assert.deepEqual(got, [[Err.OK, { children: ["x", "y"] }], [Err.NONODE, null]]);
});

Deno.test("InFlight fails everything oldest first", () => {
  const q = new InFlight();
  const order: number[] = [];
  for (let i = 0; i < 3; i++) {
    const xid = q.nextXid();
    q.add(xid, OpCode.exists, (err) => order.push(xid * 1000 + -err));
  }
  q.failAll(Err.CONNECTIONLOSS);
  assert.deepEqual(order, [1004, 2004, 3004]);
  assert.equal(q.size, 0);
});
