/**
 * Kafka's message schemas (the JSON in ../spec, with `//` comments) as a typed model the code
 * generator, the wire-layout check and the round-trip tests all read. Version ranges are clamped
 * to what herd serves (Apache 2.8.2's advertised range), so nothing a newer Kafka added past those
 * versions reaches the codecs.
 *
 * @module
 */
import { DEFAULTS_IN_2_8_2, FIELDS_NOT_IN_2_8_2 } from "./apache_2_8_2.ts";

/** An inclusive version range; `min > max` is empty ("none"). */
export interface Versions {
  readonly min: number;
  readonly max: number;
}

/** The empty range. */
export const NONE: Versions = { min: 1, max: 0 };

/** Kafka's primitive field types. */
export type Primitive =
  | "bool"
  | "int8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "float64"
  | "string"
  | "bytes"
  | "records"
  | "uuid";

const PRIMITIVES = new Set<string>([
  "bool",
  "int8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "float64",
  "string",
  "bytes",
  "records",
  "uuid",
]);

/** A field's type: a primitive, an array of something, or a struct. */
export type FieldType =
  | { readonly kind: "primitive"; readonly name: Primitive }
  | { readonly kind: "array"; readonly element: FieldType }
  | { readonly kind: "struct"; readonly struct: StructSpec };

/** One field of a struct, as the schema declares it. */
export interface FieldSpec {
  /** The schema's name (PascalCase). */
  readonly name: string;
  /** The TypeScript property name (camelCase). */
  readonly property: string;
  readonly type: FieldType;
  /** Versions the field exists in. */
  readonly versions: Versions;
  /** Versions in which it may be null. */
  readonly nullableVersions: Versions;
  /** Versions in which it is a tagged field (then `tag` is set). */
  readonly taggedVersions: Versions;
  readonly tag: number | undefined;
  /** The schema's default, as written there (undefined: the type's zero value). */
  readonly default: string | undefined;
  /** A per-field override of the message's flexible versions (RequestHeader's ClientId). */
  readonly flexibleVersions: Versions | undefined;
  readonly about: string;
}

/** A struct: the message itself, an inline struct, or one of its common structs. */
export interface StructSpec {
  /** The schema's name for it. */
  readonly name: string;
  readonly fields: readonly FieldSpec[];
}

/** One request, response or header schema. */
export interface MessageSpec {
  readonly apiKey: number | undefined;
  readonly type: "request" | "response" | "header";
  readonly name: string;
  readonly validVersions: Versions;
  readonly flexibleVersions: Versions;
  readonly struct: StructSpec;
}

/** Parses "3", "3+", "0-7" or "none". */
export function parseVersions(s: string | undefined, what: string): Versions {
  if (s === undefined || s === "none") return NONE;
  let m = /^(\d+)\+$/.exec(s);
  if (m) return { min: Number(m[1]), max: Infinity };
  m = /^(\d+)-(\d+)$/.exec(s);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  if (/^\d+$/.test(s)) return { min: Number(s), max: Number(s) };
  throw new Error(`${what}: bad version range ${JSON.stringify(s)}`);
}

/** The overlap of two ranges. */
export function intersect(a: Versions, b: Versions): Versions {
  const r = { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
  return r.min > r.max ? NONE : r;
}

/** Whether version v is in the range. */
export function contains(r: Versions, v: number): boolean {
  return v >= r.min && v <= r.max;
}

/** Removes `//` comments outside strings: Kafka's schema files are JSON with comments. */
export function stripComments(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else out += c;
  }
  return out;
}

interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  flexibleVersions?: string;
  about?: string;
  fields?: RawField[];
}

interface RawMessage {
  apiKey?: number;
  type: "request" | "response" | "header";
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: RawField[];
  commonStructs?: { name: string; versions?: string; fields: RawField[] }[];
}

function camel(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

/** Parses one schema file's text into the model. */
export function parseMessage(text: string, file: string): MessageSpec {
  const raw = JSON.parse(stripComments(text)) as RawMessage;
  const common = new Map<string, RawField[]>();
  for (const s of raw.commonStructs ?? []) common.set(s.name, s.fields);
  const structs = new Map<string, StructSpec>();

  const structOf = (name: string, fields: RawField[] | undefined, where: string): StructSpec => {
    const known = structs.get(name);
    if (known && fields === undefined) return known;
    const defs = fields ?? common.get(name);
    if (!defs) throw new Error(`${file}: ${where}: unknown struct type ${name}`);
    const s: StructSpec = { name, fields: defs.map((f) => fieldOf(f, `${where}.${f.name}`)) };
    structs.set(name, s);
    return s;
  };

  const typeOf = (t: string, f: RawField, where: string): FieldType => {
    if (t.startsWith("[]")) return { kind: "array", element: typeOf(t.slice(2), f, where) };
    if (PRIMITIVES.has(t)) return { kind: "primitive", name: t as Primitive };
    return { kind: "struct", struct: structOf(t, f.fields, where) };
  };

  const fieldOf = (f: RawField, where: string): FieldSpec => ({
    name: f.name,
    property: camel(f.name),
    type: typeOf(f.type, f, where),
    versions: parseVersions(f.versions, where),
    nullableVersions: parseVersions(f.nullableVersions, where),
    taggedVersions: parseVersions(f.taggedVersions, where),
    tag: f.tag,
    default: f.default === undefined ? undefined : String(f.default),
    flexibleVersions: f.flexibleVersions === undefined
      ? undefined
      : parseVersions(f.flexibleVersions, where),
    about: f.about ?? "",
  });

  return {
    apiKey: raw.apiKey,
    type: raw.type,
    name: raw.name,
    validVersions: parseVersions(raw.validVersions, file),
    flexibleVersions: parseVersions(raw.flexibleVersions, file),
    struct: { name: raw.name, fields: raw.fields.map((f) => fieldOf(f, f.name)) },
  };
}

/**
 * Reads and parses a schema file, without the fields Kafka 2.8.2 does not have and with 2.8.2's
 * defaults where they changed since (apache_2_8_2.ts).
 */
export function loadMessage(path: string): MessageSpec {
  const m = parseMessage(Deno.readTextFileSync(path), path.replace(/.*\//, ""));
  const seen = new Set<StructSpec>();
  const visit = (s: StructSpec): void => {
    if (seen.has(s)) return;
    seen.add(s);
    for (const f of s.fields) {
      const d = DEFAULTS_IN_2_8_2.find((d) => d.struct === s.name && d.field === f.name);
      // Freshly parsed, so changing it in place touches no one else's model.
      if (d) (f as { default: string | undefined }).default = d.default;
      let t = f.type;
      while (t.kind === "array") t = t.element;
      if (t.kind === "struct") visit(t.struct);
    }
  };
  visit(m.struct);
  const drop = FIELDS_NOT_IN_2_8_2.filter((d) => d.message === m.name).map((d) => d.field);
  if (drop.length === 0) return m;
  for (const f of drop) {
    if (!m.struct.fields.some((x) => x.name === f)) {
      throw new Error(`${m.name}.${f}: no such field`);
    }
  }
  const fields = m.struct.fields.filter((f) => !drop.includes(f.name));
  return { ...m, struct: { ...m.struct, fields } };
}

/** The spec directory inside the repo (tests and the generator read only this copy). */
export const SPEC_DIR: string = new URL("../spec/", import.meta.url).pathname;

/** Finds the request and response schemas of every API key in the spec directory. */
export function loadApiSchemas(): Map<number, { request: MessageSpec; response: MessageSpec }> {
  const byKey = new Map<number, { request?: MessageSpec; response?: MessageSpec }>();
  for (const e of [...Deno.readDirSync(SPEC_DIR)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.name.endsWith(".json")) continue;
    const m = loadMessage(SPEC_DIR + e.name);
    if (m.apiKey === undefined || m.type === "header") continue;
    const entry = byKey.get(m.apiKey) ?? {};
    entry[m.type] = m;
    byKey.set(m.apiKey, entry);
  }
  const out = new Map<number, { request: MessageSpec; response: MessageSpec }>();
  for (const [k, e] of byKey) {
    if (!e.request || !e.response) throw new Error(`api key ${k}: request or response missing`);
    out.set(k, { request: e.request, response: e.response });
  }
  return out;
}

/** Whether range a covers range b (an empty b is covered by anything). */
export function covers(a: Versions, b: Versions): boolean {
  return b.min > b.max || (a.min <= b.min && a.max >= b.max);
}

/** The smallest range holding both. */
export function hull(a: Versions, b: Versions): Versions {
  if (a.min > a.max) return b;
  if (b.min > b.max) return a;
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/**
 * The versions in which each struct of a message can be read or written (the versions of the
 * fields that lead to it, within the message's range): the generator simplifies version checks
 * against them, and the tests fill exactly the fields a struct can carry.
 */
export function structContexts(msg: MessageSpec, range: Versions): Map<StructSpec, Versions> {
  const out = new Map<StructSpec, Versions>();
  const visit = (s: StructSpec, ctx: Versions): void => {
    if (ctx.min > ctx.max) return;
    const prev = out.get(s);
    const next = prev ? hull(prev, ctx) : ctx;
    if (prev && prev.min === next.min && prev.max === next.max) return;
    out.set(s, next);
    for (const f of s.fields) {
      const inner = intersect(f.versions, next);
      let t = f.type;
      while (t.kind === "array") t = t.element;
      if (t.kind === "struct") visit(t.struct, inner);
    }
  };
  visit(msg.struct, range);
  return out;
}

/** Whether the range holds no version. */
export function isEmpty(r: Versions): boolean {
  return r.min > r.max;
}
