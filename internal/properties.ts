/**
 * The line format of java.util.Properties.load, which Apache ZooKeeper reads zoo.cfg with and
 * Apache Kafka reads server.properties with: `key=value`, `key: value` or `key value`; `#`/`!`
 * comment lines; a trailing odd backslash continues the line; backslash escapes (\t \n \r \f
 * \uXXXX, and `\x` for any other x). Keys and values come out trimmed (String.trim) unless asked
 * not to, as ZooKeeper's QuorumPeerConfig.parseProperties trims them and Kafka's ConfigDef trims
 * values it parses; `trim: false` gives exactly what Properties.getProperty returns (what Kafka
 * reads meta.properties with).
 *
 * @module
 */
import { ConfigError } from "./config_error.ts";

/** One logical `key=value` line, with the number of the natural line it starts on. */
export interface PropertyLine {
  key: string;
  value: string;
  line: number;
}

const isBlank = (c: string) => c === " " || c === "\t" || c === "\f";

function skipBlanks(s: string): string {
  let i = 0;
  while (i < s.length && isBlank(s[i])) i++;
  return s.slice(i);
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

/** String.trim: strips every char <= U+0020 at both ends. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

const ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f" };

function unescape(s: string, file: string, line: number): string {
  if (!s.includes("\\")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "\\" || i + 1 >= s.length) {
      out += s[i];
      continue;
    }
    const c = s[++i];
    if (c === "u") {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new ConfigError({ file, line }, `malformed \\uxxxx escape: "\\u${hex}"`);
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += ESCAPES[c] ?? c;
    }
  }
  return out;
}

function splitKeyValue(s: string, file: string, line: number, trim: boolean): PropertyLine {
  let k = 0;
  while (k < s.length) {
    const c = s[k];
    if (c === "\\") {
      k += 2;
      continue;
    }
    if (c === "=" || c === ":" || isBlank(c)) break;
    k++;
  }
  k = Math.min(k, s.length);
  let v = k;
  while (v < s.length && isBlank(s[v])) v++;
  if (v < s.length && (s[v] === "=" || s[v] === ":")) v++;
  while (v < s.length && isBlank(s[v])) v++;
  const key = unescape(s.slice(0, k), file, line);
  const value = unescape(s.slice(v), file, line);
  return trim ? { key: javaTrim(key), value: javaTrim(value), line } : { key, value, line };
}

/**
 * Splits properties text into logical lines, in file order, duplicates included (the caller
 * decides whether the last one wins, as Properties does, or a duplicate is an error). A malformed
 * `\uXXXX` escape is a ConfigError naming `file` and the line. `options.trim` (default true):
 * trim keys and values as String.trim does.
 *
 * @example
 * ```ts
 * import { lexProperties } from "./properties.ts";
 * lexProperties("# comment\nlog.dirs = /tmp/kafka-logs\nbroker.id:0\n", "server.properties");
 * // [{ key: "log.dirs", value: "/tmp/kafka-logs", line: 2 }, { key: "broker.id", value: "0", line: 3 }]
 * ```
 */
export function lexProperties(
  text: string,
  file: string,
  options: { trim?: boolean } = {},
): PropertyLine[] {
  const trim = options.trim ?? true;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const out: PropertyLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    let logical = skipBlanks(lines[i]);
    if (logical === "" || logical[0] === "#" || logical[0] === "!") continue;
    const line = i + 1;
    while (endsWithOddBackslashes(logical)) {
      logical = logical.slice(0, -1);
      if (++i >= lines.length) break;
      logical += skipBlanks(lines[i]);
    }
    out.push(splitKeyValue(logical, file, line, trim));
  }
  return out;
}
