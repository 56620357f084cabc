/**
 * One TCP connection speaking ZooKeeper's framing (int32 big-endian length + body).
 *
 * Writes: every frame queued in the same tick lands in one buffer and goes out in one write;
 * frames queued while a write is in flight go in the next one, so a pipelining caller gets
 * large writes without waiting. Reads: one growable buffer, frames decoded in place (the
 * reader copies out only the byte arrays and strings it returns).
 */
import { JuteReader, JuteWriter } from "../jute/mod.ts";

/** Frames above this are treated as a corrupt stream rather than allocated. */
export const MAX_FRAME = 64 * 1024 * 1024;

const READ_CHUNK = 64 * 1024;

/** Opens a TCP connection, giving up after `timeoutMs` (or when `signal` aborts). */
export async function dialTcp(
  hostname: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Deno.TcpConn> {
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal.addEventListener("abort", onAbort);
  const timer = setTimeout(onAbort, timeoutMs);
  try {
    const conn = await Deno.connect({ hostname, port, signal: abort.signal });
    conn.setNoDelay(true);
    return conn;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}

/** A framed socket: call send() to queue frames; `onFrame` sees each frame as it arrives. */
export class PacketSocket {
  /** performance.now() of the last byte received. */
  lastRecv = performance.now();
  /** performance.now() of the last write completed. */
  lastSend = performance.now();
  /** Why the socket closed, if not by close(). */
  error: unknown = null;
  /** Resolves once the socket is closed and its read and write loops have ended. */
  readonly done: Promise<void>;

  #conn: Deno.TcpConn;
  #onFrame: (r: JuteReader) => void;
  #onClose: () => void;
  #out = new JuteWriter(16 * 1024);
  #spare = new JuteWriter(16 * 1024);
  #flushQueued = false;
  #writing: Promise<void> | null = null;
  #closed = false;

  /**
   * `onFrame` runs synchronously per frame; if it throws, the stream is considered corrupt and
   * the socket closes. `onClose` runs once, after the socket closes for any reason.
   */
  constructor(conn: Deno.TcpConn, onFrame: (r: JuteReader) => void, onClose: () => void) {
    this.#conn = conn;
    this.#onFrame = onFrame;
    this.#onClose = onClose;
    this.done = this.#readLoop();
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Queues one frame whose body `fill` writes. Ignored once closed. */
  send(fill: (w: JuteWriter) => void): void {
    if (this.#closed) return;
    const w = this.#out;
    const at = w.beginFrame();
    try {
      fill(w);
    } catch (e) {
      w.pos = at;
      throw e;
    }
    w.endFrame(at);
    if (!this.#flushQueued && this.#writing === null) {
      this.#flushQueued = true;
      queueMicrotask(this.#flush);
    }
  }

  /** Closes the connection; the read loop ends and `onClose` runs. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer.
    }
  }

  #flush = (): void => {
    this.#flushQueued = false;
    if (this.#writing === null && this.#out.pos > 0 && !this.#closed) {
      this.#writing = this.#writeLoop();
    }
  };

  async #writeLoop(): Promise<void> {
    try {
      while (this.#out.pos > 0 && !this.#closed) {
        const w = this.#out;
        this.#out = this.#spare;
        this.#spare = w;
        let off = 0;
        while (off < w.pos) off += await this.#conn.write(w.buf.subarray(off, w.pos));
        w.reset();
        this.lastSend = performance.now();
      }
    } catch (e) {
      if (!this.#closed) this.error = e;
      this.close();
    } finally {
      this.#writing = null;
    }
  }

  async #readLoop(): Promise<void> {
    let buf = new Uint8Array(READ_CHUNK);
    let view = new DataView(buf.buffer);
    let start = 0;
    let end = 0;
    try {
      while (!this.#closed) {
        if (end === buf.length) {
          // Only reached when a frame's start is not at 0 or the frame outgrew the buffer.
          buf.copyWithin(0, start, end);
          end -= start;
          start = 0;
        }
        const n = await this.#conn.read(buf.subarray(end));
        if (n === null) break;
        end += n;
        this.lastRecv = performance.now();
        while (end - start >= 4 && !this.#closed) {
          const len = view.getInt32(start);
          if (len < 0 || len > MAX_FRAME) throw new RangeError(`bad frame length ${len}`);
          if (end - start - 4 < len) {
            if (start + 4 + len > buf.length) {
              if (4 + len > buf.length) {
                const next = new Uint8Array(4 + len + READ_CHUNK);
                next.set(buf.subarray(start, end));
                buf = next;
                view = new DataView(buf.buffer);
              } else {
                buf.copyWithin(0, start, end);
              }
              end -= start;
              start = 0;
            }
            break;
          }
          this.#onFrame(new JuteReader(buf, start + 4, start + 4 + len));
          start += 4 + len;
        }
        if (start === end) start = end = 0;
      }
    } catch (e) {
      if (!this.#closed) this.error = e;
    }
    this.close();
    if (this.#writing !== null) await this.#writing;
    this.#onClose();
  }
}
