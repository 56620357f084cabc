/**
 * One client connection to a Kafka broker, for herd's tools: requests written with the codecs,
 * answers matched to them by correlation id (a broker answers one connection in request order),
 * and the API versions the broker serves learnt first, so each request goes at the highest
 * version both sides know (as the Java client's NetworkClient picks it).
 *
 * @module
 */
import { readResponse, writeRequest } from "../protocol/frame.ts";
import type { ApiVersionsResponse } from "../protocol/messages/api_versions.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { API_VERSIONS_KEY, apiEntry } from "../protocol/registry.ts";
import { KafkaWriter } from "../protocol/writer.ts";

/** The connection closed (or could not open) before an answer came. */
export class BrokerConnectionError extends Error {
  override name = "BrokerConnectionError";
}

/** An API the broker does not serve at any version this client knows. */
export class UnsupportedApiError extends Error {
  override name = "UnsupportedVersionException";
}

interface Pending {
  readonly correlationId: number;
  readonly apiKey: number;
  readonly version: number;
  readonly resolve: (body: unknown) => void;
  readonly reject: (e: Error) => void;
}

/** What the client says it is (ApiVersions v3+, KIP-511). */
const SOFTWARE_NAME = "herd";
const SOFTWARE_VERSION = "2.8.2";

/**
 * A connection to one broker.
 *
 * @example
 * ```ts ignore
 * const c = await BrokerConnection.connect("127.0.0.1", 9092, "tool");
 * const md = await c.send(3, { topics: null });
 * c.close();
 * ```
 */
export class BrokerConnection {
  private readonly pending: Pending[] = [];
  // The Java client numbers from 0 (ApiVersions first), and its log lines show these ids.
  private nextCorrelationId = 0;
  private closedWith: Error | undefined;
  private readonly writer = new KafkaWriter(4096);
  /** The broker's highest version per API key (from ApiVersions). */
  private readonly brokerMax: number[] = [];
  private readonly brokerMin: number[] = [];

  private constructor(
    private readonly conn: Deno.TcpConn,
    readonly clientId: string,
    readonly address: string,
  ) {
    this.readLoop();
  }

  /** Opens a connection and learns the broker's API versions. */
  static async connect(host: string, port: number, clientId: string): Promise<BrokerConnection> {
    let conn: Deno.TcpConn;
    try {
      conn = await Deno.connect({ hostname: host, port });
    } catch (e) {
      throw new BrokerConnectionError(
        `Connection to ${host}:${port} could not be established: ${
          e instanceof Error ? e.message : e
        }`,
      );
    }
    conn.setNoDelay(true);
    const c = new BrokerConnection(conn, clientId, `${host}:${port}`);
    try {
      const av = await c.request<ApiVersionsResponse>(API_VERSIONS_KEY, 3, {
        clientSoftwareName: SOFTWARE_NAME,
        clientSoftwareVersion: SOFTWARE_VERSION,
      });
      for (const k of av.apiKeys) {
        c.brokerMax[k.apiKey] = k.maxVersion;
        c.brokerMin[k.apiKey] = k.minVersion;
      }
    } catch (e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * The version a request of `apiKey` goes at: the highest both sides serve, capped at `max`
   * (a tool that needs an older layout) when given.
   */
  versionFor(apiKey: number, max?: number): number {
    const entry = apiEntry(apiKey);
    const broker = this.brokerMax[apiKey];
    if (!entry || broker === undefined) {
      throw new UnsupportedApiError(`The broker does not support ${entry?.name ?? apiKey}`);
    }
    let v = Math.min(entry.maxVersion, broker);
    if (max !== undefined) v = Math.min(v, max);
    if (v < Math.max(entry.minVersion, this.brokerMin[apiKey] ?? 0)) {
      throw new UnsupportedApiError(`The broker does not support ${entry.name} at version ${v}`);
    }
    return v;
  }

  /** Sends `body` at the negotiated version (see versionFor); the decoded answer. */
  send<Res>(apiKey: number, body: unknown, maxVersion?: number): Promise<Res> {
    return this.request<Res>(apiKey, this.versionFor(apiKey, maxVersion), body);
  }

  /** The correlation id of the last request sent (log lines name it, as the Java client's do). */
  get lastCorrelationId(): number {
    return this.nextCorrelationId - 1;
  }

  /** Sends `body` at `version` exactly; the decoded answer. */
  request<Res>(apiKey: number, version: number, body: unknown): Promise<Res> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const correlationId = this.nextCorrelationId++;
    const w = this.writer;
    w.reset();
    writeRequest(
      w,
      { requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId: this.clientId },
      body,
    );
    const bytes = w.written().slice();
    const answer = new Promise<Res>((resolve, reject) => {
      this.pending.push({
        correlationId,
        apiKey,
        version,
        resolve: resolve as (b: unknown) => void,
        reject,
      });
    });
    this.write(bytes);
    return answer;
  }

  /**
   * Sends a request the broker does not answer (Produce with acks=0); resolves once written.
   */
  async sendNoAnswer(apiKey: number, body: unknown): Promise<void> {
    const version = this.versionFor(apiKey);
    const w = this.writer;
    w.reset();
    writeRequest(
      w,
      {
        requestApiKey: apiKey,
        requestApiVersion: version,
        correlationId: this.nextCorrelationId++,
        clientId: this.clientId,
      },
      body,
    );
    await this.write(w.written().slice());
  }

  private writing: Promise<void> = Promise.resolve();

  /** Writes in order; a failed write fails the connection. */
  private write(bytes: Uint8Array): Promise<void> {
    this.writing = this.writing.then(async () => {
      let off = 0;
      while (off < bytes.length) off += await this.conn.write(bytes.subarray(off));
    }).catch((e) => this.fail(e));
    return this.writing;
  }

  private async readLoop(): Promise<void> {
    let buf = new Uint8Array(64 * 1024);
    let have = 0;
    const reader = new KafkaReader();
    try {
      for (;;) {
        if (have === buf.length) {
          const bigger = new Uint8Array(buf.length * 2);
          bigger.set(buf);
          buf = bigger;
        }
        const n = await this.conn.read(buf.subarray(have));
        if (n === null) break;
        have += n;
        let off = 0;
        const view = new DataView(buf.buffer);
        while (have - off >= 4) {
          const len = view.getInt32(off);
          if (have - off - 4 < len) {
            if (4 + len > buf.length) {
              const bigger = new Uint8Array(4 + len);
              bigger.set(buf.subarray(off, have));
              buf = bigger;
              have -= off;
              off = 0;
            }
            break;
          }
          const p = this.pending.shift();
          if (!p) {
            throw new BrokerConnectionError(`an answer nobody asked for from ${this.address}`);
          }
          // Answers keep byte fields as views: copy the frame so they outlive this buffer.
          const frame = buf.slice(off + 4, off + 4 + len);
          off += 4 + len;
          reader.reset(frame, 0, frame.length);
          const { header, body } = readResponse(reader, apiEntry(p.apiKey)!, p.version);
          if (header.correlationId !== p.correlationId) {
            throw new BrokerConnectionError(
              `correlation id ${header.correlationId} where ${p.correlationId} was expected`,
            );
          }
          p.resolve(body);
        }
        if (off > 0) {
          buf.copyWithin(0, off, have);
          have -= off;
        }
      }
      this.fail(new BrokerConnectionError(`Connection to ${this.address} was closed`));
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    if (this.closedWith) return;
    this.closedWith = e instanceof Error
      ? e
      : new BrokerConnectionError(`Connection to ${this.address} failed: ${e}`);
    for (const p of this.pending.splice(0)) p.reject(this.closedWith);
    try {
      this.conn.close();
    } catch { /* closed */ }
  }

  /** True once the connection has failed or been closed. */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Closes; pending requests fail. */
  close(): void {
    this.fail(new BrokerConnectionError(`Connection to ${this.address} closed by the client`));
  }
}
