import assert from "node:assert/strict";
import { HalfClosedSockets } from "./half_closed.ts";

Deno.test("HalfClosedSockets: a sweep releases those past the grace, releaseAll the rest", () => {
  const released: string[] = [];
  const sockets = new HalfClosedSockets<{ name: string; halfClosedAt: number; release(): void }>();
  const make = (name: string, halfClosedAt: number) => {
    const s = {
      name,
      halfClosedAt,
      release: () => {
        released.push(name);
        sockets.delete(s); // as a connection's release does
      },
    };
    sockets.add(s);
    return s;
  };
  make("old", 1_000);
  make("edge", 2_000);
  make("new", 2_500);
  sockets.sweep(4_000, 2_000);
  assert.deepEqual(released, ["old", "edge"]);
  assert.equal(sockets.size, 1);
  sockets.releaseAll();
  assert.deepEqual(released, ["old", "edge", "new"]);
  assert.equal(sockets.size, 0);
});
