/** A bare-bones ZooKeeper wire client for tests that need to send exact (or broken) frames. */
import assert from "node:assert/strict";
import { JuteWriter } from "../jute/writer.ts";
import { JuteReader } from "../jute/reader.ts";
import { type Request, writeRequest } from "../jute/requests.ts";

export class RawClient {
  private buf = new Uint8Array(0);
  private constructor(readonly conn: Deno.TcpConn) {}

  static async open(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  async send(bytes: Uint8Array): Promise<void> {
    await this.conn.write(bytes);
  }

  async frame(fill: (w: JuteWriter) => void): Promise<void> {
    const w = new JuteWriter();
    const at = w.beginFrame();
    fill(w);
    w.endFrame(at);
    await this.send(w.bytes());
  }

  async connect(): Promise<void> {
    await this.frame((w) => {
      w.int(0);
      w.long(0);
      w.int(30000);
      w.long(0);
      w.buffer(new Uint8Array(16));
      w.bool(false);
    });
    const r = await this.read();
    assert.ok(r !== null, "connect answered");
    r.int();
    assert.ok(r.int() > 0, "session established");
  }

  async request(xid: number, req: Request): Promise<void> {
    await this.frame((w) => {
      w.int(xid);
      w.int(req.type);
      writeRequest(w, req);
    });
  }

  /** Next frame, or null when the server closed the connection. */
  async read(): Promise<JuteReader | null> {
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
      let n: number | null;
      try {
        n = await this.conn.read(chunk);
      } catch {
        return null;
      }
      if (n === null) return null;
      const next = new Uint8Array(this.buf.length + n);
      next.set(this.buf);
      next.set(chunk.subarray(0, n), this.buf.length);
      this.buf = next;
    }
  }

  /** Reads a reply header: [xid, zxid, err]. */
  async reply(): Promise<[number, number, number] | null> {
    const r = await this.read();
    return r === null ? null : [r.int(), r.long(), r.int()];
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* closed */ }
  }
}
