/**
 * A raw Kafka client for the server tests: sends frames as given and reads whole response frames,
 * telling an answer from a closed connection.
 *
 * @module
 */

/** One connection to a broker under test. */
export class RawClient {
  private buf = new Uint8Array(0);

  private constructor(readonly conn: Deno.TcpConn) {}

  static async connect(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Writes bytes as they are (frames with their size prefixes, or garbage). */
  async send(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) off += await this.conn.write(bytes.subarray(off));
  }

  /** The next response frame without its size prefix, or null when the broker closed. */
  async frame(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.buf.length >= 4) {
        const len = new DataView(this.buf.buffer, this.buf.byteOffset).getInt32(0);
        if (this.buf.length >= 4 + len) {
          const f = this.buf.slice(4, 4 + len);
          this.buf = this.buf.slice(4 + len);
          return f;
        }
      }
      const chunk = new Uint8Array(65536);
      let n: number | null;
      try {
        n = await this.conn.read(chunk);
      } catch {
        n = null; // reset by the broker
      }
      if (n === null) return null;
      const next = new Uint8Array(this.buf.length + n);
      next.set(this.buf);
      next.set(chunk.subarray(0, n), this.buf.length);
      this.buf = next;
    }
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* closed */ }
  }
}

/** A frame: `payload` with its 4-byte size prefix. */
export function framed(payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + payload.length);
  new DataView(b.buffer).setInt32(0, payload.length);
  b.set(payload, 4);
  return b;
}

/** Hex to bytes. */
export function unhex(s: string): Uint8Array {
  const b = new Uint8Array(s.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/** Bytes to hex. */
export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
