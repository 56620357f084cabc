/**
 * Test helper: a bare-bones ZooKeeper session over a raw socket (connect, then one request at a
 * time), enough to give a server sessions, ephemerals and watches for the 4lw and admin tests.
 */
import { JuteWriter } from "../jute/writer.ts";
import { JuteReader } from "../jute/reader.ts";
import { OpCode } from "../jute/opcodes.ts";
import { type Request, writeRequest } from "../jute/requests.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";

/** One session on its own connection. */
export class RawSession {
  private buf = new Uint8Array(0);
  private xid = 0;
  /** The session id the server gave. */
  sessionId = 0n;

  private constructor(readonly conn: Deno.TcpConn) {}

  /** "/127.0.0.1:<port>", the way the server prints this connection. */
  get remote(): string {
    const a = this.conn.localAddr as Deno.NetAddr;
    return `/${a.hostname}:${a.port}`;
  }

  /** Connects and establishes a session asking for `timeout` ms. */
  static async open(port: number, timeout = 10000): Promise<RawSession> {
    const s = new RawSession(await Deno.connect({ hostname: "127.0.0.1", port }));
    await s.send((w) => {
      w.int(0);
      w.long(0);
      w.int(timeout);
      w.long(0);
      w.buffer(new Uint8Array(16));
      w.bool(false);
    });
    const r = await s.read();
    r.int();
    r.int();
    s.sessionId = r.bigLong();
    return s;
  }

  private async send(fill: (w: JuteWriter) => void): Promise<void> {
    const w = new JuteWriter();
    const at = w.beginFrame();
    fill(w);
    w.endFrame(at);
    await this.conn.write(w.bytes());
  }

  private async read(): Promise<JuteReader> {
    for (;;) {
      if (this.buf.length >= 4) {
        const len = new DataView(this.buf.buffer, this.buf.byteOffset).getInt32(0);
        if (this.buf.length >= 4 + len) {
          const frame = this.buf.slice(4, 4 + len);
          this.buf = this.buf.slice(4 + len);
          return new JuteReader(frame);
        }
      }
      const chunk = new Uint8Array(65536);
      const n = await this.conn.read(chunk);
      if (n === null) throw new Error("server closed the connection");
      const next = new Uint8Array(this.buf.length + n);
      next.set(this.buf);
      next.set(chunk.subarray(0, n), this.buf.length);
      this.buf = next;
    }
  }

  /** Sends a request and waits for its reply (skipping watch notifications); returns the err. */
  async request(req: Request): Promise<number> {
    const xid = ++this.xid;
    await this.send((w) => {
      w.int(xid);
      w.int(req.type);
      writeRequest(w, req);
    });
    for (;;) {
      const r = await this.read();
      if (r.int() !== xid) continue;
      r.long();
      return r.int();
    }
  }

  /** Creates a znode (ephemeral when asked). */
  create(path: string, data = "", ephemeral = false): Promise<number> {
    return this.request({
      type: OpCode.create,
      path,
      data: new TextEncoder().encode(data),
      acl: [...OPEN_ACL_UNSAFE],
      flags: ephemeral ? 1 : 0,
      ttl: -1,
    });
  }

  /** exists/getData/getChildren with a watch. */
  watch(type: "exists" | "getData" | "getChildren", path: string): Promise<number> {
    return this.request({ type: OpCode[type], path, watch: true });
  }

  /** addWatch (0 persistent, 1 persistent recursive). */
  addWatch(path: string, mode: number): Promise<number> {
    return this.request({ type: OpCode.addWatch, path, mode });
  }

  /** Drops the connection (the session lives on until it expires or the server stops). */
  close(): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

/** Sends a four-letter word as `echo WORD | nc` does and reads until the server closes. */
export async function fourLetter(port: number, word: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(`${word}\n`));
  const parts: Uint8Array[] = [];
  for (;;) {
    const chunk = new Uint8Array(16384);
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) break;
    parts.push(chunk.subarray(0, n));
  }
  try {
    conn.close();
  } catch { /* closed by the server */ }
  return new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
}
