/**
 * A log dir's `meta.properties` as Kafka 2.8.2 writes it in ZooKeeper mode
 * (BrokerMetadataCheckpoint): java.util.Properties.store with an empty comment, so the file is
 * an empty `#` line, a `#<Date.toString()>` line, then `key=value` lines in the iteration order of
 * the Properties' hash table (JDK 9+: a ConcurrentHashMap of 16 bins), which for Kafka's three keys
 * is `broker.id`, `version`, `cluster.id`:
 *
 * ```
 * #
 * #Tue Dec 08 00:00:35 UTC 2026
 * broker.id=1
 * version=0
 * cluster.id=ye2RobIySIW5l41UMvrt5g
 * ```
 *
 * The date line is the JVM's local time; herd writes UTC (what a JVM here prints, TZ unset).
 * Reading follows java.util.Properties.load (ISO-8859-1, `=`/`:`/space separators, `#`/`!`
 * comments, continuation lines, backslash escapes), then checks the keys Kafka reads.
 *
 * @module
 */

import { ConfigError } from "../../internal/config_error.ts";
import { lexProperties, type PropertyLine } from "../../internal/properties.ts";
import { writeFileAtomic } from "./checkpoint_file.ts";
import { LogFileFormatError } from "./log_errors.ts";
import { javaPropertiesOrder } from "../../internal/java_hash.ts";

export const META_PROPERTIES = "meta.properties";

/** What a meta.properties holds. */
export interface MetaProperties {
  /** 0 in ZooKeeper mode (1 is KRaft's, which 2.8's ZooKeeper-mode broker refuses). */
  version: number;
  brokerId?: number;
  /** KRaft's node id (version 1). */
  nodeId?: number;
  clusterId?: string;
  /** The `#date` comment line without its `#`, as read; a writer given none writes now. */
  written?: string;
  /** Any other keys, in file order. */
  other?: [string, string][];
}

/** One `key=value` of a .properties file and the line it starts on. */
export type { PropertyLine };

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** java.util.Date.toString() in UTC: `Tue Dec 08 00:00:35 UTC 2026`. */
export function javaDateString(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${
      p2(d.getUTCSeconds())
    } UTC ${d.getUTCFullYear()}`;
}

/** Keys in the order a JDK 9+ Properties iterates them (store() writes them so). */
export const propertiesOrder: (keys: readonly string[]) => string[] = javaPropertiesOrder;

/** Properties.saveConvert with escUnicode: what store writes for a key or a value. */
function escape(s: string, isKey: boolean): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === " ") out += i === 0 || isKey ? "\\ " : " ";
    else if (c === "\t") out += "\\t";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\f") out += "\\f";
    else if (c === "\\" || c === "=" || c === ":" || c === "#" || c === "!") out += `\\${c}`;
    else if (code < 0x20 || code > 0x7e) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    } else out += c;
  }
  return out;
}

/**
 * The text Properties.store(out, "") writes for these entries (given in insertion order), with
 * `written` as the date line.
 */
export function storeProperties(entries: readonly [string, string][], written: string): string {
  const byKey = new Map(entries);
  let out = `#\n#${written}\n`;
  for (const k of propertiesOrder([...byKey.keys()])) {
    out += `${escape(k, true)}=${escape(byKey.get(k)!, false)}\n`;
  }
  return out;
}

/**
 * The bytes of meta.properties as Kafka 2.8.2 writes it for `meta` (entries inserted in
 * ZkMetaProperties' order: version, cluster.id, broker.id), dated `meta.written` or now.
 *
 * @example
 * ```ts
 * formatMetaProperties({ version: 0, brokerId: 1, clusterId: "ye2RobIySIW5l41UMvrt5g",
 *   written: "Tue Dec 08 00:00:35 UTC 2026" });
 * // "#\n#Tue Dec 08 00:00:35 UTC 2026\nbroker.id=1\nversion=0\ncluster.id=ye2RobIySIW5l41UMvrt5g\n"
 * ```
 */
export function formatMetaProperties(meta: MetaProperties): string {
  const entries: [string, string][] = [["version", String(meta.version)]];
  if (meta.clusterId !== undefined) entries.push(["cluster.id", meta.clusterId]);
  if (meta.brokerId !== undefined) entries.push(["broker.id", String(meta.brokerId)]);
  if (meta.nodeId !== undefined) entries.push(["node.id", String(meta.nodeId)]);
  for (const kv of meta.other ?? []) entries.push(kv);
  return storeProperties(entries, meta.written ?? javaDateString(new Date()));
}

/**
 * The key/value pairs of a .properties text, as java.util.Properties.load reads them (untrimmed:
 * Kafka reads meta.properties through getProperty); a malformed escape is a LogFileFormatError.
 */
export function parseProperties(text: string, file: string): PropertyLine[] {
  try {
    return lexProperties(text, file, { trim: false });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new LogFileFormatError(file, e.line ?? 0, e.detail);
  }
}

function intValue(p: PropertyLine, file: string): number {
  if (!/^[+-]?\d+$/.test(p.value)) {
    throw new LogFileFormatError(file, p.line, `${p.key} '${p.value}' is not an integer`);
  }
  const n = Number(p.value);
  if (n < -0x8000_0000 || n > 0x7fff_ffff) {
    throw new LogFileFormatError(file, p.line, `${p.key} ${p.value} is out of the int32 range`);
  }
  return n;
}

/**
 * Parse meta.properties bytes (ISO-8859-1, as Properties.load reads a stream). `file` names it
 * in errors: a non-integer version or id, an unknown version, a version 1 file without node.id
 * or cluster.id.
 */
export function parseMetaProperties(bytes: Uint8Array, file: string): MetaProperties {
  const text = new TextDecoder("latin1").decode(bytes);
  const byKey = new Map<string, PropertyLine>();
  for (const p of parseProperties(text, file)) byKey.set(p.key, p);
  const meta: MetaProperties = { version: 0 };
  const dated = text.split(/\r\n|\r|\n/).slice(0, 2);
  if (dated[0] === "#" && dated[1]?.startsWith("#")) meta.written = dated[1].slice(1);
  const other: [string, string][] = [];
  for (const [key, p] of byKey) {
    if (key === "version") meta.version = intValue(p, file);
    else if (key === "broker.id") meta.brokerId = intValue(p, file);
    else if (key === "node.id") meta.nodeId = intValue(p, file);
    else if (key === "cluster.id") meta.clusterId = p.value;
    else other.push([key, p.value]);
  }
  if (other.length) meta.other = other;
  const versionLine = byKey.get("version")?.line ?? 0;
  if (meta.version !== 0 && meta.version !== 1) {
    throw new LogFileFormatError(
      file,
      versionLine,
      `unknown meta.properties version ${meta.version}`,
    );
  }
  if (meta.version === 1) {
    for (const key of ["node.id", "cluster.id"]) {
      if (!byKey.has(key)) {
        throw new LogFileFormatError(file, 0, `a version 1 meta.properties needs ${key}`);
      }
    }
  }
  return meta;
}

/** Read `<logDir>/meta.properties`; undefined when there is none (a new log dir). */
export async function readMetaProperties(logDir: string): Promise<MetaProperties | undefined> {
  const path = `${logDir}/${META_PROPERTIES}`;
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return parseMetaProperties(bytes, path);
}

/** Write `<logDir>/meta.properties` atomically, as Kafka does (tmp, fsync, rename). */
export async function writeMetaProperties(logDir: string, meta: MetaProperties): Promise<void> {
  // Every char above 0x7e is \u-escaped, so the text is ASCII and its UTF-8 is its Latin-1.
  await writeFileAtomic(
    `${logDir}/${META_PROPERTIES}`,
    new TextEncoder().encode(formatMetaProperties(meta)),
  );
}
