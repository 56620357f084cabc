/**
 * The per-topic configs of Kafka 2.8 (LogConfig): their names, types and the checks Kafka's
 * ConfigDef runs on a value, with its error messages word for word (what kafka-topics and
 * CreateTopics print for a bad `--config`).
 *
 * @module
 */

type Kind = "LONG" | "INT" | "DOUBLE" | "BOOLEAN" | "STRING" | "LIST";

interface TopicConfigDef {
  kind: Kind;
  /** Inclusive bounds, as ConfigDef.Range. */
  atLeast?: number;
  atMost?: number;
  /** ValidString / ValidList choices. */
  oneOf?: readonly string[];
}

const long = (atLeast?: number): TopicConfigDef => ({ kind: "LONG", atLeast });
const int = (atLeast?: number): TopicConfigDef => ({ kind: "INT", atLeast });
const bool: TopicConfigDef = { kind: "BOOLEAN" };

/** Every topic config name Kafka 2.8 knows, with its type and range. */
export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigDef> = new Map<string, TopicConfigDef>([
  ["cleanup.policy", { kind: "LIST", oneOf: ["compact", "delete"] }],
  ["compression.type", {
    kind: "STRING",
    oneOf: ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"],
  }],
  ["delete.retention.ms", long(0)],
  ["file.delete.delay.ms", long(0)],
  ["flush.messages", long(0)],
  ["flush.ms", long(0)],
  ["follower.replication.throttled.replicas", { kind: "LIST" }],
  ["index.interval.bytes", int(0)],
  ["leader.replication.throttled.replicas", { kind: "LIST" }],
  ["max.compaction.lag.ms", long(1)],
  ["max.message.bytes", int(0)],
  ["message.downconversion.enable", bool],
  ["message.format.version", { kind: "STRING" }],
  ["message.timestamp.difference.max.ms", long(0)],
  ["message.timestamp.type", { kind: "STRING", oneOf: ["CreateTime", "LogAppendTime"] }],
  ["min.cleanable.dirty.ratio", { kind: "DOUBLE", atLeast: 0, atMost: 1 }],
  ["min.compaction.lag.ms", long(0)],
  ["min.insync.replicas", int(1)],
  ["preallocate", bool],
  ["retention.bytes", long()],
  ["retention.ms", long(-1)],
  ["segment.bytes", int(14)],
  ["segment.index.bytes", int(4)],
  ["segment.jitter.ms", long(0)],
  ["segment.ms", long(1)],
  ["unclean.leader.election.enable", bool],
]);

/** A topic config Kafka would refuse; `kind` names the exception Kafka throws. */
export class TopicConfigError extends Error {
  override name = "TopicConfigError";
  constructor(
    message: string,
    readonly kind: "InvalidConfigurationException" | "ConfigException",
  ) {
    super(message);
  }
}

function invalid(name: string, value: string, why: string): TopicConfigError {
  return new TopicConfigError(
    `Invalid value ${value} for configuration ${name}: ${why}`,
    "ConfigException",
  );
}

const JAVA_INT = /^[+-]?\d+$/;

/**
 * Checks one `name=value` as Kafka 2.8 does (LogConfig.validate through ConfigDef.parse).
 *
 * @example
 * ```ts
 * validateTopicConfig("retention.ms", "1000"); // ok
 * validateTopicConfig("retention.ms", "abc"); // throws: Invalid value abc for configuration retention.ms: Not a number of type LONG
 * ```
 */
export function validateTopicConfig(name: string, value: string): void {
  const def = TOPIC_CONFIGS.get(name);
  if (def === undefined) {
    throw new TopicConfigError(
      `Unknown topic config name: ${name}`,
      "InvalidConfigurationException",
    );
  }
  const v = value.trim();
  let n: number | undefined;
  switch (def.kind) {
    case "LONG":
    case "INT": {
      const bits = def.kind === "LONG" ? 63n : 31n;
      if (!JAVA_INT.test(v) || BigInt(v) >= 2n ** bits || BigInt(v) < -(2n ** bits)) {
        throw invalid(name, value, `Not a number of type ${def.kind}`);
      }
      n = Number(v);
      break;
    }
    case "DOUBLE":
      n = Number(v);
      if (v === "" || Number.isNaN(n)) throw invalid(name, value, "Not a number of type DOUBLE");
      break;
    case "BOOLEAN":
      if (!/^(true|false)$/i.test(v)) {
        throw invalid(name, value, "Expected value to be either true or false");
      }
      return;
    case "STRING":
      if (def.oneOf && !def.oneOf.includes(v)) {
        throw invalid(name, value, `String must be one of: ${def.oneOf.join(", ")}`);
      }
      return;
    case "LIST":
      if (def.oneOf) {
        for (const item of v.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
          if (!def.oneOf.includes(item)) {
            throw invalid(name, item, `String must be one of: ${def.oneOf.join(", ")}`);
          }
        }
      }
      return;
  }
  // The bounds print as Kafka declares them (Range.between(0, 1): "no more than 1").
  if (def.atLeast !== undefined && n < def.atLeast) {
    throw invalid(name, value, `Value must be at least ${def.atLeast}`);
  }
  if (def.atMost !== undefined && n > def.atMost) {
    throw invalid(name, value, `Value must be no more than ${def.atMost}`);
  }
}
