import assert from "node:assert/strict";
import { KafkaConnection, type KafkaConnectionHost } from "./connection.ts";
import { staticBrokerState } from "./broker_state.ts";
import { defaultHandlers } from "../handlers/mod.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { writeRequest } from "../protocol/frame.ts";

/** A socket that hands out scripted reads and records each write. */
class FakeConn {
  readonly writes: Uint8Array[] = [];
  readonly remoteAddr = { transport: "tcp", hostname: "127.0.0.1", port: 5 } as Deno.NetAddr;
  private end: (() => void) | undefined;
  constructor(private readonly reads: Uint8Array[]) {}
  read(p: Uint8Array): Promise<number | null> {
    const next = this.reads.shift();
    if (next === undefined) return new Promise((resolve) => this.end = () => resolve(null));
    p.set(next);
    return Promise.resolve(next.length);
  }
  write(p: Uint8Array): Promise<number> {
    this.writes.push(p.slice());
    return Promise.resolve(p.length);
  }
  close(): void {
    this.end?.();
  }
  closeWrite(): Promise<void> {
    return Promise.resolve();
  }
}

Deno.test("the answers to one read's requests go out in one socket write, in order", async () => {
  const w = new KafkaWriter();
  for (let i = 0; i < 20; i++) {
    const [key, v] = i % 2 ? [18, 3] : [3, 5];
    writeRequest(w, { requestApiKey: key, requestApiVersion: v, correlationId: i, clientId: "c" }, {
      topics: null,
    });
  }
  const conn = new FakeConn([w.written().slice()]);
  const host: KafkaConnectionHost = {
    maxRequestSize: 1 << 20,
    handlers: defaultHandlers(),
    state: staticBrokerState({ host: "h", port: 1, topics: { t: 1 } }),
    warn: (m) => assert.fail(m),
    onClose: () => {},
  };
  const c = new KafkaConnection(conn as unknown as Deno.Conn, host);
  const done = c.run();
  // The write is started after the read's frames are handled; wait for it rather than a time.
  for (let i = 0; i < 1000 && conn.writes.length === 0; i++) await Promise.resolve();
  // A later write, if any, would be queued by now: a macrotask runs after all microtasks.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(conn.writes.length, 1);
  const out = conn.writes[0];
  const view = new DataView(out.buffer);
  let off = 0;
  for (let i = 0; i < 20; i++) {
    assert.equal(view.getInt32(off + 4), i, "correlation ids in request order");
    off += 4 + view.getInt32(off);
  }
  assert.equal(off, out.length);
  c.close();
  await done;
});
