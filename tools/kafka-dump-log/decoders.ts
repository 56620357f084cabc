/**
 * How DumpLogSegments turns a record into text: the default StringDecoder for keys and values,
 * `--offsets-decoder` (GroupMetadataManager.formatRecordKeyAndValue: `offset_commit::…` and
 * `group_metadata::…` with Jackson's JSON of the group), `--transaction-log-decoder`
 * (TransactionLog.formatRecordKeyAndValue) and the text of control records. Exceptions are the
 * ones Kafka 2.8.2 throws out of the tool.
 *
 * @module
 */
import { decodeOffsetsTopicRecord } from "../../kafka/group/records.ts";
import {
  decodeTransactionLogKey,
  decodeTransactionLogValue,
} from "../../kafka/txn/transaction_log.ts";
import { KafkaReader } from "../../kafka/protocol/reader.ts";
import { javaUtf8 } from "./batch_records.ts";
import { JavaException } from "./java_exception.ts";
import { scala212HashMapOrder } from "../../kafka/controller/_scala_map_order.ts";

/** A record's key and value as text; null where Kafka's parser returns None. */
export type MessageParser = (
  key: Uint8Array | null,
  value: Uint8Array | null,
) => [string | null, string | null];

/** kafka.serializer.StringDecoder for both (DumpLogSegments' default). */
export const stringParser: MessageParser = (key, value) => [
  key === null ? null : javaUtf8(key),
  value === null ? null : javaUtf8(value),
];

/** ControlRecordType by id, as Kafka 2.8.2's enum names them. */
const CONTROL_TYPES: Record<number, string> = {
  0: "ABORT",
  1: "COMMIT",
  2: "QUORUM_REASSIGNMENT",
  3: "LEADER_CHANGE",
};

function invalidRecord(message: string): JavaException {
  return new JavaException("org.apache.kafka.common.InvalidRecordException", message);
}

/** What the record line shows for a control record (` endTxnMarker: COMMIT coordinatorEpoch: 0`). */
export function controlRecordText(key: Uint8Array | null, value: Uint8Array | null): string {
  if (key === null) {
    throw new JavaException(
      "java.lang.NullPointerException",
      'Cannot invoke "java.nio.ByteBuffer.remaining()" because "key" is null',
    );
  }
  if (key.length < 4) {
    throw invalidRecord(
      `Invalid value size found for end control record key. Must have at least 4 bytes, but found only ${key.length}`,
    );
  }
  const kv = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const version = kv.getInt16(0);
  if (version < 0) {
    throw invalidRecord(
      `Invalid version found for control record: ${version}. May indicate data corruption`,
    );
  }
  const typeId = kv.getInt16(2);
  const type = CONTROL_TYPES[typeId] ?? "UNKNOWN";
  if (type !== "ABORT" && type !== "COMMIT") return ` controlType: ${type}(${typeId})`;
  if (value === null) {
    throw new JavaException(
      "java.lang.NullPointerException",
      'Cannot invoke "java.nio.ByteBuffer.remaining()" because "value" is null',
    );
  }
  if (value.length < 6) {
    throw invalidRecord(
      `Invalid value size found for end transaction marker. Must have at least 6 bytes, but found only ${value.length}`,
    );
  }
  const vv = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const markerVersion = vv.getInt16(0);
  if (markerVersion < 0) {
    throw invalidRecord(
      `Invalid version found for end transaction marker: ${markerVersion}. May indicate data corruption`,
    );
  }
  return ` endTxnMarker: ${type} coordinatorEpoch: ${vv.getInt32(2)}`;
}

/** Jackson's string escaping (control characters, quote, backslash; the rest as is). */
function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c < 0x20) {
      const short = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" }[c];
      out += short ?? `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    } else out += s[i];
  }
  return out + '"';
}

/** GroupMetadataManager.hex: `%X` of the bytes as a positive BigInt ("" when empty). */
function hex(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  const trimmed = s.replace(/^0+/, "");
  return trimmed === "" ? "0" : trimmed.toUpperCase();
}

/**
 * A consumer protocol assignment as `Assignment.partitions()` prints (`[t-0, t-1]`) and its user
 * data as hex (empty when none).
 */
function consumerAssignment(bytes: Uint8Array): [string, string] {
  const r = new KafkaReader(bytes);
  r.int16(); // version
  const parts: string[] = [];
  const topics = r.int32();
  for (let i = 0; i < topics; i++) {
    const topic = r.string();
    const n = r.int32();
    for (let j = 0; j < n; j++) parts.push(`${topic}-${r.int32()}`);
  }
  let userData = "";
  if (r.remaining >= 4) {
    const ud = r.nullableBytes();
    if (ud !== null) userData = hex(ud);
  }
  return [`[${parts.join(", ")}]`, userData];
}

function javaError(e: unknown): unknown {
  if (e instanceof JavaException) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/Unknown .*version/.test(message)) {
    return new JavaException("java.lang.IllegalStateException", message);
  }
  return new JavaException("org.apache.kafka.common.protocol.types.SchemaException", message);
}

/** `--offsets-decoder`: GroupMetadataManager.formatRecordKeyAndValue. */
export const offsetsParser: MessageParser = (key, value) => {
  if (key === null) {
    throw new JavaException(
      "org.apache.kafka.common.KafkaException",
      "Failed to decode message using offset topic decoder (message had a missing key)",
    );
  }
  if (key.length >= 2) {
    const version = new DataView(key.buffer, key.byteOffset).getInt16(0);
    if (version < 0 || version > 2) {
      throw new JavaException(
        "java.lang.IllegalStateException",
        `Unknown group metadata message version: ${version}`,
      );
    }
  }
  let rec;
  try {
    rec = decodeOffsetsTopicRecord(key, value);
  } catch (e) {
    throw javaError(e);
  }
  if (rec.type === "offset") {
    const k = `offset_commit::group=${rec.group},partition=${rec.topic}-${rec.partition}`;
    const v = rec.value;
    if (v === null) return [k, "<DELETE>"];
    return [
      k,
      v.metadata === "" ? `offset=${v.offset}` : `offset=${v.offset},metadata=${v.metadata}`,
    ];
  }
  const k = `group_metadata::group=${rec.group}`;
  const g = rec.value;
  if (g === null) return [k, "<DELETE>"];
  // GroupMetadata keeps members in a mutable.HashMap[String, _]: its iteration order.
  const byId = new Map(g.members.map((m) => [m.memberId, m]));
  const members = scalaHashMapOrder(g.members.map((m) => m.memberId)).map((id) => {
    const m = byId.get(id)!;
    if (g.protocolType === "consumer") {
      const [partitions, userData] = consumerAssignment(m.assignment);
      return userData === "" ? `${id}=${partitions}` : `${id}=${partitions}:${userData}`;
    }
    return `${id}=${hex(m.assignment)}`;
  });
  const json = `{"protocolType":${jsonString(g.protocolType)},"protocol":${
    g.protocol === null ? "null" : jsonString(g.protocol)
  },"generationId":${g.generation},"assignment":${jsonString(`{${members.join(",")}}`)}}`;
  return [k, json];
};

/** `--transaction-log-decoder`: TransactionLog.formatRecordKeyAndValue. */
export const transactionLogParser: MessageParser = (key, value) => {
  if (key === null) {
    throw new JavaException(
      "java.lang.NullPointerException",
      'Cannot invoke "java.nio.ByteBuffer.getShort()" because "buffer" is null',
    );
  }
  let id: string;
  let v;
  try {
    id = decodeTransactionLogKey(key);
    v = decodeTransactionLogValue(value);
  } catch (e) {
    throw javaError(e);
  }
  const k = `transaction_metadata::transactionalId=${id}`;
  if (v === null) return [k, "<DELETE>"];
  const tps: { topic: string; partition: number }[] = [];
  for (const p of v.partitions) {
    for (const partition of p.partitionIds) tps.push({ topic: p.topic, partition });
  }
  const partitions = scalaHashSetOrder(tps).map((tp) => `${tp.topic}-${tp.partition}`);
  return [
    k,
    `producerId:${v.producerId},producerEpoch:${v.producerEpoch},state=${v.state},` +
    `partitions=[${partitions.join(",")}],txnLastUpdateTimestamp=${v.lastUpdateTimestampMs},` +
    `txnTimeoutMs=${v.transactionTimeoutMs}`,
  ];
};

/** Java's String.hashCode. */
function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** scala.util.hashing.byteswap32. */
function byteswap32(v: number): number {
  const hc = Math.imul(v, 0x9e3775cd);
  const swapped = ((hc & 0xff) << 24) | ((hc & 0xff00) << 8) | ((hc >>> 8) & 0xff00) | (hc >>> 24);
  return Math.imul(swapped, 0x9e3775cd);
}

/**
 * The iteration order of a Scala 2.12 `mutable.HashMap[String, _]` whose keys were put in the
 * given order (GroupMetadata's members): the controller's replay of that table, the same one
 * `/brokers/topics` JSON needs. Checked against Apache 2.8.2 with 20 members (one resize) in the
 * fixture.
 */
export const scalaHashMapOrder: (keys: readonly string[]) => string[] = scala212HashMapOrder;

/**
 * The iteration order of a Scala 2.12 `mutable.HashSet[TopicPartition]` (a FlatHashTable: open
 * addressing from 32 slots, linear probing, grown at 45% full, iterated from slot 0), which is
 * how TransactionMetadata keeps a transaction's partitions.
 */
export function scalaHashSetOrder<T extends { topic: string; partition: number }>(
  elems: readonly T[],
): T[] {
  let table: (T | undefined)[] = new Array(32);
  let size = 0;
  const hashOf = (e: T) => (Math.imul(31, 31 + e.partition) + stringHash(e.topic)) | 0;
  const add = (e: T): void => {
    const ones = table.length - 1;
    const seed = 31 - Math.clz32(ones) + 1;
    const improved = byteswap32(hashOf(e));
    const rotation = seed % 32;
    const rotated = (improved >>> rotation) | (improved << (32 - rotation));
    let h = (rotated >>> (32 - seed)) & ones;
    while (table[h] !== undefined) {
      const o = table[h]!;
      if (o.topic === e.topic && o.partition === e.partition) return;
      h = (h + 1) % table.length;
    }
    table[h] = e;
    size++;
    if (size >= Math.floor(table.length * 450 / 1000)) {
      const old = table;
      table = new Array(old.length * 2);
      size = 0;
      for (const x of old) if (x !== undefined) add(x);
    }
  };
  for (const e of elems) add(e);
  return table.filter((x): x is T => x !== undefined);
}
