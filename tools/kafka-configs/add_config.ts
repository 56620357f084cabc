/**
 * The configs `--add-config`, `--add-config-file` and `--delete-config` name, read as Kafka
 * 2.8.2's ConfigCommand reads them: `k1=v1,k2=[a,b]` split at the commas outside brackets, each
 * pair at its `=` (spaces around it dropped), brackets removed from values; a file read as
 * java.util.Properties; `--delete-config a,b` (joptsimple splits at commas) trimmed.
 *
 * @module
 */
import { readProperties } from "../_kafka_cli.ts";
import { javaPropertiesOrder } from "../../internal/java_hash.ts";
import { ConfigCommandError } from "./errors.ts";
import type { ConfigOptions } from "./options.ts";

/** Java's String.trim: strips chars up to U+0020 at both ends. */
export function javaTrim(s: string): string {
  let a = 0, b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return s.slice(a, b);
}

/** Java's `s.split(regex)` (limit 0): trailing empty strings dropped, "" gives [""]. */
function javaSplit(s: string, re: RegExp): string[] {
  if (s === "") return [""];
  const parts = s.split(re);
  while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** A comma, or `=` with the spaces around it, not inside `[…]` (ConfigCommand's lookahead). */
const OUTSIDE_BRACKETS = "(?=[^\\]]*(?:\\[|$))";
const PAIR_SEPARATOR = new RegExp(`,${OUTSIDE_BRACKETS}`);
const KEY_VALUE_SEPARATOR = new RegExp(`\\s*=\\s*${OUTSIDE_BRACKETS}`);

/**
 * Parses one `--add-config` value into key → value, later keys replacing earlier ones.
 *
 * @example
 * ```ts
 * parseAddConfig("retention.ms=1000,cleanup.policy=[compact,delete]");
 * // Map { "retention.ms" => "1000", "cleanup.policy" => "compact,delete" }
 * ```
 */
export function parseAddConfig(text: string): Map<string, string> {
  const pairs = javaSplit(text, PAIR_SEPARATOR).map((p) => p.split(KEY_VALUE_SEPARATOR));
  if (!pairs.every((p) => p.length === 2)) {
    throw new ConfigCommandError(
      'requirement failed: Invalid entity config: all configs to be added must be in the format "key=val".',
      "java.lang.IllegalArgumentException",
    );
  }
  const out = new Map<string, string>();
  for (const [k, v] of pairs) out.set(javaTrim(k), javaTrim(v.replace(/\[|\]/g, "")));
  return out;
}

/** The configs to add, in the order their Properties iterates them. */
export interface ConfigsToAdd {
  configs: Map<string, string>;
  /** What the tool printed while reading them (the message.format.version warning). */
  warning: string;
}

/**
 * parseConfigsToBeAdded: the file's pairs, then `--add-config`'s (joptsimple's first value),
 * in java.util.Properties order.
 */
export function configsToBeAdded(o: ConfigOptions): ConfigsToAdd {
  const props = new Map<string, string>();
  const file = o.valueOf("add-config-file");
  if (file !== undefined) {
    let read: Map<string, string>;
    try {
      read = readProperties(file);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new ConfigCommandError(file, "java.nio.file.NoSuchFileException");
      }
      throw e;
    }
    for (const [k, v] of read) props.set(k, v);
  }
  const add = o.valueOf("add-config");
  if (add !== undefined) { for (const [k, v] of parseAddConfig(add)) props.set(k, v); }
  const configs = new Map(javaPropertiesOrder([...props.keys()]).map((k) => [k, props.get(k)!]));
  const mfv = configs.get("message.format.version");
  const warning = mfv === undefined
    ? ""
    : `WARNING: The configuration message.format.version=${mfv} is specified. ` +
      "This configuration will be ignored if the version is newer than the inter.broker.protocol.version specified in the broker.\n";
  return { configs, warning };
}

/**
 * parseConfigsToBeDeleted: every `--delete-config` value, split at commas as joptsimple's
 * StringTokenizer does (empty pieces skipped; a value of commas only kept whole), trimmed.
 */
export function configsToBeDeleted(o: ConfigOptions): string[] {
  return o.parsed.valuesOf("delete-config").flatMap((v) => {
    const tokens = v.split(",").filter((t) => t !== "");
    return tokens.length === 0 ? [v] : tokens;
  }).map(javaTrim);
}
