/**
 * `/config/<type>/<entity>` as Kafka 2.8 writes it: `{"version":1,"config":{…}}`, compact, the
 * config keys in the order a java.util.Properties iterates them (zk-layout.md §1.2-§1.3).
 *
 * @module
 */
import { javaPropertiesOrder } from "../../internal/java_hash.ts";

/** The config entity znode of `entityType` ("topics", "brokers") and `entity`. */
export function configEntityPath(entityType: string, entity: string): string {
  return `/config/${entityType}/${entity}`;
}

/**
 * Encodes an entity's configs as Kafka's ConfigEntityZNode does.
 *
 * @example
 * ```ts
 * encodeEntityConfig(new Map([["retention.ms", "1000"]])); // {"version":1,"config":{"retention.ms":"1000"}}
 * ```
 */
export function encodeEntityConfig(config: ReadonlyMap<string, string>): string {
  const body = javaPropertiesOrder([...config.keys()])
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(config.get(k))}`);
  return `{"version":1,"config":{${body.join(",")}}}`;
}

/** A config entity znode Kafka could not read either. */
export class ConfigZnodeError extends Error {
  override name = "ConfigZnodeError";
}

/**
 * Decodes `/config/<type>/<entity>`: null data (or none) is no config; values are read as text,
 * as Kafka's decoder turns them into Properties.
 */
export function decodeEntityConfig(path: string, data: Uint8Array | null): Map<string, string> {
  const out = new Map<string, string>();
  if (data === null || data.length === 0) return out;
  const text = new TextDecoder().decode(data);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ConfigZnodeError(`${path}: not JSON (${(e as Error).message}): ${text}`);
  }
  const config = (v as { config?: unknown } | null)?.config;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigZnodeError(`${path}: no "config" object: ${text}`);
  }
  for (const [k, val] of Object.entries(config)) {
    out.set(k, typeof val === "string" ? val : JSON.stringify(val));
  }
  return out;
}
