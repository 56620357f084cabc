/**
 * One Kafka client connection: a FramedConnection whose frames are requests. Each is decoded,
 * dispatched by API key to its handler and answered with the response header version its API and
 * version call for; the answers to all the frames of one read go out in one socket write, in
 * request order. A handler that answers later (a promise) holds the answers after it back until
 * it is done, so order is always the order of the frames, as Kafka's clients expect.
 *
 * What is not answered, as Apache Kafka 2.8.2 does it (kafka/protocol/fixtures/README.md): a
 * size above socket.request.max.bytes or negative, an API key or version 2.8.2 does not serve
 * (except ApiVersions, answered with error 35 in a v0 body), and a body that does not parse all
 * close this connection after the answers to the requests before it; other connections carry on.
 * An API 2.8.2 serves that herd has no handler for yet is closed the same way (see README.md).
 *
 * @module
 */
import { FramedConnection } from "../../internal/framed_connection.ts";
import { FreeList } from "../../internal/free_list.ts";
import { readRequest, writeResponse, writeUnsupportedApiVersions } from "../protocol/frame.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import type { HandlerRegistry } from "../handlers/registry.ts";
import { AFTER_ENCODE, NO_RESPONSE, type WithAfterEncode } from "../handlers/handler.ts";
import type { ApiEntry } from "../protocol/registry.ts";
import type { BrokerState } from "./broker_state.ts";

/** What a connection needs from its server. */
export interface KafkaConnectionHost {
  /** socket.request.max.bytes */
  readonly maxRequestSize: number;
  readonly handlers: HandlerRegistry;
  readonly state: BrokerState;
  /** Logs why a connection is closed (Apache logs these at DEBUG/WARN; herd at WARN). */
  warn(msg: string): void;
  onClose(c: KafkaConnection): void;
}

const writers = new FreeList(() => new KafkaWriter(4096), 1024);

/** A Kafka client connection (see the module doc). */
export class KafkaConnection extends FramedConnection<KafkaWriter> {
  /** Set once the connection is to close: frames already read after it are not handled. */
  private refused = false;
  private readonly reader = new KafkaReader();
  /**
   * Answers waiting for an earlier one, oldest first; empty unless a handler answered with a
   * promise that has not settled. Only then are answers queued rather than written at once.
   */
  private readonly held: HeldAnswer[] = [];

  constructor(conn: Deno.Conn, private readonly host: KafkaConnectionHost) {
    super(conn, writers);
    this.maxFrameSize = host.maxRequestSize;
    // Fetch answers run to max.partition.fetch.bytes (1 MiB) and beyond: keep one such writer.
    this.keepLargeWriter = 8 * 1024 * 1024;
  }

  /** "/127.0.0.1" as Apache prints a member's host. */
  get clientHost(): string {
    return `/${this.remoteHost}`;
  }

  /** "/127.0.0.1:54321" as Apache prints remote addresses. */
  get remote(): string {
    return `/${this.remoteHost}:${this.remotePort}`;
  }

  protected checkLength(len: number, _first: boolean): boolean {
    if (len >= 0 && len <= this.maxFrameSize) return true;
    this.refuse(
      `Invalid receive (size = ${len} larger than ${this.maxFrameSize})` +
        (len < 0 ? " or negative" : ""),
    );
    return false;
  }

  protected onFrame(buf: Uint8Array, start: number, end: number): void {
    if (this.refused) return;
    const r = this.reader;
    // Byte fields decode as views of the frame, and the next read reuses this buffer. Produce
    // (API key 0, whose handler copies its records once) is read in place; every other request
    // is read from a copy of its frame, so what a handler keeps (a member's subscription, an
    // assignment) stays intact. Those frames are small next to Produce's.
    if (end - start >= 2 && buf[start] === 0 && buf[start + 1] === 0) r.reset(buf, start, end);
    else r.reset(buf.slice(start, end), 0, end - start);
    let req;
    try {
      req = readRequest(r);
    } catch (e) {
      this.refuse(`request does not parse: ${e instanceof Error ? e.message : e}`);
      return;
    }
    const d = req.disposition;
    if (d.kind === "close") return this.refuse(d.reason);
    if (d.kind === "unsupported-api-versions") {
      writeUnsupportedApiVersions(this.writer(), req.correlationId);
      return;
    }
    const handler = this.host.handlers.get(req.apiKey);
    if (!handler) return this.refuse(`${d.entry.name} is not served by herd yet`);
    let body;
    try {
      body = handler(req.body, {
        apiVersion: req.apiVersion,
        header: req.header!,
        broker: this.host.state,
        clientHost: this.clientHost,
      });
    } catch (e) {
      // A handler's bug must not take the broker down; Apache closes on an unexpected error too.
      return this.failed(d.entry, req.apiVersion, e);
    }
    if (body instanceof Promise) {
      const held: HeldAnswer = {
        entry: d.entry,
        apiVersion: req.apiVersion,
        correlationId: req.correlationId,
        state: "waiting",
        body: undefined,
      };
      this.held.push(held);
      body.then((b) => {
        held.state = "ready";
        held.body = b;
        this.releaseHeld();
      }, (e) => {
        held.state = "failed";
        held.body = e;
        this.releaseHeld();
      });
      return;
    }
    if (this.held.length > 0) {
      this.held.push({
        entry: d.entry,
        apiVersion: req.apiVersion,
        correlationId: req.correlationId,
        state: "ready",
        body,
      });
      return;
    }
    // The frame loop flushes the writer after each read, so one write carries the whole batch.
    if (body !== NO_RESPONSE) this.answer(d.entry, req.apiVersion, req.correlationId, body);
  }

  /** Writes the held answers that are no longer waiting on an earlier one, and sends them. */
  private releaseHeld(): void {
    const q = this.held;
    let n = 0;
    while (n < q.length && q[n].state !== "waiting" && !this.refused) {
      const a = q[n++];
      if (a.state === "failed") this.failed(a.entry, a.apiVersion, a.body);
      else if (a.body !== NO_RESPONSE) this.answer(a.entry, a.apiVersion, a.correlationId, a.body);
    }
    if (this.refused) q.length = 0;
    else q.splice(0, n);
    this.scheduleFlush();
  }

  /** Encodes one answer into the output, then runs its AFTER_ENCODE hook if it has one. */
  private answer(entry: ApiEntry, apiVersion: number, correlationId: number, body: unknown): void {
    try {
      writeResponse(this.writer(), entry, apiVersion, correlationId, body);
    } finally {
      (body as WithAfterEncode)[AFTER_ENCODE]?.();
    }
  }

  private failed(entry: ApiEntry, apiVersion: number, e: unknown): void {
    this.refuse(`${entry.name} v${apiVersion} failed: ${e instanceof Error ? e.stack : e}`);
  }

  /** Sends the answers already queued, then closes; later frames are ignored. */
  private refuse(why: string): void {
    if (this.refused) return;
    this.refused = true;
    this.host.warn(`Closing connection from ${this.remote}: ${why}`);
    this.stopReading();
    this.closeAfterFlush();
  }

  protected onUnexpected(e: unknown): void {
    this.host.warn(`Unexpected error from ${this.remote}: ${e}`);
  }

  protected onClosed(_halfClosed: boolean): void {
    this.host.onClose(this);
  }

  protected onReleased(): void {}
}

/** An answer held back behind an earlier one that is not ready. */
interface HeldAnswer {
  readonly entry: ApiEntry;
  readonly apiVersion: number;
  readonly correlationId: number;
  state: "waiting" | "ready" | "failed";
  /** The response body once ready (or NO_RESPONSE), the error once failed. */
  body: unknown;
}
