/**
 * The JSON Kafka 2.8 keeps in ZooKeeper, written byte for byte as a kafka_2.12 broker writes it
 * (compact Jackson output, keys in the order its Scala maps iterate: zk-layout.md §1.2-§1.3) and
 * read as tolerantly as Kafka's decoders read it (unknown keys ignored, optional fields absent).
 *
 * @module
 */
import { scala212HashMapOrder } from "./_scala_map_order.ts";
import { javaPropertiesOrder } from "../../internal/java_hash.ts";

const str = (s: string): string => JSON.stringify(s);

/** Malformed JSON in a znode Kafka owns, named by its path. */
export class ZnodeFormatError extends Error {
  override name = "ZnodeFormatError";
}

function parseObject(path: string, data: Uint8Array | string): Record<string, unknown> {
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ZnodeFormatError(`${path}: not JSON (${(e as Error).message}): ${text}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ZnodeFormatError(`${path}: not a JSON object: ${text}`);
  }
  return v as Record<string, unknown>;
}

function intField(path: string, o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new ZnodeFormatError(`${path}: "${key}" is not an integer: ${JSON.stringify(v)}`);
  }
  return v;
}

function intArray(path: string, v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) {
    throw new ZnodeFormatError(`${path}: ${what} is not an array of integers`);
  }
  return v as number[];
}

// ---- /brokers/ids/<id> -------------------------------------------------------------------------

/** A broker's registration (JSON version 5, as brokers at IBP >= 2.7-IV0 write it). */
export interface BrokerRegistration {
  /** `LISTENER://host:port`, in the order advertised.listeners lists them. */
  endpoints: string[];
  /** Listener name → security protocol name. */
  securityProtocolMap: [listener: string, protocol: string][];
  /** -1 unless JMX is on. */
  jmxPort: number;
  /** Epoch ms, written as a string. */
  timestamp: number;
  rack?: string;
}

/** The PLAINTEXT endpoint's host and port (Kafka writes null/-1 when there is none). */
function plaintextHostPort(b: BrokerRegistration): [string | null, number] {
  const protocols = new Map(b.securityProtocolMap);
  for (const e of b.endpoints) {
    const m = /^([^:]+):\/\/(\[[^\]]*\]|[^:]*):(-?\d+)$/.exec(e);
    if (m && protocols.get(m[1]) === "PLAINTEXT") return [m[2].replace(/^\[|\]$/g, ""), +m[3]];
  }
  return [null, -1];
}

/**
 * `/brokers/ids/<id>` as kafka_2.12 writes it.
 *
 * @example
 * ```ts
 * encodeBroker({ endpoints: ["PLAINTEXT://127.0.0.1:9092"], securityProtocolMap: [["PLAINTEXT", "PLAINTEXT"]], jmxPort: -1, timestamp: 1 });
 * // {"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":[…],"jmx_port":-1,"features":{},"host":"127.0.0.1","timestamp":"1","port":9092,"version":5}
 * ```
 */
export function encodeBroker(b: BrokerRegistration): string {
  const map = b.securityProtocolMap.map(([l, p]) => `${str(l)}:${str(p)}`).join(",");
  const [host, port] = plaintextHostPort(b);
  return `{"listener_security_protocol_map":{${map}},"endpoints":[${
    b.endpoints.map(str).join(",")
  }],${b.rack === undefined ? "" : `"rack":${str(b.rack)},`}"jmx_port":${b.jmxPort},` +
    `"features":{},"host":${host === null ? "null" : str(host)},"timestamp":${
      str(String(b.timestamp))
    },"port":${port},"version":5}`;
}

/** Reads any broker registration version >= 2 (Kafka's decoder uses endpoints from v2 on). */
export function decodeBroker(path: string, data: Uint8Array | string): BrokerRegistration {
  const o = parseObject(path, data);
  const endpoints = o.endpoints;
  if (!Array.isArray(endpoints) || !endpoints.every((e) => typeof e === "string")) {
    throw new ZnodeFormatError(`${path}: "endpoints" is not an array of strings`);
  }
  const map = (o.listener_security_protocol_map ?? {}) as Record<string, string>;
  const protocols: [string, string][] = Object.entries(map);
  // Without a map (v2/v3), listener names are security protocol names.
  if (protocols.length === 0) {
    for (const e of endpoints as string[]) {
      const l = e.slice(0, e.indexOf(":"));
      protocols.push([l, l]);
    }
  }
  return {
    endpoints: endpoints as string[],
    securityProtocolMap: protocols,
    jmxPort: typeof o.jmx_port === "number" ? o.jmx_port : -1,
    timestamp: Number(o.timestamp ?? 0),
    ...(typeof o.rack === "string" ? { rack: o.rack } : {}),
  };
}

// ---- /brokers/topics/<t> -----------------------------------------------------------------------

/** A topic's replica assignment: partition → replicas (broker ids), in partition order. */
export interface TopicAssignment {
  partitions: Map<number, number[]>;
  addingReplicas?: Map<number, number[]>;
  removingReplicas?: Map<number, number[]>;
  /** 22-character base64url UUID; absent until the controller (or CreateTopics) adds one. */
  topicId?: string;
}

function assignmentObject(m: Map<number, number[]> | undefined): string {
  if (m === undefined || m.size === 0) return "{}";
  const keys = scala212HashMapOrder([...m.keys()].map(String));
  return `{${keys.map((k) => `${str(k)}:[${m.get(Number(k))!.join(",")}]`).join(",")}}`;
}

/**
 * `/brokers/topics/<t>`: JSON version 3, the five-key immutable map's order of kafka_2.12.
 *
 * @example
 * ```ts
 * encodeTopic({ partitions: new Map([[0, [1]]]) });
 * // {"removing_replicas":{},"partitions":{"0":[1]},"adding_replicas":{},"version":3}
 * ```
 */
export function encodeTopic(t: TopicAssignment): string {
  const id = t.topicId === undefined ? "" : `"topic_id":${str(t.topicId)},`;
  return `{"removing_replicas":${assignmentObject(t.removingReplicas)},"partitions":${
    assignmentObject(t.partitions)
  },${id}"adding_replicas":${assignmentObject(t.addingReplicas)},"version":3}`;
}

function decodeAssignment(path: string, v: unknown, what: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (v === undefined || v === null) return out;
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new ZnodeFormatError(`${path}: "${what}" is not an object`);
  }
  const entries = Object.entries(v as Record<string, unknown>)
    .map(([k, r]) => [Number(k), intArray(path, r, `"${what}"."${k}"`)] as [number, number[]]);
  for (const [p, r] of entries.sort((a, b) => a[0] - b[0])) out.set(p, r);
  return out;
}

/** Reads a topic znode (the version is ignored, as Kafka does). */
export function decodeTopic(path: string, data: Uint8Array | string): TopicAssignment {
  const o = parseObject(path, data);
  return {
    partitions: decodeAssignment(path, o.partitions, "partitions"),
    addingReplicas: decodeAssignment(path, o.adding_replicas, "adding_replicas"),
    removingReplicas: decodeAssignment(path, o.removing_replicas, "removing_replicas"),
    ...(typeof o.topic_id === "string" ? { topicId: o.topic_id } : {}),
  };
}

// ---- /brokers/topics/<t>/partitions/<p>/state --------------------------------------------------

/** A partition's leader and ISR (the znode's dataVersion is the partition's zkVersion). */
export interface PartitionState {
  controllerEpoch: number;
  /** -1: no leader. */
  leader: number;
  leaderEpoch: number;
  isr: number[];
}

/** The state znode: a five-key hash map, the same order on 2.12 and 2.13. */
export function encodePartitionState(s: PartitionState): string {
  return `{"controller_epoch":${s.controllerEpoch},"leader":${s.leader},"version":1,` +
    `"leader_epoch":${s.leaderEpoch},"isr":[${s.isr.join(",")}]}`;
}

export function decodePartitionState(path: string, data: Uint8Array | string): PartitionState {
  const o = parseObject(path, data);
  return {
    controllerEpoch: intField(path, o, "controller_epoch"),
    leader: intField(path, o, "leader"),
    leaderEpoch: intField(path, o, "leader_epoch"),
    isr: intArray(path, o.isr, '"isr"'),
  };
}

// ---- the small ones (Scala Map1-Map4: insertion order) -----------------------------------------

/** `/controller`: `{"version":1,"brokerid":N,"timestamp":"<ms>"}`. */
export function encodeController(brokerId: number, timestamp: number): string {
  return `{"version":1,"brokerid":${brokerId},"timestamp":${str(String(timestamp))}}`;
}

/** The controller's broker id (the only field Kafka reads). */
export function decodeController(path: string, data: Uint8Array | string): number {
  return intField(path, parseObject(path, data), "brokerid");
}

/** `/controller_epoch`: plain decimal text, not JSON. */
export function decodeControllerEpoch(path: string, data: Uint8Array | string): number {
  const text = (typeof data === "string" ? data : new TextDecoder().decode(data)).trim();
  if (!/^\d+$/.test(text)) throw new ZnodeFormatError(`${path}: not a number: ${text}`);
  return Number(text);
}

/** `/cluster/id`: the version is a string. */
export function encodeClusterId(id: string): string {
  return `{"version":"1","id":${str(id)}}`;
}

export function decodeClusterId(path: string, data: Uint8Array | string): string {
  const id = parseObject(path, data).id;
  if (typeof id !== "string") throw new ZnodeFormatError(`${path}: "id" is not a string`);
  return id;
}

/** A block of producer ids, both ends inclusive. */
export interface ProducerIdBlock {
  brokerId: number;
  start: bigint;
  end: bigint;
}

/** `/latest_producer_id_block`: start and end are strings. */
export function encodeProducerIdBlock(b: ProducerIdBlock): string {
  return `{"version":1,"broker":${b.brokerId},"block_start":"${b.start}","block_end":"${b.end}"}`;
}

export function decodeProducerIdBlock(path: string, data: Uint8Array | string): ProducerIdBlock {
  const o = parseObject(path, data);
  const big = (k: string) => {
    const v = o[k];
    if (typeof v !== "string" || !/^-?\d+$/.test(v)) {
      throw new ZnodeFormatError(`${path}: "${k}" is not a decimal string`);
    }
    return BigInt(v);
  };
  return {
    brokerId: intField(path, o, "broker"),
    start: big("block_start"),
    end: big("block_end"),
  };
}

/** `/feature` as 2.8's controller creates it: enabled, no finalized features. */
export const FEATURE_ZNODE = `{"features":{},"status":1,"version":1}`;

/**
 * `/config/changes/config_change_NNNNNNNNNN`: which entity's config changed.
 *
 * @example
 * ```ts
 * encodeConfigChange("topics", "t"); // {"version":2,"entity_path":"topics/t"}
 * ```
 */
export function encodeConfigChange(entityType: string, entity: string): string {
  return `{"version":2,"entity_path":${str(`${entityType}/${entity}`)}}`;
}

/** The entity a change notification names (v2 `entity_path`, or v1 type and name). */
export function decodeConfigChange(
  path: string,
  data: Uint8Array | string,
): { entityType: string; entity: string } {
  const o = parseObject(path, data);
  if (typeof o.entity_path === "string") {
    const slash = o.entity_path.indexOf("/");
    if (slash > 0) {
      return { entityType: o.entity_path.slice(0, slash), entity: o.entity_path.slice(slash + 1) };
    }
  }
  if (typeof o.entity_type === "string" && typeof o.entity_name === "string") {
    return { entityType: o.entity_type, entity: o.entity_name };
  }
  throw new ZnodeFormatError(`${path}: names no entity`);
}

// ---- /config/<type>/<entity> -------------------------------------------------------------------

/**
 * `/config/<type>/<entity>`: `{"version":1,"config":{…}}`, the config a java.util.Properties
 * whose keys iterate in its table's order (JDK 9+, as the brokers and tools here run).
 *
 * @example
 * ```ts
 * encodeEntityConfig(new Map([["cleanup.policy", "compact"], ["compression.type", "producer"]]));
 * // {"version":1,"config":{"compression.type":"producer","cleanup.policy":"compact"}}
 * ```
 */
export function encodeEntityConfig(config: ReadonlyMap<string, string>): string {
  const keys = javaPropertiesOrder([...config.keys()]);
  return `{"version":1,"config":{${
    keys.map((k) => `${str(k)}:${str(config.get(k)!)}`).join(",")
  }}}`;
}

/** The config map of an entity config znode (values other than strings are refused). */
export function decodeEntityConfig(path: string, data: Uint8Array | string): Map<string, string> {
  const config = parseObject(path, data).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ZnodeFormatError(`${path}: "config" is not an object`);
  }
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    if (typeof v !== "string") throw new ZnodeFormatError(`${path}: config "${k}" is not a string`);
    out.set(k, v);
  }
  return out;
}
