/**
 * A producer for herd's tools, shaped as the Java producer behaves where a user can see it:
 * `append` waits for the topic's metadata up to max.block.ms (logging the warnings Apache's
 * NetworkClient logs meanwhile), records gather per partition into batches of batch.size, a
 * batch goes when full, after linger.ms, or on flush/close, and retriable errors are retried
 * `retries` times. Partitions are picked by Kafka 2.8's default partitioner (partitioner.ts).
 *
 * @module
 */
import type { MetadataResponseTopic } from "../protocol/messages/metadata.ts";
import type { ProduceRequest, ProduceResponse } from "../protocol/messages/produce.ts";
import { buildRecordBatch, type RecordInput } from "../protocol/records/batch_builder.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import { BrokerConnectionError } from "./broker_connection.ts";
import { isRetriable, type KafkaClient, KafkaError } from "./client.ts";
import { errorName, javaException } from "./error_names.ts";
import { DefaultPartitioner } from "./partitioner.ts";
import type { RecordHeader } from "../protocol/records/record.ts";

const PRODUCE = 0;

/** The producer settings herd honours (the Java producer's names in comments). */
export interface ProducerOptions {
  /** acks: 0, 1 or -1 (all). */
  acks: number;
  /** compression.type as a codec id (0 none … 4 zstd). */
  compression: number;
  /** linger.ms */
  lingerMs: number;
  /** batch.size (bytes) */
  batchSize: number;
  /** request.timeout.ms (the Produce request's timeout) */
  requestTimeoutMs: number;
  /** retries */
  retries: number;
  /** retry.backoff.ms */
  retryBackoffMs: number;
  /** max.block.ms: how long `append` waits for metadata. */
  maxBlockMs: number;
  /** Where WARN lines go, as `(level, logger class, message)`. */
  log?: (level: "WARN" | "ERROR", logger: string, message: string) => void;
}

/** A record to send. */
export interface ProducerRecord {
  topic: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: RecordHeader[];
  /** Default: now. */
  timestamp?: number;
  /** Default: the partitioner's choice. */
  partition?: number;
}

/** Where a record landed. */
export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 with acks=0. */
  offset: number;
  timestamp: number;
}

/** A Java client exception, by class name, as the tools print it. */
export class ClientException extends Error {
  constructor(readonly className: string, message: string) {
    super(message);
    this.name = className;
  }
}

interface Pending {
  readonly record: RecordInput;
  readonly resolve: (m: RecordMetadata) => void;
  readonly reject: (e: Error) => void;
}

interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly pending: Pending[];
  size: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Estimated bytes of a record inside a batch (varint fields at their widest). */
function recordSize(r: RecordInput): number {
  let n = 21 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const h of r.headers ?? []) n += 10 + h.key.length + (h.value?.length ?? 0);
  return n;
}

const BATCH_OVERHEAD = 61;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The producer.
 *
 * @example
 * ```ts ignore
 * const p = new Producer(new KafkaClient("127.0.0.1:9092", "console-producer"), options);
 * const { ack } = await p.append({ topic: "t", key: null, value: bytes });
 * await p.close();
 * console.log((await ack).offset);
 * ```
 */
export class Producer {
  private readonly partitioner = new DefaultPartitioner();
  private readonly topics = new Map<string, MetadataResponseTopic>();
  private readonly batches = new Map<string, Batch>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(readonly client: KafkaClient, readonly options: ProducerOptions) {}

  /**
   * Waits for the topic's metadata (up to max.block.ms: a TimeoutException after that), then adds
   * the record to its partition's batch. `ack` settles when the broker answers for it.
   */
  async append(r: ProducerRecord): Promise<{ ack: Promise<RecordMetadata> }> {
    const topic = await this.waitOnMetadata(r.topic);
    const n = topic.partitions.length;
    const available = topic.partitions.filter((p) => p.leaderId >= 0).map((p) => p.partitionIndex)
      .sort((a, b) => a - b);
    const record: RecordInput = {
      timestamp: r.timestamp ?? Date.now(),
      key: r.key,
      value: r.value,
      headers: r.headers,
    };
    let partition = r.partition ?? this.partitioner.partition(r.topic, r.key, available, n);
    if (partition < 0 || partition >= n) {
      throw new KafkaError(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        `Invalid partition given with record: ${partition} is not in the range [0...${n}).`,
      );
    }
    const size = recordSize(record);
    let batch = this.batches.get(`${r.topic}\u0000${partition}`);
    if (batch && batch.size + size > this.options.batchSize) {
      this.ready(batch);
      batch = undefined;
      if (r.key === null && r.partition === undefined) {
        // A new batch: the sticky partitioner moves keyless records on (KIP-480).
        this.partitioner.onNewBatch(r.topic, partition, available, n);
        partition = this.partitioner.partition(r.topic, null, available, n);
        batch = this.batches.get(`${r.topic}\u0000${partition}`);
      }
    }
    if (!batch) {
      batch = { topic: r.topic, partition, pending: [], size: BATCH_OVERHEAD, timer: undefined };
      this.batches.set(`${r.topic}\u0000${partition}`, batch);
      const b = batch;
      b.timer = setTimeout(() => this.ready(b), this.options.lingerMs);
    }
    const ack = new Promise<RecordMetadata>((resolve, reject) => {
      batch!.pending.push({ record, resolve, reject });
    });
    // Callers that only log failures must not leave a rejection unhandled meanwhile.
    ack.catch(() => {});
    batch.size += size;
    if (batch.size >= this.options.batchSize) this.ready(batch);
    return { ack };
  }

  /** Sends every batch now and waits for the answers. */
  async flush(): Promise<void> {
    for (const b of [...this.batches.values()]) this.ready(b);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Flushes, then closes the connections. */
  async close(): Promise<void> {
    await this.flush();
    await this.client.close();
  }

  private ready(b: Batch): void {
    if (this.batches.get(`${b.topic}\u0000${b.partition}`) !== b) return;
    this.batches.delete(`${b.topic}\u0000${b.partition}`);
    clearTimeout(b.timer);
    const sending = this.sendBatch(b, 0).catch((e) => {
      for (const p of b.pending) p.reject(e instanceof Error ? e : new Error(String(e)));
    });
    this.inFlight.add(sending);
    sending.finally(() => this.inFlight.delete(sending));
  }

  private async sendBatch(b: Batch, attempt: number): Promise<void> {
    const o = this.options;
    const records = buildRecordBatch({
      compression: o.compression as 0,
      records: b.pending.map((p) => p.record),
    });
    const request: ProduceRequest = {
      transactionalId: null,
      acks: o.acks,
      timeoutMs: o.requestTimeoutMs,
      topicData: [{ name: b.topic, partitionData: [{ index: b.partition, records }] }],
    };
    let code: number;
    let answer: ProduceResponse | undefined;
    try {
      const leader = this.topics.get(b.topic)?.partitions.find((p) =>
        p.partitionIndex === b.partition
      )?.leaderId ?? -1;
      if (leader < 0) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, "no leader");
      const conn = await this.client.broker(leader);
      if (o.acks === 0) {
        await conn.sendNoAnswer(PRODUCE, request);
        for (const p of b.pending) {
          p.resolve({
            topic: b.topic,
            partition: b.partition,
            offset: -1,
            timestamp: p.record.timestamp,
          });
        }
        return;
      }
      answer = await conn.send<ProduceResponse>(PRODUCE, request);
      code = answer.responses[0]?.partitionResponses[0]?.errorCode ??
        ErrorCode.UNKNOWN_SERVER_ERROR;
    } catch (e) {
      if (e instanceof KafkaError) code = e.code;
      else if (e instanceof BrokerConnectionError) code = ErrorCode.NOT_LEADER_OR_FOLLOWER;
      else throw e;
    }
    if (code !== ErrorCode.NONE) {
      const retriable = isRetriable(code) || code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      if (retriable && attempt < o.retries) {
        o.log?.(
          "WARN",
          "org.apache.kafka.clients.producer.internals.Sender",
          `[Producer clientId=${this.client.clientId}] Got error produce response with ` +
            `correlation id ${attempt} on topic-partition ${b.topic}-${b.partition}, retrying ` +
            `(${o.retries - attempt - 1} attempts left). Error: ${errorName(code)}`,
        );
        await sleep(o.retryBackoffMs);
        await this.refresh(b.topic);
        return this.sendBatch(b, attempt + 1);
      }
      const ex = javaException(code);
      const message = answer?.responses[0]?.partitionResponses[0]?.errorMessage ?? ex.message;
      throw new ClientException(ex.className, message);
    }
    const pr = answer!.responses[0].partitionResponses[0];
    const appendTime = pr.logAppendTimeMs ?? -1;
    b.pending.forEach((p, i) =>
      p.resolve({
        topic: b.topic,
        partition: b.partition,
        offset: pr.baseOffset + i,
        timestamp: appendTime >= 0 ? appendTime : p.record.timestamp,
      })
    );
  }

  private async refresh(topic: string): Promise<void> {
    try {
      const md = await this.client.metadata([topic], true);
      const t = md.topics.find((x) => x.name === topic);
      if (t && t.errorCode === ErrorCode.NONE) this.topics.set(topic, t);
    } catch { /* the next attempt fails the same way and is reported */ }
  }

  /** The topic's metadata once every partition has a leader, as KafkaProducer.waitOnMetadata. */
  private async waitOnMetadata(topic: string): Promise<MetadataResponseTopic> {
    const known = this.topics.get(topic);
    if (known) return known;
    const o = this.options;
    const started = Date.now();
    let reconnectBackoff = 50;
    for (;;) {
      let wait = o.retryBackoffMs;
      try {
        const md = await this.client.metadata([topic], true);
        const t = md.topics.find((x) => x.name === topic);
        if (t && t.errorCode === ErrorCode.NONE && t.partitions.length > 0) {
          this.topics.set(topic, t);
          return t;
        }
        const code = t?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        const conn = await this.client.any();
        o.log?.(
          "WARN",
          "org.apache.kafka.clients.NetworkClient",
          `[Producer clientId=${this.client.clientId}] Error while fetching metadata with ` +
            `correlation id ${conn.lastCorrelationId} : {${topic}=${errorName(code)}}`,
        );
      } catch (e) {
        if (!(e instanceof BrokerConnectionError)) throw e;
        // reconnect.backoff.ms doubling up to reconnect.backoff.max.ms, as NetworkClient waits.
        wait = reconnectBackoff;
        reconnectBackoff = Math.min(reconnectBackoff * 2, 1000);
      }
      const left = o.maxBlockMs - (Date.now() - started);
      if (left <= 0) {
        throw new ClientException(
          "org.apache.kafka.common.errors.TimeoutException",
          `Topic ${topic} not present in metadata after ${o.maxBlockMs} ms.`,
        );
      }
      await sleep(Math.min(wait, left));
    }
  }
}
