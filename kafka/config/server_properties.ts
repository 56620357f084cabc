/**
 * server.properties as Apache Kafka 2.8.2's broker reads it: java.util.Properties lines (the last
 * of a duplicated key wins), `--override k=v` applied after the file, each value parsed and
 * checked as KafkaConfig's ConfigDef does, with Kafka's own message prefixed by the file and line
 * (herd's ConfigError). Unknown keys are not errors: Kafka logs `The configuration 'x' was supplied
 * but isn't a known config.` at WARN and carries on, so they come back as warnings.
 *
 * @module
 */
import { ConfigError, type ConfigLocation } from "../../internal/config_error.ts";
import { lexProperties } from "../../internal/properties.ts";
import {
  BROKER_COMPRESSION,
  BROKER_CONFIGS,
  type BrokerConfigDef,
  recordVersionOf,
  resolveApiVersion,
} from "./broker_config_defs.ts";

/** A parsed value: numbers for INT/SHORT/LONG/DOUBLE (LONG beyond 2^53 is approximate; `raw` keeps the exact text), lists as string arrays. */
export type BrokerValue = string | number | boolean | string[] | null;

/** One listener endpoint, `NAME://host:port` (host "" binds every interface, as Kafka). */
export interface Endpoint {
  listenerName: string;
  securityProtocol: string;
  host: string;
  port: number;
}

/** zookeeper.connect split into its hosts and its chroot (`/` when none). */
export interface ZkConnect {
  /** The connect string as given. */
  connect: string;
  hosts: { host: string; port: number }[];
  chroot: string;
}

/** The broker configuration herd runs with, resolved as KafkaConfig resolves it. */
export interface BrokerConfig {
  brokerId: number;
  logDirs: string[];
  listeners: Endpoint[];
  advertisedListeners: Endpoint[];
  zookeeper: ZkConnect;
  zookeeperConnectionTimeoutMs: number;
  zookeeperSessionTimeoutMs: number;
  /** log.retention.ms > minutes > hours; -1 is unlimited. */
  logRetentionMs: number;
  /** log.roll.ms > hours. */
  logRollMs: number;
  /** log.roll.jitter.ms > hours. */
  logRollJitterMs: number;
  /** log.flush.interval.ms, defaulting to log.flush.scheduler.interval.ms. */
  logFlushIntervalMs: number;
  /** inter.broker.protocol.version resolved to its full name ("2.8" → "2.8-IV1"). */
  interBrokerProtocolVersion: string;
  /** log.message.format.version resolved likewise. */
  logMessageFormatVersion: string;
  /** Every known key's effective value (defaults included), parsed. */
  values: ReadonlyMap<string, BrokerValue>;
  /** Every known key's effective value as text, as DescribeConfigs shows it (null: none). */
  raw: ReadonlyMap<string, string | null>;
  /** Keys set in the file or by --override (the rest are defaults). */
  explicit: ReadonlySet<string>;
  /**
   * Every key given (file, then --override), known to herd or not, with its text as given: what
   * Kafka keeps as the config's originals (DescribeConfigs' STATIC_BROKER_CONFIG entries).
   */
  originals: ReadonlyMap<string, string>;
}

/** What parsing gives: the config and the WARN lines Kafka would log. */
export interface ParsedServerProperties {
  config: BrokerConfig;
  warnings: string[];
}

/** A `--override key=value` from the command line. */
export interface Override {
  key: string;
  value: string;
}

const INT_TEXT = /^[+-]?\d+$/;

function fail(at: ConfigLocation, key: string, value: string, why: string): never {
  throw new ConfigError(at, `Invalid value ${value} for configuration ${key}: ${why}`, key);
}

function parseValue(
  key: string,
  def: BrokerConfigDef,
  value: string,
  at: ConfigLocation,
): BrokerValue {
  const v = value.trim();
  let n: number;
  switch (def.kind) {
    case "INT":
    case "SHORT":
    case "LONG": {
      const bits = def.kind === "LONG" ? 63n : def.kind === "INT" ? 31n : 15n;
      if (!INT_TEXT.test(v) || BigInt(v) >= 2n ** bits || BigInt(v) < -(2n ** bits)) {
        fail(at, key, v, `Not a number of type ${def.kind}`);
      }
      n = Number(v);
      break;
    }
    case "DOUBLE":
      n = Number(v);
      if (v === "" || Number.isNaN(n)) fail(at, key, v, "Not a number of type DOUBLE");
      break;
    case "BOOLEAN":
      if (!/^(true|false)$/i.test(v)) {
        fail(at, key, v, "Expected value to be either true or false");
      }
      return v.toLowerCase() === "true";
    case "STRING":
      if (def.oneOf && !def.oneOf.includes(v)) {
        fail(at, key, v, `String must be one of: ${def.oneOf.join(", ")}`);
      }
      return v;
    case "LIST": {
      const items = v === "" ? [] : v.split(",").map((s) => s.trim());
      for (const item of items) {
        if (def.oneOf && !def.oneOf.includes(item)) {
          fail(at, key, item, `String must be one of: ${def.oneOf.join(", ")}`);
        }
      }
      return items;
    }
  }
  if (def.atLeast !== undefined && n < def.atLeast) {
    fail(at, key, v, `Value must be at least ${def.atLeast}`);
  }
  return n;
}

/** Parses `NAME://host:port,…` against the protocol map, as KafkaConfig's listener checks. */
function parseEndpoints(
  key: string,
  text: string,
  protocols: Map<string, string>,
  at: ConfigLocation,
): Endpoint[] {
  const out: Endpoint[] = [];
  for (const item of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    // Kafka's own endpoint pattern (EndPoint.scala): NAME://host:port, host may be [v6].
    const m = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/.exec(item);
    if (!m) {
      throw new ConfigError(
        at,
        `Error creating broker listeners from '${text}': Unable to parse ${item} to a broker endpoint`,
        key,
      );
    }
    const name = m[1].toUpperCase();
    const protocol = protocols.get(name);
    if (protocol === undefined) {
      throw new ConfigError(
        at,
        `Error creating broker listeners from '${text}': No security protocol defined for listener ${name}`,
        key,
      );
    }
    out.push({ listenerName: name, securityProtocol: protocol, host: m[2], port: Number(m[3]) });
  }
  return out;
}

/** Kafka's `require(cond, msg)`: an IllegalArgumentException worded "requirement failed: …". */
function requirement(at: ConfigLocation, key: string, message: string): never {
  throw new ConfigError(at, `requirement failed: ${message}`, key);
}

/** KafkaConfig's checks that listener names and ports are distinct. */
function checkListeners(listeners: Endpoint[], text: string, at: ConfigLocation): void {
  const names = new Set(listeners.map((e) => e.listenerName));
  if (names.size !== listeners.length) {
    requirement(at, "listeners", `Each listener must have a different name, listeners: ${text}`);
  }
  const ports = new Set(listeners.map((e) => e.port));
  if (ports.size !== listeners.length) {
    requirement(at, "listeners", `Each listener must have a different port, listeners: ${text}`);
  }
}

/** Splits `host:port,host:port/chroot` as ZooKeeper's ConnectStringParser does. */
export function parseZkConnect(connect: string): ZkConnect {
  const slash = connect.indexOf("/");
  let chroot = "/";
  let hostsPart = connect;
  if (slash >= 0) {
    hostsPart = connect.slice(0, slash);
    const c = connect.slice(slash);
    chroot = c.length > 1 && c.endsWith("/") ? c.slice(0, -1) : c;
  }
  const hosts = hostsPart.split(",").map((s) => s.trim()).filter((s) => s !== "").map((h) => {
    const colon = h.lastIndexOf(":");
    return colon < 0
      ? { host: h, port: 2181 }
      : { host: h.slice(0, colon), port: Number(h.slice(colon + 1)) };
  });
  return { connect, hosts, chroot };
}

/**
 * Parses server.properties `text` (named `file` in messages), then applies `overrides` in order.
 * Throws ConfigError with Kafka's message for a bad value or a missing zookeeper.connect.
 *
 * @example
 * ```ts
 * const { config } = parseServerProperties("zookeeper.connect=localhost:2181/kafka\n", "server.properties");
 * config.zookeeper.chroot; // "/kafka"
 * config.logRetentionMs; // 604800000
 * ```
 */
export function parseServerProperties(
  text: string,
  file: string,
  overrides: readonly Override[] = [],
): ParsedServerProperties {
  // Last one wins, as Properties.load; remember where each came from for messages.
  const given = new Map<string, { value: string; at: ConfigLocation }>();
  for (const p of lexProperties(text, file)) {
    given.set(p.key, { value: p.value, at: { file, line: p.line } });
  }
  for (const o of overrides) {
    given.set(o.key, { value: o.value, at: { file: `--override ${o.key}` } });
  }
  const warnings: string[] = [];
  for (const key of given.keys()) {
    if (!BROKER_CONFIGS.has(key)) {
      warnings.push(`The configuration '${key}' was supplied but isn't a known config.`);
    }
  }

  const values = new Map<string, BrokerValue>();
  const raw = new Map<string, string | null>();
  for (const [key, def] of BROKER_CONFIGS) {
    const g = given.get(key);
    const text = g === undefined ? def.default : g.value;
    raw.set(key, text === null ? null : text.trim());
    values.set(
      key,
      text === null ? null : parseValue(key, def, text, g?.at ?? { file: `${key} default` }),
    );
  }
  const at = (key: string): ConfigLocation => given.get(key)?.at ?? { file };
  const num = (key: string) => values.get(key) as number | null;
  const str = (key: string) => values.get(key) as string | null;

  // The order of these checks follows KafkaConfig: ConfigDef first (missing required key),
  // then the `require`s in its validateValues.
  const zk = str("zookeeper.connect");
  if (zk === null) {
    throw new ConfigError(
      { file },
      "Missing required configuration `zookeeper.connect` which has no default value.",
      "zookeeper.connect",
    );
  }
  const versions: string[] = [];
  for (const key of ["inter.broker.protocol.version", "log.message.format.version"]) {
    const v = str(key)!;
    const resolved = resolveApiVersion(v);
    if (resolved === undefined) fail(at(key), key, v, `Version \`${v}\` is not a valid version`);
    versions.push(resolved);
  }

  const retentionMs = num("log.retention.ms") ??
    (num("log.retention.minutes") !== null
      ? num("log.retention.minutes")! * 60_000
      : num("log.retention.hours")! * 3_600_000);
  if (retentionMs < -1 || retentionMs === 0) {
    const key = given.has("log.retention.ms")
      ? "log.retention.ms"
      : given.has("log.retention.minutes")
      ? "log.retention.minutes"
      : "log.retention.hours";
    requirement(
      at(key),
      key,
      "log.retention.ms must be unlimited (-1) or, greater than or equal to 1",
    );
  }
  const brokerId = num("broker.id")!;
  if (brokerId < -1 || brokerId > num("reserved.broker.max.id")!) {
    requirement(
      at("broker.id"),
      "broker.id",
      "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id",
    );
  }
  if (num("log.roll.ms") !== null && num("log.roll.ms")! < 1) {
    requirement(at("log.roll.ms"), "log.roll.ms", "log.roll.ms must be greater than or equal to 1");
  }
  const [ibp, formatVersion] = versions;
  const formatRecord = recordVersionOf(formatVersion);
  if (recordVersionOf(ibp) < formatRecord) {
    // Blame the line the operator wrote: the format version, else the protocol version.
    const key = given.has("log.message.format.version")
      ? "log.message.format.version"
      : "inter.broker.protocol.version";
    requirement(
      at(key),
      key,
      `log.message.format.version ${str("log.message.format.version")} can only be used when ` +
        `inter.broker.protocol.version is set to version ${
          ["0.8.0", "0.10.0", "0.11.0"][formatRecord]
        } or higher`,
    );
  }
  const compression = str("compression.type")!;
  if (!BROKER_COMPRESSION.includes(compression)) {
    requirement(
      at("compression.type"),
      "compression.type",
      `compression.type : ${compression} is not valid. Valid options are ${
        BROKER_COMPRESSION.join(",")
      }`,
    );
  }

  const protocols = new Map<string, string>();
  for (const pair of str("listener.security.protocol.map")!.split(",")) {
    const [name, protocol] = pair.split(":").map((s) => s.trim());
    if (name && protocol) protocols.set(name.toUpperCase(), protocol.toUpperCase());
  }
  // No listeners: Kafka 2.8 builds PLAINTEXT://host.name:port from the deprecated keys.
  const listenersText = str("listeners") ?? `PLAINTEXT://${str("host.name")}:${num("port")}`;
  const listeners = parseEndpoints("listeners", listenersText, protocols, at("listeners"));
  const advertisedText = str("advertised.listeners");
  const advertisedListeners = advertisedText === null
    ? listeners
    : parseEndpoints("advertised.listeners", advertisedText, protocols, at("advertised.listeners"));

  checkListeners(listeners, listenersText, at("listeners"));
  if (advertisedListeners.some((e) => e.host === "0.0.0.0")) {
    requirement(
      at("advertised.listeners"),
      "advertised.listeners",
      "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.",
    );
  }
  // herd has no inter.broker.listener.name / security.inter.broker.protocol keys: Kafka's default
  // (PLAINTEXT) must be among the advertised listeners, as Kafka requires.
  if (!advertisedListeners.some((e) => e.listenerName === "PLAINTEXT")) {
    // Without advertised.listeners, the line to fix is the listeners one.
    const key = advertisedText === null ? "listeners" : "advertised.listeners";
    requirement(
      at(key),
      key,
      "inter.broker.listener.name must be a listener name defined in advertised.listeners. " +
        "The valid options based on currently configured listeners are " +
        advertisedListeners.map((e) => e.listenerName).join(","),
    );
  }

  const logDirsText = str("log.dirs") ?? str("log.dir")!;
  const logDirs = logDirsText.split(",").map((s) => s.trim()).filter((s) => s !== "");

  const config: BrokerConfig = {
    brokerId,
    logDirs,
    listeners,
    advertisedListeners,
    zookeeper: parseZkConnect(zk),
    zookeeperSessionTimeoutMs: num("zookeeper.session.timeout.ms")!,
    zookeeperConnectionTimeoutMs: num("zookeeper.connection.timeout.ms") ??
      num("zookeeper.session.timeout.ms")!,
    logRetentionMs: retentionMs,
    logRollMs: num("log.roll.ms") ?? num("log.roll.hours")! * 3_600_000,
    logRollJitterMs: num("log.roll.jitter.ms") ?? num("log.roll.jitter.hours")! * 3_600_000,
    logFlushIntervalMs: num("log.flush.interval.ms") ?? num("log.flush.scheduler.interval.ms")!,
    interBrokerProtocolVersion: ibp,
    logMessageFormatVersion: formatVersion,
    values,
    raw,
    explicit: new Set([...given.keys()].filter((k) => BROKER_CONFIGS.has(k))),
    originals: new Map([...given].map(([k, g]) => [k, g.value])),
  };
  return { config, warnings };
}
