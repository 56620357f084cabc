import assert from "node:assert/strict";
import {
  type FieldSpec,
  intersect,
  isEmpty,
  loadApiSchemas,
  structContexts,
  type StructSpec,
  type Versions,
} from "./schema.ts";
import { DEFAULTS_IN_2_8_2 } from "./apache_2_8_2.ts";
import { APACHE_2_8_2_APIS } from "../versions.ts";

const FIXTURE = new URL("../fixtures/apache-2.8.2-defaults.txt", import.meta.url).pathname;

/** Splits `a=1, b=X(c=2), d='x, y'` at its top-level commas. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  let quoted = false;
  for (const c of s) {
    if (c === "'") quoted = !quoted;
    if (!quoted && (c === "(" || c === "[")) depth++;
    if (!quoted && (c === ")" || c === "]")) depth--;
    if (!quoted && depth === 0 && c === ",") {
      out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * A struct's defaults as a sorted list of values, without field names (2.8.2 named some fields
 * differently): Java's `Name(a=1, b='')` becomes `('',1)`.
 */
function fromJava(v: string): string {
  const m = /^[A-Za-z0-9]+\((.*)\)$/s.exec(v);
  if (m) {
    return `(${splitTop(m[1]).map((p) => fromJava(p.slice(p.indexOf("=") + 1))).sort().join(",")})`;
  }
  return /^-?\d+(\.\d+)?$/.test(v) ? String(Number(v)) : v;
}

function fieldDefault(f: FieldSpec, ctxs: Map<StructSpec, Versions>): string {
  const d = f.default;
  const t = f.type;
  if (t.kind === "array") return d === "null" ? "null" : "[]";
  if (t.kind === "struct") return structDefaults(t.struct, ctxs);
  switch (t.name) {
    case "bool":
      return d === "true" ? "true" : "false";
    case "string":
      return d === "null" ? "null" : `'${d ?? ""}'`;
    case "bytes":
      return d === "null" ? "null" : "[]";
    case "records":
      return "null";
    case "uuid":
      return "AAAAAAAAAAAAAAAAAAAAAA";
    default:
      return String(d === undefined || d === "" ? 0 : Number(d));
  }
}

function structDefaults(s: StructSpec, ctxs: Map<StructSpec, Versions>): string {
  const ctx = ctxs.get(s)!;
  const values = s.fields.filter((f) => !isEmpty(intersect(f.versions, ctx)))
    .map((f) => fieldDefault(f, ctxs));
  return `(${values.sort().join(",")})`;
}

Deno.test("every struct's defaults are 2.8.2's (its default-constructed classes)", () => {
  const java = new Map<string, string[]>();
  for (const line of Deno.readTextFileSync(FIXTURE).trim().split("\n")) {
    const [key, direction, _class, ...rest] = line.split(" ");
    const k = `${key} ${direction}`;
    java.set(k, [...(java.get(k) ?? []), fromJava(rest.join(" "))]);
  }
  const schemas = loadApiSchemas();
  const wrong: string[] = [];
  for (const a of APACHE_2_8_2_APIS) {
    for (const direction of ["request", "response"] as const) {
      const spec = schemas.get(a.apiKey)![direction];
      const ctxs = structContexts(spec, { min: a.minVersion, max: a.maxVersion });
      const ours = [...ctxs.keys()].map((s) => structDefaults(s, ctxs)).sort();
      const theirs = (java.get(`${a.apiKey} ${direction}`) ?? []).sort();
      if (ours.join("\n") !== theirs.join("\n")) {
        wrong.push(
          `${a.name} ${direction}\n  ours:  ${ours.join(" ")}\n  2.8.2: ${theirs.join(" ")}`,
        );
      }
    }
  }
  assert.deepStrictEqual(wrong, []);
});

Deno.test("each 2.8.2 default override names a field the schemas have", () => {
  const names = new Set<string>();
  const visit = (s: StructSpec): void => {
    for (const f of s.fields) {
      names.add(`${s.name}.${f.name}`);
      let t = f.type;
      while (t.kind === "array") t = t.element;
      if (t.kind === "struct") visit(t.struct);
    }
  };
  for (const { request, response } of loadApiSchemas().values()) {
    visit(request.struct);
    visit(response.struct);
  }
  for (const d of DEFAULTS_IN_2_8_2) assert.ok(names.has(`${d.struct}.${d.field}`), d.field);
});
