/**
 * The small pieces the codec emitter builds from: version conditions on `v` simplified against
 * the versions a struct can occur in, guards around emitted blocks, and local names that avoid
 * reserved words.
 *
 * @module
 */
import type { FieldSpec, FieldType, Primitive, Versions } from "./schema.ts";
import { covers, intersect } from "./schema.ts";

/** A JS condition on `v`: "true", "false" or an expression. */
export type Cond = string;

export function cond(r: Versions, ctx: Versions): Cond {
  const i = intersect(r, ctx);
  if (i.min > i.max || ctx.min > ctx.max) return "false";
  if (covers(i, ctx)) return "true";
  const parts: string[] = [];
  if (i.min > ctx.min) parts.push(`v >= ${i.min}`);
  if (i.max < ctx.max) parts.push(`v <= ${i.max}`);
  return parts.join(" && ");
}

export function pick(c: Cond, a: string, b: string): string {
  if (c === "true") return a;
  if (c === "false") return b;
  return `(${c} ? ${a} : ${b})`;
}

export function choose(c: Cond, a: string, b: string): string {
  if (c === "true") return a;
  if (c === "false") return b;
  return `if (${c}) ${a}\nelse ${b}`;
}

/** Whether text is a single `{ … }` block (its first brace closes at its end). */
function isOneBlock(text: string): boolean {
  if (!text.startsWith("{\n") || !text.endsWith("\n}")) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i === text.length - 1;
  }
  return false;
}

export function guard(c: Cond, body: string): string {
  if (c === "true") return body;
  if (c === "false") return "";
  // A block as the whole body needs no second pair of braces.
  const inner = isOneBlock(body) ? body.slice(2, -2) : body;
  return `if (${c}) {\n${inner}\n}`;
}

export const NUMERIC: ReadonlySet<Primitive> = new Set([
  "int8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "float64",
]);

const RESERVED = new Set([
  "r",
  "w",
  "m",
  "v",
  "flex",
  "n",
  "i",
  "a",
  "t",
  "tag",
  "size",
  "end",
  "raw",
  "ri",
  "mk",
  "nTags",
  "unknownTaggedFields",
  "default",
  "delete",
  "new",
  "class",
  "function",
  "const",
  "let",
  "var",
  "return",
  "this",
  "type",
  "in",
  "of",
  "for",
  "if",
  "else",
  "switch",
  "case",
]);

export function local(f: FieldSpec): string {
  return RESERVED.has(f.property) ? `${f.property}_` : f.property;
}

export function elementOf(t: FieldType): FieldType {
  return t.kind === "array" ? t.element : t;
}
