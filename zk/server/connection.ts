/**
 * One client connection: reads whole frames in batches, hands each request to the server, and
 * writes all replies produced by a batch with one socket write (double-buffered).
 */
import { JuteReader } from "../jute/reader.ts";
import { JuteWriter } from "../jute/writer.ts";
import type { Id } from "../jute/records.ts";
import { writeResponse } from "../jute/responses.ts";
import type { Response } from "../jute/responses.ts";
import { Xid } from "../jute/opcodes.ts";
import type { Session } from "./session_tracker.ts";
import type { Watcher } from "./watch_manager.ts";
import { FreeList } from "../../internal/free_list.ts";
import { LOG_SITES } from "./log_sites.ts";

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly maxBuffer: number;
  /** Handles the first frame of a connection (ConnectRequest). */
  onConnect(c: Connection, r: JuteReader): void;
  /** Handles a request frame after the session is established. */
  onRequest(c: Connection, r: JuteReader): void;
  /** Answers a four-letter word, or null if `code` is not one. */
  fourLetter(code: number, c: Connection): string | null;
  onClose(c: Connection): void;
  /** Sockets closed for writing, waiting for their clients to close (see half_closed.ts). */
  readonly halfClosed: { add(c: Connection): void; delete(c: Connection): void };
  lastZxid(): number;
  /** Counts the bytes of each packet read (Apache's bytes_received_count). */
  readonly metrics: { bytesReceived: number };
  log: { info(where: string, msg: string): void; warn(where: string, msg: string): void };
}

let nextConnId = 1;

/** Bytes a connection starts reading into. */
const INITIAL_READ_BUFFER = 4096;
/** Bytes a connection's reads grow to while its reads keep filling the buffer. */
const BATCH_READ_BUFFER = 64 * 1024;
/** Bytes a reply writer starts with; writers that grew past BATCH_READ_BUFFER are not reused. */
const INITIAL_WRITER = 4096;

const readBuffers = new FreeList(() => new Uint8Array(INITIAL_READ_BUFFER), 1024);
const writers = new FreeList(() => new JuteWriter(INITIAL_WRITER), 1024);

function giveWriter(w: JuteWriter): void {
  if (w.buf.length > BATCH_READ_BUFFER) return;
  w.reset();
  writers.give(w);
}

export class Connection implements Watcher {
  readonly id = nextConnId++;
  /** Its place in the server's SlotSet of connections. */
  slot = -1;
  session: Session | null = null;
  authInfo: Id[];
  /** The client sent the readOnly byte in its ConnectRequest (newer clients do). */
  sentReadOnlyFlag = false;
  /** Requests waiting to be answered in order behind a write still in the pipeline. */
  readonly inOrder: { ready: boolean; run: () => void }[] = [];
  closed = false;
  closing = false;
  /** When the server sent FIN after its last reply (a graceful close), for the linger sweep. */
  halfClosedAt = 0;
  private reading = false;
  private released = false;
  /** No more reads: the session is closing and its last reply closes the connection. */
  private readsStopped = false;
  readonly remoteHost: string;
  readonly remotePort: number;
  readonly established: number = Date.now();
  // Counters for cons/stat.
  packetsReceived = 0;
  packetsSent = 0;
  lastOp = "NA";
  lastCxid = -1;
  lastZxid = -1;
  lastResponseTime = 0;
  lastLatency = 0;
  minLatency = Number.MAX_SAFE_INTEGER;
  maxLatency = 0;
  totalLatency = 0;
  latencyCount = 0;

  /**
   * Replies not yet handed to the socket. A connection holds a writer only while it has output:
   * one being written goes back to the free list when its write completes, and replies produced
   * meanwhile go into another.
   */
  private out: JuteWriter | null = null;
  private writing = false;
  private flushQueued = false;

  constructor(readonly conn: Deno.Conn, private readonly host: ConnectionHost) {
    const addr = conn.remoteAddr as Deno.NetAddr;
    this.remoteHost = addr.hostname;
    this.remotePort = addr.port;
    this.authInfo = [{ scheme: "ip", id: addr.hostname }];
  }

  /** "/127.0.0.1:54321" as Apache prints remote addresses. */
  get remote(): string {
    return `/${this.remoteHost}:${this.remotePort}`;
  }

  get queued(): number {
    return this.inOrder.length;
  }

  async run(): Promise<void> {
    // Most sessions send a request at a time: a small buffer keeps thousands of them cheap (each
    // connection's buffer is its own allocation, and churn through large ones drives the GC). A
    // read that fills the buffer means more is waiting, so it grows for batched reads.
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
        if (n === room && buf.length < BATCH_READ_BUFFER) {
          const bigger = new Uint8Array(buf.length * 4);
          bigger.set(buf.subarray(0, have + n));
          buf = bigger;
        }
        have += n;
        let off = 0;
        const view = new DataView(buf.buffer, buf.byteOffset);
        while (have - off >= 4 && !this.closed) {
          const len = view.getInt32(off);
          if (first) {
            const answer = this.host.fourLetter(len, this);
            if (answer !== null) {
              await this.writeAll(new TextEncoder().encode(answer));
              this.close();
              return;
            }
          }
          if (len < 0 || len > this.host.maxBuffer) {
            // Apache's readLength throws this IOException; doIO logs it under the session.
            this.host.log.warn(
              LOG_SITES.closeOfSession,
              `Close of session 0x${(this.session?.id ?? 0n).toString(16)}\n` +
                `java.io.IOException: Len error. A message from ${this.remote} with advertised ` +
                `length of ${len} is either a malformed message or too large to process ` +
                `(length is greater than jute.maxbuffer=${this.host.maxBuffer})`,
            );
            this.close();
            return;
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
          const r = new JuteReader(buf, off + 4, off + 4 + len);
          off += 4 + len;
          this.packetsReceived++;
          this.host.metrics.bytesReceived += 4 + len;
          if (first) {
            first = false;
            this.host.onConnect(this, r);
          } else {
            this.host.onRequest(this, r);
          }
        }
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
        this.host.log.warn(LOG_SITES.cnxnUnexpected, `Unexpected exception\n${e}`);
      }
    }
    // No read is pending on `buf` any more, and requests copy what they keep out of it.
    if (buf.length === INITIAL_READ_BUFFER) readBuffers.give(buf);
    // After closeSession the reply still to be written closes the connection, with no read
    // pending to cancel.
    if (stopped && !this.closed) return;
    this.close();
    this.release();
  }

  /**
   * Reads no more requests once those already read are handled (after closeSession). The
   * connection then closes after its last reply with no read pending, so nothing is cancelled.
   */
  stopReading(): void {
    this.readsStopped = true;
  }

  private writer(): JuteWriter {
    return this.out ??= writers.take();
  }

  /** Queues a reply frame: header, then the body when err is 0 and a body is given. */
  reply(xid: number, zxid: number, err: number, type: number, body: Response | null): void {
    if (this.closed) return;
    const w = this.writer();
    const at = w.beginFrame();
    w.int(xid);
    w.long(zxid);
    w.int(err);
    if (err === 0 && body !== null) writeResponse(w, type, body);
    w.endFrame(at);
    this.packetsSent++;
    this.scheduleFlush();
  }

  /** Queues a raw frame built by `fill`. */
  frame(fill: (w: JuteWriter) => void): void {
    if (this.closed) return;
    const w = this.writer();
    const at = w.beginFrame();
    fill(w);
    w.endFrame(at);
    this.packetsSent++;
    this.scheduleFlush();
  }

  /** Watch notification (Watcher interface). */
  notify(path: string, type: number): void {
    if (this.closed) return;
    const w = this.writer();
    const at = w.beginFrame();
    w.int(Xid.notification);
    w.long(-1);
    w.int(0);
    w.int(type);
    w.int(3); // SyncConnected
    w.string(path);
    w.endFrame(at);
    this.packetsSent++;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** Writes everything queued; replies produced while a write is in flight go in the next one. */
  flush(): void {
    const w = this.out;
    if (this.writing || w === null || w.pos === 0 || this.closed) return;
    this.out = null;
    this.writing = true;
    this.writeAll(w.buf.subarray(0, w.pos)).then(() => {
      giveWriter(w);
      this.writing = false;
      if (this.closing && this.out === null) this.close();
      else this.flush();
    }, () => {
      this.writing = false;
      this.close();
    });
  }

  private async writeAll(b: Uint8Array): Promise<void> {
    let off = 0;
    while (off < b.length) off += await this.conn.write(b.subarray(off));
  }

  /** Closes once queued replies are written (after closeSession, auth failure, expiry). */
  closeAfterFlush(): void {
    this.closing = true;
    if (!this.writing && (this.out === null || this.out.pos === 0)) this.close();
    else this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A writer being written is still the socket's; the unsent one is no one's.
    if (this.out !== null) giveWriter(this.out);
    this.out = null;
    if (this.closing && this.reading) {
      // A graceful close (after closeSession) with a read pending. Closing the socket would cancel
      // that read, and Deno builds an error with a stack trace for each cancelled read: a real
      // cost under session churn. Send FIN instead: the read ends when the client closes its side
      // (as clients do after closeSession), and the host releases sockets whose clients don't.
      this.halfClosedAt = Date.now();
      (this.conn as Deno.TcpConn).closeWrite().catch(() => {});
      this.host.onClose(this);
      if (!this.released) this.host.halfClosed.add(this);
      return;
    }
    this.release();
    this.host.onClose(this);
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
    this.host.halfClosed.delete(this);
  }

  /** Records latency and last-op counters for cons/stat/mntr. */
  recordLatency(type: string, cxid: number, zxid: number, startedAt: number): void {
    const now = Date.now();
    const lat = now - startedAt;
    this.lastOp = type;
    if (cxid >= 0) this.lastCxid = cxid;
    this.lastZxid = zxid;
    this.lastResponseTime = now;
    this.lastLatency = lat;
    if (lat < this.minLatency) this.minLatency = lat;
    if (lat > this.maxLatency) this.maxLatency = lat;
    this.totalLatency += lat;
    this.latencyCount++;
  }
}
