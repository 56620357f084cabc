/**
 * The ZooKeeper client wire protocol as the benchmark needs it: a raw TCP session that does the
 * handshake, encodes request frames straight into a reusable buffer (no per-request records) and
 * reads reply headers in place. Frames are an int32 length and a jute body.
 */
import { JuteWriter, OpCode } from "../zk/jute/mod.ts";

const encoder = new TextEncoder();

/** The ops a benchmark sends. `mix` is getData with every `mixWriteEvery`-th request a setData. */
export type BenchOp = "create" | "setData" | "getData" | "mix";

/** What to send, as plain data so it can cross into a worker. */
export interface Workload {
  op: BenchOp;
  /** Node read or written; for `create`, the parent under which new children go. */
  path: string;
  /** Bytes of data in create and setData. */
  dataSize: number;
  /** For `mix`: one request in this many is a setData (10 → 90 % reads). */
  mixWriteEvery?: number;
}

/** ConnectRequest for a new session: protocol 0, zxid 0, 30 s timeout, id 0, 16 zero bytes. */
export function connectFrame(timeoutMs = 30000): Uint8Array {
  const w = new JuteWriter(64);
  const at = w.beginFrame();
  w.int(0);
  w.long(0);
  w.int(timeoutMs);
  w.long(0);
  w.buffer(new Uint8Array(16));
  w.bool(false);
  w.endFrame(at);
  return w.bytes();
}

/** A request with only a header (closeSession, ping). */
export function headerFrame(xid: number, type: number): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setInt32(0, 8);
  v.setInt32(4, xid);
  v.setInt32(8, type);
  return b;
}

/** getData(path, watch) as one frame. */
export function getDataFrame(xid: number, path: string, watch: boolean): Uint8Array {
  const w = new JuteWriter(64);
  const at = w.beginFrame();
  w.int(xid);
  w.int(OpCode.getData);
  w.string(path);
  w.bool(watch);
  w.endFrame(at);
  return w.bytes();
}

/** setData(path, data, version -1) as one frame. */
export function setDataFrame(xid: number, path: string, data: Uint8Array): Uint8Array {
  const w = new JuteWriter(64 + data.length);
  const at = w.beginFrame();
  w.int(xid);
  w.int(OpCode.setData);
  w.string(path);
  w.buffer(data);
  w.int(-1);
  w.endFrame(at);
  return w.bytes();
}

/** create(path, data, world:anyone ALL, persistent) as one frame. */
export function createFrame(xid: number, path: string, data: Uint8Array): Uint8Array {
  const w = new JuteWriter(96 + data.length);
  const at = w.beginFrame();
  w.int(xid);
  w.int(OpCode.create);
  w.string(path);
  w.buffer(data);
  w.int(1);
  w.int(31);
  w.string("world");
  w.string("anyone");
  w.int(0);
  w.endFrame(at);
  return w.bytes();
}

/**
 * Encodes a workload's requests into a caller-owned buffer. For getData and setData the frame is
 * a template with only the xid patched; for create the child name is `<prefix><seq>` written as
 * ASCII digits, so no string is built per request.
 */
export class RequestEncoder {
  private readonly get: Uint8Array;
  private readonly set: Uint8Array;
  private readonly createHead: Uint8Array;
  private readonly createTail: Uint8Array;
  private readonly every: number;

  /** `childPrefix` makes create paths unique per connection, e.g. `w0c3-`. */
  constructor(readonly load: Workload, childPrefix: string) {
    const data = new Uint8Array(load.dataSize).fill(0x61);
    this.get = getDataFrame(0, load.path, false);
    this.set = setDataFrame(0, load.path, data);
    // create = [len][xid][type][pathLen][prefix…digits][tail: data, acl, flags]
    const full = createFrame(0, `${load.path}/${childPrefix}`, data);
    const prefixLen = encoder.encode(`${load.path}/${childPrefix}`).length;
    this.createHead = full.subarray(0, 16 + prefixLen);
    this.createTail = full.subarray(16 + prefixLen);
    this.every = load.mixWriteEvery ?? 10;
  }

  /** Largest frame this encoder writes (for sizing buffers). */
  get maxFrame(): number {
    return Math.max(
      this.get.length,
      this.set.length,
      this.createHead.length + 16 + this.createTail.length,
    );
  }

  /** Writes request `seq` with `xid` at `off` in `buf`; returns the offset after it. */
  encode(buf: Uint8Array, view: DataView, off: number, xid: number, seq: number): number {
    const op = this.load.op;
    if (op === "getData" || op === "setData" || op === "mix") {
      const t = op === "getData" || (op === "mix" && seq % this.every !== 0) ? this.get : this.set;
      buf.set(t, off);
      view.setInt32(off + 4, xid);
      return off + t.length;
    }
    buf.set(this.createHead, off);
    let p = off + this.createHead.length;
    let digits = 1;
    for (let n = seq; n >= 10; n = Math.floor(n / 10)) digits++;
    for (let n = seq, i = digits - 1; i >= 0; i--, n = Math.floor(n / 10)) buf[p + i] = 48 + n % 10;
    p += digits;
    buf.set(this.createTail, p);
    p += this.createTail.length;
    view.setInt32(off, p - off - 4);
    view.setInt32(off + 4, xid);
    view.setInt32(off + 12, this.createHead.length - 16 + digits);
    return p;
  }
}

/** Writes all of `b` (a socket write may take only part of it). */
export async function writeAll(conn: Deno.Conn, b: Uint8Array): Promise<void> {
  let off = 0;
  while (off < b.length) off += await conn.write(b.subarray(off));
}

/** A connected session: the socket, its id, and a receive buffer reused across reads. */
export class Session {
  /** Bytes received and not yet consumed, at `buf[0..have)`. */
  buf: Uint8Array;
  view: DataView;
  have = 0;

  /** The session id the server assigned in the handshake. */
  sessionId = 0n;

  private constructor(readonly conn: Deno.TcpConn, bufferBytes: number) {
    this.buf = new Uint8Array(bufferBytes);
    this.view = new DataView(this.buf.buffer);
  }

  /**
   * Connects to 127.0.0.1:`port` and completes the session handshake (within 10 s). Pipelined
   * sessions want a large receive buffer (fewer reads); short-lived ones a small one, since
   * allocating 256 KiB per session would make the load generator the bottleneck of session churn.
   */
  static async open(port: number, timeoutMs = 30000, bufferBytes = 1 << 18): Promise<Session> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    const s = new Session(conn, bufferBytes);
    const timer = setTimeout(() => s.abort(), 10000);
    await writeAll(conn, connectFrame(timeoutMs));
    const len = await s.nextFrame().catch(() => -1);
    clearTimeout(timer);
    if (len < 0) {
      s.abort();
      throw new Error("no handshake: the server closed the connection or did not answer in 10 s");
    }
    // ConnectResponse: int protocolVersion, int timeOut, long sessionId, buffer passwd, bool ro
    s.sessionId = s.view.getBigInt64(12);
    s.consume(4 + len);
    return s;
  }

  /** Reads until one whole frame is buffered at offset 0; its body length, or -1 on EOF. */
  async nextFrame(): Promise<number> {
    while (true) {
      if (this.have >= 4) {
        const len = this.view.getInt32(0);
        if (this.have >= 4 + len) return len;
        if (4 + len > this.buf.length) this.grow(4 + len);
      }
      if (!(await this.fill())) return -1;
    }
  }

  /** One socket read appended to the buffer; false on EOF. */
  async fill(): Promise<boolean> {
    if (this.have === this.buf.length) this.grow(this.buf.length * 2);
    const n = await this.conn.read(this.buf.subarray(this.have));
    if (n === null) return false;
    this.have += n;
    return true;
  }

  /**
   * Reads frames until the reply to `xid` (or, with xid -1, a watch notification) and returns its
   * err; other frames are skipped.
   */
  async until(xid: number): Promise<number> {
    while (true) {
      const len = await this.nextFrame();
      if (len < 0) throw new Error("server closed the connection");
      const got = this.view.getInt32(4);
      const err = got === -1 && xid !== -1 ? 0 : this.view.getInt32(16);
      this.consume(4 + len);
      if (got === xid) return err;
    }
  }

  /** Sends one request frame and waits for its reply's err. */
  async call(frame: Uint8Array): Promise<number> {
    await writeAll(this.conn, frame);
    return await this.until(new DataView(frame.buffer, frame.byteOffset).getInt32(4));
  }

  /** Drops the first `n` bytes of the buffer. */
  consume(n: number): void {
    this.buf.copyWithin(0, n, this.have);
    this.have -= n;
  }

  private grow(size: number): void {
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.have));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Closes the socket without closing the session (pending reads fail). */
  abort(): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }

  /** Sends closeSession, waits for its reply and for the server to drop the socket, then closes. */
  async close(): Promise<void> {
    try {
      await writeAll(this.conn, headerFrame(0x7ffffff0, OpCode.closeSession));
      while (true) {
        const len = await this.nextFrame();
        if (len < 0) break;
        const xid = this.view.getInt32(4);
        this.consume(4 + len);
        if (xid === 0x7ffffff0) {
          // Waiting for the server's FIN puts TIME_WAIT on its side, not on our ports.
          let timer: ReturnType<typeof setTimeout> | undefined;
          const late = new Promise<boolean>((r) => timer = setTimeout(() => r(false), 2000));
          await Promise.race([this.fill().catch(() => false), late]);
          clearTimeout(timer);
          break;
        }
      }
    } catch { /* the server may already be gone */ }
    this.abort();
  }
}
