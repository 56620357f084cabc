/**
 * The records of `__consumer_offsets`, as Apache Kafka 2.8.2 writes and reads them
 * (GroupMetadataManager; layouts in ./spec/): a committed offset is keyed by
 * (group, topic, partition) with key version 1, a group's metadata by its id with key version 2.
 * Values start with their own version: 2.8.2 (inter.broker.protocol.version 2.8) writes offset
 * values v3, or v1 when the commit asked for a retention time (only v1 has an expire timestamp),
 * and group values v3; it reads versions 0–3. A null value is a tombstone: the offset or group
 * was deleted (or expired), and compaction drops the key.
 *
 * @module
 */
import { KafkaProtocolError } from "../protocol/errors.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";

/** A committed offset as stored. */
export interface OffsetAndMetadata {
  offset: number;
  /** The leader epoch the consumer saw (v3), -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Only from a commit with a retention time (OffsetCommit v2–v4); written as value v1. */
  expireTimestamp: number | null;
}

/** One member as a group record keeps it. */
export interface MemberRecord {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the group's selected protocol. */
  subscription: Uint8Array;
  assignment: Uint8Array;
}

/** A group's metadata as stored (GroupMetadataValue). */
export interface GroupRecord {
  protocolType: string;
  generation: number;
  /** The selected protocol, null for an Empty group. */
  protocol: string | null;
  leader: string | null;
  /** When the group last changed state (v2+), -1 when unknown. */
  currentStateTimestamp: number;
  members: MemberRecord[];
}

/** What one record of `__consumer_offsets` says. `value` null is a tombstone. */
export type OffsetsTopicRecord =
  | {
    type: "offset";
    group: string;
    topic: string;
    partition: number;
    value: OffsetAndMetadata | null;
  }
  | { type: "group"; group: string; value: GroupRecord | null };

/** The key version 2.8.2 writes for offsets (v0 is read too). */
export const OFFSET_KEY_VERSION = 1;
/** The key version of group metadata. */
export const GROUP_KEY_VERSION = 2;

function writer(): KafkaWriter {
  return new KafkaWriter(256);
}

function done(w: KafkaWriter): Uint8Array {
  return w.written().slice();
}

/**
 * The key of a committed offset (version 1).
 *
 * @example
 * ```ts
 * offsetCommitKey("g", "t", 0).length; // 2 + 3 + 3 + 4
 * ```
 */
export function offsetCommitKey(group: string, topic: string, partition: number): Uint8Array {
  const w = writer();
  w.int16(OFFSET_KEY_VERSION);
  w.string(group);
  w.string(topic);
  w.int32(partition);
  return done(w);
}

/** The key of a group's metadata (version 2). */
export function groupMetadataKey(group: string): Uint8Array {
  const w = writer();
  w.int16(GROUP_KEY_VERSION);
  w.string(group);
  return done(w);
}

/**
 * The value of a committed offset: v3 (with the leader epoch), or v1 when it carries an expire
 * timestamp, which is the version 2.8.2 picks.
 */
export function offsetCommitValue(o: OffsetAndMetadata): Uint8Array {
  const w = writer();
  if (o.expireTimestamp !== null) {
    w.int16(1);
    w.int64(o.offset);
    w.string(o.metadata);
    w.int64(o.commitTimestamp);
    w.int64(o.expireTimestamp);
  } else {
    w.int16(3);
    w.int64(o.offset);
    w.int32(o.leaderEpoch);
    w.string(o.metadata);
    w.int64(o.commitTimestamp);
  }
  return done(w);
}

/** The value of a group's metadata, version 3. */
export function groupMetadataValue(g: GroupRecord): Uint8Array {
  const w = writer();
  w.int16(3);
  w.string(g.protocolType);
  w.int32(g.generation);
  w.nullableString(g.protocol);
  w.nullableString(g.leader);
  w.int64(g.currentStateTimestamp);
  w.int32(g.members.length);
  for (const m of g.members) {
    w.string(m.memberId);
    w.nullableString(m.groupInstanceId);
    w.string(m.clientId);
    w.string(m.clientHost);
    w.int32(m.rebalanceTimeoutMs);
    w.int32(m.sessionTimeoutMs);
    w.bytes(m.subscription);
    w.bytes(m.assignment);
  }
  return done(w);
}

function readOffsetValue(r: KafkaReader): OffsetAndMetadata {
  const version = r.int16();
  if (version < 0 || version > 3) {
    throw new KafkaProtocolError(`Unknown offset message version ${version}`);
  }
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = r.string();
  const commitTimestamp = r.int64();
  const expireTimestamp = version === 1 ? r.int64() : null;
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}

function readGroupValue(r: KafkaReader): GroupRecord {
  const version = r.int16();
  if (version < 0 || version > 3) {
    throw new KafkaProtocolError(`Unknown group metadata message version ${version}`);
  }
  const protocolType = r.string();
  const generation = r.int32();
  const protocol = r.nullableString();
  const leader = r.nullableString();
  const currentStateTimestamp = version >= 2 ? r.int64() : -1;
  const n = r.int32();
  if (n < 0) throw new KafkaProtocolError("group metadata members is null");
  const members: MemberRecord[] = [];
  for (let i = 0; i < n; i++) {
    const memberId = r.string();
    const groupInstanceId = version >= 3 ? r.nullableString() : null;
    const clientId = r.string();
    const clientHost = r.string();
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1;
    const sessionTimeoutMs = r.int32();
    const subscription = r.bytes().slice();
    const assignment = r.bytes().slice();
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      // v0 had one timeout for both (GroupMetadataManager reads it so).
      rebalanceTimeoutMs: version >= 1 ? rebalanceTimeoutMs : sessionTimeoutMs,
      sessionTimeoutMs,
      subscription,
      assignment,
    });
  }
  return { protocolType, generation, protocol, leader, currentStateTimestamp, members };
}

/**
 * Reads one record of `__consumer_offsets`. Throws KafkaProtocolError for a key or value version
 * 2.8.2 does not know (Apache fails loading the partition then, too).
 *
 * @example
 * ```ts
 * const rec = decodeOffsetsTopicRecord(groupMetadataKey("g"), null);
 * rec.type; // "group" (a tombstone: rec.value === null)
 * ```
 */
export function decodeOffsetsTopicRecord(
  key: Uint8Array,
  value: Uint8Array | null,
): OffsetsTopicRecord {
  const r = new KafkaReader(key);
  const version = r.int16();
  if (version === 0 || version === 1) {
    const group = r.string();
    const topic = r.string();
    const partition = r.int32();
    const v = value === null ? null : readOffsetValue(new KafkaReader(value));
    return { type: "offset", group, topic, partition, value: v };
  }
  if (version === 2) {
    const group = r.string();
    const v = value === null ? null : readGroupValue(new KafkaReader(value));
    return { type: "group", group, value: v };
  }
  throw new KafkaProtocolError(`Found unknown message key version ${version}`);
}

/** A key and value (null: tombstone) to append to `__consumer_offsets`. */
export interface OffsetsTopicEntry {
  key: Uint8Array;
  value: Uint8Array | null;
}

/**
 * One uncompressed v2 batch of `entries`, all stamped `timestamp` (CreateTime), as
 * GroupMetadataManager builds it: an offset commit's batch has base sequence 0 (storeOffsets
 * passes 0 for non-transactional commits too), group metadata and tombstones -1.
 *
 * @example
 * ```ts
 * const batch = buildOffsetsTopicBatch([{ key: groupMetadataKey("g"), value: null }], 0, false);
 * batch[16]; // 2 (magic)
 * ```
 */
export function buildOffsetsTopicBatch(
  entries: readonly OffsetsTopicEntry[],
  timestamp: number,
  offsetCommit: boolean,
  producer?: { producerId: number; producerEpoch: number },
): Uint8Array {
  return buildRecordBatch({
    records: entries.map((e) => ({ timestamp, key: e.key, value: e.value })),
    baseSequence: offsetCommit ? 0 : -1,
    // A TxnOffsetCommit: transactional, committed or dropped by its transaction's marker.
    ...(producer ? { ...producer, isTransactional: true } : {}),
  });
}
