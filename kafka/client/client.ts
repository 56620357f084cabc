/**
 * herd's Kafka client core, for its tools (console producer and consumer, kafka-topics
 * --bootstrap-server, consumer groups, GetOffsetShell): bootstrap servers, metadata, a connection
 * per broker, and requests routed to a partition's leader or a group's coordinator. It retries
 * what Kafka's clients retry (a leader or coordinator not available yet) a bounded number of
 * times; everything else is the caller's to report.
 *
 * @module
 */
import type {
  FindCoordinatorRequest,
  FindCoordinatorResponse,
} from "../protocol/messages/find_coordinator.ts";
import type { MetadataResponse, MetadataResponseTopic } from "../protocol/messages/metadata.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import { BrokerConnection, BrokerConnectionError } from "./broker_connection.ts";

const METADATA = 3;
const FIND_COORDINATOR = 10;

/** Errors a client waits out (Kafka's RetriableException ones it meets here). */
const RETRIABLE = new Set<number>([
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.REQUEST_TIMED_OUT,
]);

/** True for a Kafka error code a client retries after a pause. */
export function isRetriable(code: number): boolean {
  return RETRIABLE.has(code);
}

/** "h1:9092,h2:9092" → host/port pairs. */
export function parseBootstrap(servers: string): { host: string; port: number }[] {
  return servers.split(",").map((s) => s.trim()).filter((s) => s !== "").map((s) => {
    const i = s.lastIndexOf(":");
    const port = Number(s.slice(i + 1));
    if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new Error(`Invalid url in bootstrap.servers: ${s}`);
    }
    return { host: s.slice(0, i).replace(/^\[(.*)\]$/, "$1"), port };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A client of one cluster.
 *
 * @example
 * ```ts ignore
 * const client = new KafkaClient("127.0.0.1:9092", "console-producer");
 * const md = await client.metadata(["t"]);
 * await client.close();
 * ```
 */
export class KafkaClient {
  private readonly bootstrap: { host: string; port: number }[];
  private readonly byBroker = new Map<number, Promise<BrokerConnection>>();
  private brokers = new Map<number, { host: string; port: number }>();
  private anyConn: Promise<BrokerConnection> | undefined;
  /** Pause between retries (ms). */
  retryBackoffMs = 100;
  /** How long to keep retrying a retriable error (ms). */
  retryTimeoutMs = 30_000;
  /**
   * Told of each bootstrap server that could not be reached (its index, counting from 0, is the
   * Java client's node id -1, -2 …), so a tool can log what Apache's NetworkClient logs.
   */
  onConnectFailure: ((index: number, host: string, port: number) => void) | undefined;

  constructor(bootstrapServers: string, readonly clientId: string) {
    this.bootstrap = parseBootstrap(bootstrapServers);
    if (this.bootstrap.length === 0) throw new Error("No resolvable bootstrap urls given");
  }

  /** A connection to any bootstrap server that answers. */
  any(): Promise<BrokerConnection> {
    if (this.anyConn) {
      return this.anyConn.then((c) => c.closed ? (this.anyConn = undefined, this.any()) : c);
    }
    this.anyConn = (async () => {
      let last: unknown;
      for (const [i, b] of this.bootstrap.entries()) {
        try {
          return await BrokerConnection.connect(b.host, b.port, this.clientId);
        } catch (e) {
          last = e;
          this.onConnectFailure?.(i, b.host, b.port);
        }
      }
      throw last instanceof Error ? last : new BrokerConnectionError(String(last));
    })();
    this.anyConn.catch(() => this.anyConn = undefined);
    return this.anyConn;
  }

  /** Metadata for `topics` (null: all), remembering the brokers it lists. */
  async metadata(
    topics: string[] | null,
    allowAutoTopicCreation = false,
  ): Promise<MetadataResponse> {
    const c = await this.any();
    const md = await c.send<MetadataResponse>(METADATA, {
      topics: topics === null ? null : topics.map((name) => ({ name, topicId: undefined })),
      allowAutoTopicCreation,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    this.brokers = new Map(md.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
    return md;
  }

  /**
   * Metadata of one topic once every partition has a leader, retrying while the broker says
   * LEADER_NOT_AVAILABLE (a topic being created); its last answer otherwise.
   */
  async topicMetadata(
    topic: string,
    allowAutoTopicCreation = false,
  ): Promise<MetadataResponseTopic> {
    const until = Date.now() + this.retryTimeoutMs;
    for (;;) {
      const md = await this.metadata([topic], allowAutoTopicCreation);
      const t = md.topics.find((x) => x.name === topic)!;
      const ready = t.errorCode === ErrorCode.NONE &&
        t.partitions.every((p) => p.leaderId >= 0 && !isRetriable(p.errorCode));
      if (ready || (!isRetriable(t.errorCode) && t.errorCode !== ErrorCode.NONE)) return t;
      if (Date.now() > until) return t;
      await sleep(this.retryBackoffMs);
    }
  }

  /** The connection to broker `id` (as the last metadata listed it). */
  async broker(id: number): Promise<BrokerConnection> {
    const known = this.byBroker.get(id);
    if (known) {
      const c = await known.catch(() => undefined);
      if (c && !c.closed) return c;
      this.byBroker.delete(id);
    }
    let addr = this.brokers.get(id);
    if (!addr) {
      await this.metadata([]);
      addr = this.brokers.get(id);
      if (!addr) throw new BrokerConnectionError(`broker ${id} is not in the cluster's metadata`);
    }
    const p = BrokerConnection.connect(addr.host, addr.port, this.clientId);
    this.byBroker.set(id, p);
    return p;
  }

  /** The coordinator of a group (keyType 0) or transactional id (1), waiting until there is one. */
  async coordinator(key: string, keyType = 0): Promise<BrokerConnection> {
    const until = Date.now() + this.retryTimeoutMs;
    for (;;) {
      const c = await this.any();
      const r = await c.send<FindCoordinatorResponse>(
        FIND_COORDINATOR,
        { key, keyType } satisfies FindCoordinatorRequest,
      );
      if (r.errorCode === ErrorCode.NONE) {
        this.brokers.set(r.nodeId, { host: r.host, port: r.port });
        return this.broker(r.nodeId);
      }
      if (!isRetriable(r.errorCode) || Date.now() > until) {
        throw new KafkaError(r.errorCode, r.errorMessage ?? `FindCoordinator failed for ${key}`);
      }
      await sleep(this.retryBackoffMs);
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const all = [...this.byBroker.values()];
    if (this.anyConn) all.push(this.anyConn);
    this.byBroker.clear();
    this.anyConn = undefined;
    for (const p of all) (await p.catch(() => undefined))?.close();
  }
}

/** A Kafka error code from a broker's answer, with its message. */
export class KafkaError extends Error {
  override name = "KafkaError";
  constructor(readonly code: number, message: string) {
    super(message);
  }
}
