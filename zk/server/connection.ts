/**
 * One ZooKeeper client connection: a FramedConnection whose frames are jute requests (the first
 * one a ConnectRequest, or a four-letter word instead of a size), and whose output is jute replies
 * and watch notifications, all of a batch written with one socket write.
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
import { FramedConnection } from "../../internal/framed_connection.ts";
import { LOG_SITES } from "./log_sites.ts";
import type { Clock } from "../../internal/clock.ts";

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
  /** The server's clock: latencies and last-response times are measured on it. */
  readonly clock: Clock;
  /** Counts the bytes of each packet read (Apache's bytes_received_count). */
  readonly metrics: { bytesReceived: number };
  log: { info(where: string, msg: string): void; warn(where: string, msg: string): void };
}

let nextConnId = 1;

/** Bytes a reply writer starts with. */
const INITIAL_WRITER = 4096;

const writers = new FreeList(() => new JuteWriter(INITIAL_WRITER), 1024);

export class Connection extends FramedConnection<JuteWriter> implements Watcher {
  readonly id = nextConnId++;
  session: Session | null = null;
  authInfo: Id[];
  /** The client sent the readOnly byte in its ConnectRequest (newer clients do). */
  sentReadOnlyFlag = false;
  /** Requests waiting to be answered in order behind a write still in the pipeline. */
  readonly inOrder: { ready: boolean; run: () => void }[] = [];
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

  constructor(conn: Deno.Conn, private readonly host: ConnectionHost) {
    super(conn, writers);
    this.maxFrameSize = host.maxBuffer;
    this.authInfo = [{ scheme: "ip", id: this.remoteHost }];
  }

  /** "/127.0.0.1:54321" as Apache prints remote addresses. */
  get remote(): string {
    return `/${this.remoteHost}:${this.remotePort}`;
  }

  get queued(): number {
    return this.inOrder.length;
  }

  protected checkLength(len: number, first: boolean): boolean {
    if (first) {
      const answer = this.host.fourLetter(len, this);
      if (answer !== null) {
        this.sendLast(new TextEncoder().encode(answer));
        return false;
      }
    }
    if (len >= 0 && len <= this.host.maxBuffer) return true;
    // Apache's readLength throws this IOException; doIO logs it under the session.
    this.host.log.warn(
      LOG_SITES.closeOfSession,
      `Close of session 0x${(this.session?.id ?? 0n).toString(16)}\n` +
        `java.io.IOException: Len error. A message from ${this.remote} with advertised ` +
        `length of ${len} is either a malformed message or too large to process ` +
        `(length is greater than jute.maxbuffer=${this.host.maxBuffer})`,
    );
    this.close();
    return false;
  }

  protected onFrame(buf: Uint8Array, start: number, end: number, first: boolean): void {
    const r = new JuteReader(buf, start, end);
    this.packetsReceived++;
    this.host.metrics.bytesReceived += 4 + end - start;
    if (first) this.host.onConnect(this, r);
    else this.host.onRequest(this, r);
  }

  protected onUnexpected(e: unknown): void {
    this.host.log.warn(LOG_SITES.cnxnUnexpected, `Unexpected exception\n${e}`);
  }

  protected onClosed(halfClosed: boolean): void {
    this.host.onClose(this);
    if (halfClosed) this.host.halfClosed.add(this);
  }

  protected onReleased(): void {
    this.host.halfClosed.delete(this);
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

  /** Records latency and last-op counters for cons/stat/mntr. */
  recordLatency(type: string, cxid: number, zxid: number, startedAt: number): void {
    const now = this.host.clock.now();
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
