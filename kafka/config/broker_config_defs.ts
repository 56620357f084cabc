/**
 * The broker keys herd reads from server.properties, with the type, default and range of each as
 * Apache Kafka 2.8.2's KafkaConfig declares them. Recorded on this machine by printing
 * `KafkaConfig.configDef().configKeys()` from ~/.cache/herd/kafka-2.8.2/libs (type, default,
 * validator); see server_properties_test.ts for the values checked against that dump.
 *
 * socket.send.buffer.bytes, socket.receive.buffer.bytes, num.network.threads and num.io.threads
 * are accepted and checked as Kafka checks them, but herd's single-threaded event loop does not use
 * them (its sockets keep the OS buffer sizes).
 *
 * @module
 */

/** ConfigDef.Type of a broker key. */
export type BrokerKind = "INT" | "LONG" | "SHORT" | "DOUBLE" | "BOOLEAN" | "STRING" | "LIST";

/** One key: its type, its default as Kafka prints it (null: none), and its validator. */
export interface BrokerConfigDef {
  kind: BrokerKind;
  /** The default as a string, exactly as DescribeConfigs shows it; null when Kafka has none. */
  default: string | null;
  /** ConfigDef.Range.atLeast. */
  atLeast?: number;
  /** ValidString / ValidList choices. */
  oneOf?: readonly string[];
  /** Whether herd's own threading/sockets ignore the value (accepted for compatibility). */
  ignored?: boolean;
}

const LONG_MAX = "9223372036854775807";

/** The `ApiVersion` names Kafka 2.8.2 accepts for inter.broker.protocol.version and log.message.format.version. */
export const API_VERSIONS: readonly string[] = [
  "0.8.0",
  "0.8.1",
  "0.8.2",
  "0.9.0",
  "0.10.0-IV0",
  "0.10.0-IV1",
  "0.10.1-IV0",
  "0.10.1-IV1",
  "0.10.1-IV2",
  "0.10.2-IV0",
  "0.11.0-IV0",
  "0.11.0-IV1",
  "0.11.0-IV2",
  "1.0-IV0",
  "1.1-IV0",
  "2.0-IV0",
  "2.0-IV1",
  "2.1-IV0",
  "2.1-IV1",
  "2.1-IV2",
  "2.2-IV0",
  "2.2-IV1",
  "2.3-IV0",
  "2.3-IV1",
  "2.4-IV0",
  "2.4-IV1",
  "2.5-IV0",
  "2.6-IV0",
  "2.7-IV0",
  "2.7-IV1",
  "2.7-IV2",
  "2.8-IV0",
  "2.8-IV1",
];

/**
 * Resolves a version string as Kafka's ApiVersion.apply: the first 3 dot-separated parts for
 * "0.x" versions, 2 otherwise, matched against the full names and their short forms ("2.8" is
 * 2.8-IV1, "2.8.2" too). Undefined when Kafka would refuse it.
 */
export function resolveApiVersion(text: string): string | undefined {
  const parts = text.split(".");
  const key = parts.slice(0, text.startsWith("0.") ? 3 : 2).join(".");
  let found: string | undefined;
  for (const v of API_VERSIONS) {
    if (v === key || v.replace(/-IV\d+$/, "") === key) found = v;
  }
  return found;
}

/** The record (message format) version an ApiVersion implies: 0, 1 from 0.10.0, 2 from 0.11.0. */
export function recordVersionOf(apiVersion: string): 0 | 1 | 2 {
  const i = API_VERSIONS.indexOf(apiVersion);
  if (i < API_VERSIONS.indexOf("0.10.0-IV0")) return 0;
  if (i < API_VERSIONS.indexOf("0.11.0-IV0")) return 1;
  return 2;
}

/** The compression.type values KafkaConfig's `require` accepts. */
export const BROKER_COMPRESSION = ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"];

const d = (
  kind: BrokerKind,
  def: string | null,
  atLeast?: number,
  extra: Partial<BrokerConfigDef> = {},
): BrokerConfigDef => ({ kind, default: def, atLeast, ...extra });

/** Every broker key herd knows, as Kafka 2.8.2 declares it. */
export const BROKER_CONFIGS: ReadonlyMap<string, BrokerConfigDef> = new Map([
  ["broker.id", d("INT", "-1")],
  ["broker.rack", d("STRING", null)],
  ["listeners", d("STRING", null)],
  ["advertised.listeners", d("STRING", null)],
  [
    "listener.security.protocol.map",
    d("STRING", "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL"),
  ],
  ["log.dirs", d("STRING", null)],
  ["log.dir", d("STRING", "/tmp/kafka-logs")],
  ["num.partitions", d("INT", "1", 1)],
  ["default.replication.factor", d("INT", "1")],
  ["auto.create.topics.enable", d("BOOLEAN", "true")],
  ["delete.topic.enable", d("BOOLEAN", "true")],
  ["log.retention.hours", d("INT", "168")],
  ["log.retention.minutes", d("INT", null)],
  ["log.retention.ms", d("LONG", null)],
  ["log.retention.bytes", d("LONG", "-1")],
  ["log.segment.bytes", d("INT", "1073741824", 14)],
  ["log.roll.hours", d("INT", "168", 1)],
  ["log.roll.ms", d("LONG", null)],
  ["log.roll.jitter.hours", d("INT", "0", 0)],
  ["log.roll.jitter.ms", d("LONG", null)],
  ["log.retention.check.interval.ms", d("LONG", "300000", 1)],
  ["log.index.interval.bytes", d("INT", "4096", 0)],
  ["log.index.size.max.bytes", d("INT", "10485760", 4)],
  ["log.flush.interval.messages", d("LONG", LONG_MAX, 1)],
  ["log.flush.interval.ms", d("LONG", null)],
  ["log.flush.scheduler.interval.ms", d("LONG", LONG_MAX)],
  ["log.cleanup.policy", d("LIST", "delete", undefined, { oneOf: ["compact", "delete"] })],
  ["log.cleaner.delete.retention.ms", d("LONG", "86400000")],
  ["log.cleaner.min.compaction.lag.ms", d("LONG", "0")],
  ["log.cleaner.max.compaction.lag.ms", d("LONG", LONG_MAX)],
  ["log.cleaner.min.cleanable.ratio", d("DOUBLE", "0.5")],
  ["log.segment.delete.delay.ms", d("LONG", "60000", 0)],
  ["log.preallocate", d("BOOLEAN", "false")],
  ["log.message.timestamp.difference.max.ms", d("LONG", LONG_MAX)],
  ["log.message.downconversion.enable", d("BOOLEAN", "true")],
  ["message.max.bytes", d("INT", "1048588", 0)],
  [
    "log.message.timestamp.type",
    d("STRING", "CreateTime", undefined, { oneOf: ["CreateTime", "LogAppendTime"] }),
  ],
  // No ConfigDef validator: KafkaConfig checks it afterwards with its own message.
  ["compression.type", d("STRING", "producer")],
  ["min.insync.replicas", d("INT", "1", 1)],
  ["offsets.topic.num.partitions", d("INT", "50", 1)],
  ["offsets.topic.replication.factor", d("SHORT", "3", 1)],
  ["offsets.topic.segment.bytes", d("INT", "104857600", 1)],
  ["offsets.retention.minutes", d("INT", "10080", 1)],
  ["transaction.state.log.num.partitions", d("INT", "50", 1)],
  ["transaction.state.log.replication.factor", d("SHORT", "3", 1)],
  ["transaction.state.log.min.isr", d("INT", "2", 1)],
  ["transaction.state.log.segment.bytes", d("INT", "104857600", 1)],
  ["group.initial.rebalance.delay.ms", d("INT", "3000")],
  ["group.min.session.timeout.ms", d("INT", "6000")],
  ["group.max.session.timeout.ms", d("INT", "1800000")],
  ["zookeeper.connect", d("STRING", null)],
  ["zookeeper.connection.timeout.ms", d("INT", null)],
  ["zookeeper.session.timeout.ms", d("INT", "18000")],
  ["num.network.threads", d("INT", "3", 1, { ignored: true })],
  ["num.io.threads", d("INT", "8", 1, { ignored: true })],
  ["socket.send.buffer.bytes", d("INT", "102400", undefined, { ignored: true })],
  ["socket.receive.buffer.bytes", d("INT", "102400", undefined, { ignored: true })],
  ["socket.request.max.bytes", d("INT", "104857600", 1)],
  ["num.recovery.threads.per.data.dir", d("INT", "1", 1, { ignored: true })],
  ["unclean.leader.election.enable", d("BOOLEAN", "false")],
  ["inter.broker.protocol.version", d("STRING", "2.8-IV1")],
  ["log.message.format.version", d("STRING", "2.8-IV1")],
  ["port", d("INT", "9092")],
  ["host.name", d("STRING", "")],
  ["broker.id.generation.enable", d("BOOLEAN", "true")],
  ["reserved.broker.max.id", d("INT", "1000", 0)],
] as [string, BrokerConfigDef][]);

/**
 * The topic configs whose default comes from a broker key (LogConfig's synonyms in Kafka 2.8),
 * topic name → broker key. retention.ms, segment.ms and segment.jitter.ms are resolved from the
 * ms/minutes/hours family; flush.ms falls back to log.flush.scheduler.interval.ms.
 */
export const TOPIC_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ["cleanup.policy", "log.cleanup.policy"],
  ["compression.type", "compression.type"],
  ["delete.retention.ms", "log.cleaner.delete.retention.ms"],
  ["file.delete.delay.ms", "log.segment.delete.delay.ms"],
  ["flush.messages", "log.flush.interval.messages"],
  ["flush.ms", "log.flush.interval.ms"],
  ["index.interval.bytes", "log.index.interval.bytes"],
  ["max.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms"],
  ["max.message.bytes", "message.max.bytes"],
  ["message.downconversion.enable", "log.message.downconversion.enable"],
  ["message.format.version", "log.message.format.version"],
  ["message.timestamp.difference.max.ms", "log.message.timestamp.difference.max.ms"],
  ["message.timestamp.type", "log.message.timestamp.type"],
  ["min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio"],
  ["min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms"],
  ["min.insync.replicas", "min.insync.replicas"],
  ["preallocate", "log.preallocate"],
  ["retention.bytes", "log.retention.bytes"],
  ["retention.ms", "log.retention.ms"],
  ["segment.bytes", "log.segment.bytes"],
  ["segment.index.bytes", "log.index.size.max.bytes"],
  ["segment.jitter.ms", "log.roll.jitter.ms"],
  ["segment.ms", "log.roll.ms"],
  ["unclean.leader.election.enable", "unclean.leader.election.enable"],
]);
