import assert from "node:assert/strict";
import { KafkaConnection, type KafkaConnectionHost } from "./connection.ts";
import { staticBrokerState } from "./broker_state.ts";
import {
  defaultHandlers,
  handleApiVersions,
  handleMetadata,
  HandlerRegistry,
} from "../handlers/mod.ts";
import { NO_RESPONSE } from "../handlers/handler.ts";
import type { MetadataRequest } from "../protocol/messages/metadata.ts";
import type { JoinGroupRequest } from "../protocol/messages/join_group.ts";
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

Deno.test("an answer given later holds back the answers after it; NO_RESPONSE sends nothing", async () => {
  const w = new KafkaWriter();
  // 0: Metadata answered later, 1: ApiVersions at once, 2: Metadata with no answer, 3: ApiVersions.
  for (let i = 0; i < 4; i++) {
    const [key, v] = i % 2 ? [18, 3] : [3, 5];
    writeRequest(w, { requestApiKey: key, requestApiVersion: v, correlationId: i, clientId: "c" }, {
      topics: null,
    });
  }
  const conn = new FakeConn([w.written().slice()]);
  const handlers = new HandlerRegistry();
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  let metadataCalls = 0;
  handlers.register(3, async (req, ctx) => {
    if (metadataCalls++ === 1) return NO_RESPONSE;
    await gate;
    return handleMetadata(req as MetadataRequest, ctx);
  });
  handlers.register(18, handleApiVersions);
  const host: KafkaConnectionHost = {
    maxRequestSize: 1 << 20,
    handlers,
    state: staticBrokerState({ host: "h", port: 1, topics: { t: 1 } }),
    warn: (m) => assert.fail(m),
    onClose: () => {},
  };
  const c = new KafkaConnection(conn as unknown as Deno.Conn, host);
  const done = c.run();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(conn.writes.length, 0, "nothing is sent while the first answer is pending");
  release();
  for (let i = 0; i < 1000 && conn.writes.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const ids: number[] = [];
  for (const out of conn.writes) {
    const view = new DataView(out.buffer);
    for (let off = 0; off < out.length; off += 4 + view.getInt32(off)) {
      ids.push(view.getInt32(off + 4));
    }
  }
  assert.deepEqual(ids, [0, 1, 3], "request order, without the unanswered request 2");
  c.close();
  await done;
});

Deno.test("bytes a handler keeps from a request outlive the next read into the buffer", async () => {
  const frame = (fill: number, correlationId: number) => {
    const w = new KafkaWriter();
    writeRequest(w, { requestApiKey: 11, requestApiVersion: 5, correlationId, clientId: "c" }, {
      groupId: "g",
      sessionTimeoutMs: 10000,
      rebalanceTimeoutMs: 10000,
      memberId: "",
      groupInstanceId: null,
      protocolType: "consumer",
      protocols: [{ name: "range", metadata: new Uint8Array(64).fill(fill) }],
    });
    return w.written().slice();
  };
  // Two reads: the second lands in the same buffer the first frame was read into.
  const conn = new FakeConn([frame(1, 1), frame(2, 2)]);
  const kept: Uint8Array[] = [];
  const handlers = new HandlerRegistry();
  handlers.register(11, (req) => {
    kept.push((req as JoinGroupRequest).protocols[0].metadata);
    return NO_RESPONSE;
  });
  const host: KafkaConnectionHost = {
    maxRequestSize: 1 << 20,
    handlers,
    state: staticBrokerState({ host: "h", port: 1 }),
    warn: (m) => assert.fail(m),
    onClose: () => {},
  };
  const c = new KafkaConnection(conn as unknown as Deno.Conn, host);
  const done = c.run();
  for (let i = 0; i < 1000 && kept.length < 2; i++) await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual([...kept[0]], new Array(64).fill(1), "the first member's metadata is intact");
  assert.deepEqual([...kept[1]], new Array(64).fill(2));
  c.close();
  await done;
});
