/**
 * JSON exactly as Apache's AdminServer writes it: Jackson's ObjectMapper with INDENT_OUTPUT
 * (DefaultPrettyPrinter): two-space indents for objects, ` : ` between key and value, arrays
 * inline as `[ a, b ]`, empty ones as `[ ]` and `{ }`, Java doubles as `0.0`, no final newline.
 */
import { JavaDouble } from "../fourletter/mod.ts";

/** A JSON value; numbers are Java longs unless wrapped in JavaDouble, bigints are longs. */
export type Json =
  | null
  | boolean
  | string
  | number
  | bigint
  | JavaDouble
  | readonly Json[]
  | JsonObject;

/** An object: a Map keeps any key order (numeric-looking keys included), a record its own. */
export type JsonObject = ReadonlyMap<string, Json> | { readonly [key: string]: Json };

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function entriesOf(o: JsonObject): [string, Json][] {
  return o instanceof Map ? [...o] : Object.entries(o as { [key: string]: Json });
}

function write(v: Json, nesting: number): string {
  if (v === null) return "null";
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(new JavaDouble(v));
  if (typeof v === "string") return quote(v);
  if (v instanceof JavaDouble) return String(v);
  if (Array.isArray(v)) {
    // Jackson's array indenter is inline: elements do not add a nesting level.
    return v.length === 0 ? "[ ]" : `[ ${v.map((e) => write(e, nesting)).join(", ")} ]`;
  }
  const entries = entriesOf(v as JsonObject);
  if (entries.length === 0) return "{ }";
  const pad = "  ".repeat(nesting + 1);
  const body = entries.map(([k, e]) => `${pad}${quote(k)} : ${write(e, nesting + 1)}`);
  return `{\n${body.join(",\n")}\n${"  ".repeat(nesting)}}`;
}

/**
 * Serialises `value` as Jackson's pretty printer does.
 *
 * @example
 * ```ts
 * jacksonJson({ command: "ruok", error: null }); // '{\n  "command" : "ruok",\n  "error" : null\n}'
 * ```
 */
export function jacksonJson(value: Json): string {
  return write(value, 0);
}
