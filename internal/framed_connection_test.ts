import assert from "node:assert/strict";
import { FramedConnection, type FrameOutput } from "./framed_connection.ts";
import { FreeList } from "./free_list.ts";
import { acceptLoop, listenTcp } from "./tcp_listener.ts";

/** A growable output buffer, as the roles' writers are. */
class Out implements FrameOutput {
  buf = new Uint8Array(16);
  pos = 0;
  reset(): void {
    this.pos = 0;
  }
  frame(body: Uint8Array): void {
    while (this.pos + 4 + body.length > this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    new DataView(this.buf.buffer).setInt32(this.pos, body.length);
    this.buf.set(body, this.pos + 4);
    this.pos += 4 + body.length;
  }
}

/** Echoes each frame; "quit" as the first frame's size is answered unframed, as a 4lw is. */
class Echo extends FramedConnection<Out> {
  frames: string[] = [];
  closedHow: string[] = [];
  constructor(conn: Deno.Conn, writers: FreeList<Out>, private readonly max = 1 << 20) {
    super(conn, writers);
    this.maxFrameSize = max;
  }
  protected checkLength(len: number, first: boolean): boolean {
    if (first && len === 0x71756974) { // "quit"
      this.sendLast(new TextEncoder().encode("bye\n"));
      return false;
    }
    if (len >= 0 && len <= this.max) return true;
    this.close();
    return false;
  }
  protected onFrame(buf: Uint8Array, start: number, end: number, first: boolean): void {
    const body = buf.slice(start, end);
    this.frames.push((first ? "first:" : "") + new TextDecoder().decode(body));
    this.writer().frame(body);
    this.scheduleFlush();
  }
  protected onUnexpected(e: unknown): void {
    throw e;
  }
  protected onClosed(halfClosed: boolean): void {
    this.closedHow.push(halfClosed ? "half-closed" : "closed");
  }
  protected onReleased(): void {
    this.closedHow.push("released");
  }
}

/** A socket whose reads are fed by the test and whose writes are recorded. */
class FakeConn {
  readonly remoteAddr = { transport: "tcp", hostname: "127.0.0.1", port: 5555 };
  writes: Uint8Array[] = [];
  wroteFin = false;
  closed = false;
  private chunks: Uint8Array[] = [];
  private ended = false;
  private waiting: (() => void) | null = null;

  feed(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.wake();
  }
  end(): void {
    this.ended = true;
    this.wake();
  }
  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }
  async read(p: Uint8Array): Promise<number | null> {
    while (this.chunks.length === 0 && !this.ended && !this.closed) {
      await new Promise<void>((r) => this.waiting = r);
    }
    if (this.closed) throw new Deno.errors.BadResource("closed");
    const c = this.chunks.shift();
    if (c === undefined) return null;
    const n = Math.min(c.length, p.length);
    p.set(c.subarray(0, n));
    if (n < c.length) this.chunks.unshift(c.subarray(n));
    return n;
  }
  write(p: Uint8Array): Promise<number> {
    this.writes.push(p.slice());
    return Promise.resolve(p.length);
  }
  closeWrite(): Promise<void> {
    this.wroteFin = true;
    return Promise.resolve();
  }
  close(): void {
    this.closed = true;
    this.wake();
  }
}

function frames(...bodies: (string | Uint8Array)[]): Uint8Array {
  const out = new Out();
  for (const b of bodies) out.frame(typeof b === "string" ? new TextEncoder().encode(b) : b);
  return out.buf.slice(0, out.pos);
}

function setup() {
  const fake = new FakeConn();
  const writers = new FreeList(() => new Out(), 4);
  const c = new Echo(fake as unknown as Deno.Conn, writers);
  return { fake, writers, c, done: c.run() };
}

/** Waits until `cond` holds, a turn at a time. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(cond(), "condition not reached");
}

Deno.test("FramedConnection: frames split over reads are whole; a batch is answered by one write", async () => {
  const { fake, writers, c, done } = setup();
  // One byte at a time: the size prefix and the body both arrive in pieces.
  for (const b of frames("hello")) fake.feed(Uint8Array.of(b));
  await until(() => fake.writes.length === 1);
  assert.deepEqual(c.frames, ["first:hello"]);
  // Three frames in one read: three frames out, in order, in one socket write.
  fake.feed(frames("a", "", "ccc"));
  await until(() => fake.writes.length === 2);
  assert.deepEqual(c.frames, ["first:hello", "a", "", "ccc"]);
  assert.deepEqual(fake.writes[1], frames("a", "", "ccc"));
  // The writer went back to the free list once its write was done.
  await until(() => writers.size === 1);
  fake.end();
  await done;
  assert.deepEqual(c.closedHow, ["released", "closed"]);
  assert.ok(fake.closed && c.closed);
});

Deno.test("FramedConnection: frames larger than the read buffer, and than the batch size", async () => {
  const { fake, c, done } = setup();
  const big = new Uint8Array(200_000).map((_, i) => i % 251);
  const mid = new Uint8Array(5_000).fill(7);
  fake.feed(frames(mid, big, "tail"));
  await until(() => c.frames.length === 3);
  await until(() => fake.writes.length > 0);
  const echoed = new Uint8Array(fake.writes.reduce((n, w) => n + w.length, 0));
  let at = 0;
  for (const w of fake.writes) echoed.set(w, (at += w.length) - w.length);
  assert.deepEqual(echoed, frames(mid, big, "tail"));
  assert.equal(c.frames[2], "tail");
  fake.end();
  await done;
});

Deno.test("FramedConnection: a size refused by checkLength closes the connection", async () => {
  const { fake, c, done } = setup();
  const bad = new Uint8Array(8);
  new DataView(bad.buffer).setInt32(0, -5);
  fake.feed(frames("ok"));
  fake.feed(bad);
  await done;
  assert.deepEqual(c.frames, ["first:ok"]);
  assert.ok(c.closed && fake.closed);
  assert.deepEqual(c.closedHow, ["released", "closed"]);
});

Deno.test("FramedConnection: sendLast answers unframed, then closes", async () => {
  const { fake, c, done } = setup();
  fake.feed(new TextEncoder().encode("quit"));
  await done;
  await until(() => c.closed);
  assert.deepEqual(c.frames, []);
  assert.equal(new TextDecoder().decode(fake.writes[0]), "bye\n");
  assert.ok(fake.closed);
});

Deno.test("FramedConnection: closeAfterFlush with a read pending sends FIN, release closes", async () => {
  const { fake, c, done } = setup();
  fake.feed(frames("last"));
  await until(() => fake.writes.length === 1);
  c.closeAfterFlush();
  // The read still pending is not cancelled: the socket is only closed for writing.
  assert.ok(c.closed && fake.wroteFin && !fake.closed);
  assert.deepEqual(c.closedHow, ["half-closed"]);
  assert.ok(c.halfClosedAt > 0);
  c.release();
  assert.ok(fake.closed);
  await done;
  assert.deepEqual(c.closedHow, ["half-closed", "released"]);
});

Deno.test("FramedConnection: stopReading closes after the last output, with no read pending", async () => {
  const { fake, c, done } = setup();
  fake.feed(frames("one"));
  await until(() => c.frames.length === 1);
  c.stopReading();
  fake.feed(frames("two", "three"));
  await done;
  // The frames of the read in hand are handled; no read follows.
  assert.deepEqual(c.frames, ["first:one", "two", "three"]);
  c.closeAfterFlush();
  await until(() => c.closed);
  assert.ok(!fake.wroteFin && fake.closed);
  assert.deepEqual(fake.writes.at(-1), frames("two", "three"));
});

Deno.test("FramedConnection over loopback: listenTcp, acceptLoop and 2,000 pipelined frames", async () => {
  const listener = listenTcp("127.0.0.1", 0);
  const writers = new FreeList(() => new Out(), 4);
  const conns: Echo[] = [];
  const accepting = acceptLoop(listener, (conn) => {
    const c = new Echo(conn, writers);
    conns.push(c);
    c.run();
  }).catch(() => "stopped");
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  try {
    const bodies = Array.from({ length: 2000 }, (_, i) => `frame ${i}`);
    const sent = frames(...bodies);
    await client.write(sent);
    const got = new Uint8Array(sent.length);
    let have = 0;
    while (have < got.length) {
      const n = await client.read(got.subarray(have));
      assert.notEqual(n, null);
      have += n!;
    }
    assert.deepEqual(got, sent);
    assert.equal(conns.length, 1);
    assert.equal(conns[0].frames.length, 2000);
  } finally {
    client.close();
    await until(() => conns[0]?.closed ?? true);
    listener.close();
    assert.equal(await accepting, "stopped");
  }
});

Deno.test("listenTcp: an address in use names the address", () => {
  const first = listenTcp("127.0.0.1", 0);
  try {
    assert.throws(
      () => listenTcp("127.0.0.1", first.addr.port),
      (e: unknown) =>
        e instanceof Deno.errors.AddrInUse &&
        e.message.endsWith(`: binding to 127.0.0.1:${first.addr.port}`),
    );
  } finally {
    first.close();
  }
});
