/**
 * The consumer protocol's member metadata and assignment bytes (Kafka's ConsumerProtocol), which
 * travel opaque inside JoinGroup and SyncGroup and come back in DescribeGroups: the subscription a
 * member joins with and the partitions the leader hands it. Written at version 1 (with owned
 * partitions), as the Java 2.8 consumer writes them; any version 0–3 is read, later fields
 * ignored, as Kafka reads newer versions with the current layout.
 *
 * @module
 */
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";

/** The protocol type a Java consumer joins with. */
export const CONSUMER_PROTOCOL_TYPE = "consumer";
/** The version Kafka 2.8's consumer writes. */
export const CONSUMER_PROTOCOL_VERSION = 1;

/** Partitions of one topic. */
export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** What a member subscribes to (JoinGroup's protocol metadata). */
export interface Subscription {
  version?: number;
  topics: string[];
  userData: Uint8Array | null;
  ownedPartitions: TopicPartitions[];
}

/** What a member was given (SyncGroup's assignment). */
export interface Assignment {
  version?: number;
  partitions: TopicPartitions[];
  userData: Uint8Array | null;
}

function writeTopicPartitions(w: KafkaWriter, list: readonly TopicPartitions[]): void {
  w.int32(list.length);
  for (const tp of list) {
    w.string(tp.topic);
    w.int32(tp.partitions.length);
    for (const p of tp.partitions) w.int32(p);
  }
}

function readTopicPartitions(r: KafkaReader): TopicPartitions[] {
  const n = r.int32();
  const out: TopicPartitions[] = [];
  for (let i = 0; i < n; i++) {
    const topic = r.string();
    const count = r.int32();
    const partitions: number[] = [];
    for (let j = 0; j < count; j++) partitions.push(r.int32());
    out.push({ topic, partitions });
  }
  return out;
}

/**
 * Encodes a subscription as the Java consumer does.
 *
 * @example
 * ```ts
 * import { encodeSubscription } from "./consumer_protocol.ts";
 * encodeSubscription({ topics: ["t1"], userData: null, ownedPartitions: [] }).length; // 18
 * ```
 */
export function encodeSubscription(s: Subscription): Uint8Array {
  const w = new KafkaWriter(64);
  w.int16(CONSUMER_PROTOCOL_VERSION);
  w.int32(s.topics.length);
  for (const t of s.topics) w.string(t);
  w.nullableBytes(s.userData);
  writeTopicPartitions(w, s.ownedPartitions);
  return w.written().slice();
}

/** Decodes a subscription of any version; throws on bytes too short for their version. */
export function decodeSubscription(bytes: Uint8Array): Subscription {
  const r = new KafkaReader(bytes);
  const version = r.int16();
  if (version < 0) throw new Error(`Unsupported subscription version: ${version}`);
  const n = r.int32();
  const topics: string[] = [];
  for (let i = 0; i < n; i++) topics.push(r.string());
  const userData = r.nullableBytes();
  const ownedPartitions = version >= 1 ? readTopicPartitions(r) : [];
  return { version, topics, userData, ownedPartitions };
}

/** Encodes an assignment as the Java consumer's leader does. */
export function encodeAssignment(a: Assignment): Uint8Array {
  const w = new KafkaWriter(64);
  w.int16(CONSUMER_PROTOCOL_VERSION);
  writeTopicPartitions(w, a.partitions);
  w.nullableBytes(a.userData);
  return w.written().slice();
}

/** Decodes an assignment; an empty byte string (a member left out) is no partitions. */
export function decodeAssignment(bytes: Uint8Array): Assignment {
  if (bytes.length === 0) return { partitions: [], userData: null };
  const r = new KafkaReader(bytes);
  const version = r.int16();
  if (version < 0) throw new Error(`Unsupported assignment version: ${version}`);
  const partitions = readTopicPartitions(r);
  const userData = r.nullableBytes();
  return { version, partitions, userData };
}
