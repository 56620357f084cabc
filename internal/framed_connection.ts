/**
 * A TCP connection that speaks in frames with a 4-byte big-endian size prefix, as both ZooKeeper
 * and Kafka do: it reads whole frames in batches into one reused buffer and hands each to the
 * role's subclass, and it writes all the output a batch produced with one socket write, double
 * buffered (what is produced while a write is in flight goes into the next one).
 *
 * The role (ZooKeeper's Connection, Kafka's) decides what a frame means, what a bad size does,
 * and what its output buffer is: anything with `buf`, `pos` and `reset()`, taken from a FreeList.
 *
 * @module
 */
import { FreeList } from "./free_list.ts";

/** A growable output buffer: the role's writer (JuteWriter, Kafka's) satisfies it as it is. */
export interface FrameOutput {
  /** The bytes; `buf.subarray(0, pos)` is what is to be sent. */
  buf: Uint8Array;
  /** How many bytes of `buf` are written. */
  pos: number;
  /** Drops what was written, keeping the buffer. */
  reset(): void;
}

/** Bytes a connection starts reading into. */
const INITIAL_READ_BUFFER = 4096;
/**
 * Bytes a connection's reads grow to while its reads keep filling the buffer; output writers that
 * grew past it are not reused.
 */
const BATCH_BUFFER = 64 * 1024;

const readBuffers = new FreeList(() => new Uint8Array(INITIAL_READ_BUFFER), 1024);

/**
 * The framed connection both roles build on. A subclass says what a frame means (onFrame), what
 * a size that cannot be served does (checkLength), and what closing means to its server
 * (onClosed, onReleased); it produces output with `writer()` and `scheduleFlush()`.
 *
 * @example
 * ```ts ignore
 * class Echo extends FramedConnection<JuteWriter> {
 *   constructor(conn: Deno.Conn, writers: FreeList<JuteWriter>) {
 *     super(conn, writers);
 *     this.maxFrameSize = 1 << 20;
 *   }
 *   protected checkLength(len: number, first: boolean) {
 *     if (first && len >= 0 && len <= this.maxFrameSize) return true;
 *     this.close();
 *     return false;
 *   }
 *   protected onFrame(buf: Uint8Array, start: number, end: number) {
 *     const w = this.writer();
 *     const at = w.beginFrame();
 *     w.bytes(buf.subarray(start, end));
 *     w.endFrame(at);
 *     this.scheduleFlush();
 *   }
 *   protected onUnexpected(e: unknown) { console.error(e); }
 *   protected onClosed() {}
 *   protected onReleased() {}
 * }
 * new Echo(await listener.accept(), writers).run();
 * ```
 */
export abstract class FramedConnection<W extends FrameOutput> {
  /** Its place in the server's SlotSet of connections. */
  slot = -1;
  closed = false;
  /** Closing once the queued output is written (closeAfterFlush). */
  closing = false;
  /** When the server sent FIN after its last reply (a graceful close), for the linger sweep. */
  halfClosedAt = 0;
  readonly remoteHost: string;
  readonly remotePort: number;
  readonly established: number = Date.now();
  private reading = false;
  private released = false;
  /** No more reads: the last output closes the connection. */
  private readsStopped = false;
  /**
   * Output not yet handed to the socket. A connection holds a writer only while it has output:
   * one being written goes back to the free list when its write completes, and output produced
   * meanwhile goes into another.
   */
  private out: W | null = null;
  /**
   * A writer that grew past the pool's size, kept for this connection's next batch when
   * {@link keepLargeWriter} says so (a Kafka consumer's fetch answers are ~1 MiB each: a new
   * buffer per answer is a large-object allocation that drives V8 into full collections).
   */
  private spare: W | null = null;
  /** Bytes up to which a grown writer is kept for reuse by this connection (0: never). */
  protected keepLargeWriter = 0;
  private writing = false;
  private flushQueued = false;

  constructor(readonly conn: Deno.Conn, private readonly writers: FreeList<W>) {
    const addr = conn.remoteAddr as Deno.NetAddr;
    this.remoteHost = addr.hostname;
    this.remotePort = addr.port;
  }

  /**
   * The largest frame served (jute.maxbuffer, socket.request.max.bytes). A larger or negative
   * size, and the first frame's size, go to checkLength.
   */
  protected maxFrameSize = 0x7fffffff;

  /**
   * Called with the first frame's size, and with any size outside 0..maxFrameSize, before the
   * frame's bytes are waited for. Returns false to read no more: the subclass has closed the
   * connection, or queued its last output (sendLast).
   */
  protected abstract checkLength(len: number, first: boolean): boolean;
  /** One whole frame, `buf[start, end)` without its size prefix; the bytes are reused after. */
  protected abstract onFrame(buf: Uint8Array, start: number, end: number, first: boolean): void;
  /** A read failed other than by the connection closing. */
  protected abstract onUnexpected(e: unknown): void;
  /** The connection closed; `halfClosed`: FIN was sent and the socket waits for release(). */
  protected abstract onClosed(halfClosed: boolean): void;
  /** The socket is closed (release). */
  protected abstract onReleased(): void;

  /** Reads and dispatches frames until the connection closes or reads are stopped. */
  async run(): Promise<void> {
    // Most connections send a request at a time: a small buffer keeps thousands of them cheap
    // (each connection's buffer is its own allocation, and churn through large ones drives the
    // GC). A read that fills the buffer means more is waiting, so it grows for batched reads.
    let buf = readBuffers.take();
    let have = 0;
    let first = true;
    let stopped = false;
    try {
      while (!this.closed) {
        if (have === buf.length) {
          const bigger = new Uint8Array(buf.length * 2);
          bigger.set(buf);
          buf = bigger;
        }
        const room = buf.length - have;
        this.reading = true;
        const n = await this.conn.read(buf.subarray(have));
        this.reading = false;
        if (n === null) break;
        if (n === room && buf.length < BATCH_BUFFER) {
          const bigger = new Uint8Array(buf.length * 4);
          bigger.set(buf.subarray(0, have + n));
          buf = bigger;
        }
        have += n;
        let off = 0;
        const view = new DataView(buf.buffer, buf.byteOffset);
        while (have - off >= 4 && !this.closed) {
          const len = view.getInt32(off);
          // One comparison per frame on the common path; the hook only for the unusual.
          if ((first || len < 0 || len > this.maxFrameSize) && !this.checkLength(len, first)) {
            stopped = true;
            break;
          }
          if (have - off - 4 < len) {
            if (4 + len > buf.length) {
              let size = buf.length * 2;
              while (size < 4 + len) size *= 2;
              const bigger = new Uint8Array(size);
              bigger.set(buf.subarray(off, have));
              buf = bigger;
              have -= off;
              off = 0;
            }
            break;
          }
          const start = off + 4;
          off = start + len;
          const wasFirst = first;
          first = false;
          this.onFrame(buf, start, off, wasFirst);
        }
        if (stopped) break;
        if (off > 0) {
          buf.copyWithin(0, off, have);
          have -= off;
        }
        this.flush();
        if (this.readsStopped) {
          stopped = true;
          break;
        }
      }
    } catch (e) {
      if (
        !this.closed && !(e instanceof Deno.errors.BadResource) &&
        !(e instanceof Deno.errors.ConnectionReset)
      ) {
        this.onUnexpected(e);
      }
    }
    // No read is pending on `buf` any more, and frames copy what they keep out of it.
    if (buf.length === INITIAL_READ_BUFFER) readBuffers.give(buf);
    // After stopReading (or a last answer) the output still to be written closes the
    // connection, with no read pending to cancel.
    if (stopped && !this.closed) return;
    this.close();
    this.release();
  }

  /**
   * Reads no more frames once those already read are handled. The connection then closes after
   * its last output with no read pending, so nothing is cancelled.
   */
  stopReading(): void {
    this.readsStopped = true;
  }

  /** The writer to append output to; scheduleFlush() sends it. */
  protected writer(): W {
    if (this.out === null && this.spare !== null) {
      this.out = this.spare;
      this.spare = null;
    }
    return this.out ??= this.writers.take();
  }

  /** Sends what was written this turn once the turn's work is done: one write per batch. */
  protected scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** Writes everything queued; output produced while a write is in flight goes in the next one. */
  flush(): void {
    const w = this.out;
    if (this.writing || w === null || w.pos === 0 || this.closed) return;
    this.out = null;
    this.writing = true;
    this.writeAll(w.buf.subarray(0, w.pos)).then(() => {
      this.giveWriter(w);
      this.writing = false;
      if (this.closing && this.out === null) this.close();
      else this.flush();
    }, () => {
      this.writing = false;
      this.close();
    });
  }

  /**
   * Writes `bytes` (unframed: a four-letter word's answer) and closes. For checkLength to call
   * before it returns false.
   */
  protected sendLast(bytes: Uint8Array): void {
    this.writeAll(bytes).then(() => this.close(), () => this.close());
  }

  private async writeAll(b: Uint8Array): Promise<void> {
    let off = 0;
    while (off < b.length) off += await this.conn.write(b.subarray(off));
  }

  private giveWriter(w: W): void {
    if (w.buf.length > BATCH_BUFFER) {
      if (w.buf.length <= this.keepLargeWriter && !this.closed) {
        w.reset();
        this.spare = w;
      }
      return;
    }
    w.reset();
    this.writers.give(w);
  }

  /** Closes once queued output is written. */
  closeAfterFlush(): void {
    this.closing = true;
    if (!this.writing && (this.out === null || this.out.pos === 0)) this.close();
    else this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A writer being written is still the socket's; the unsent one is no one's.
    if (this.out !== null) this.giveWriter(this.out);
    this.out = null;
    this.spare = null;
    if (this.closing && this.reading) {
      // A graceful close with a read pending. Closing the socket would cancel that read, and
      // Deno builds an error with a stack trace for each cancelled read: a real cost under
      // session churn. Send FIN instead: the read ends when the client closes its side (as
      // clients do after closing their session), and the server releases sockets whose clients
      // don't (HalfClosedSockets).
      this.halfClosedAt = Date.now();
      (this.conn as Deno.TcpConn).closeWrite().catch(() => {});
      this.onClosed(!this.released);
      return;
    }
    this.release();
    this.onClosed(false);
  }

  /** Closes the socket (ending a pending read). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      this.conn.close();
    } catch {
      // already closed by the peer
    }
    this.onReleased();
  }
}
