/**
 * Seeded random messages built from the schemas, for the codec round-trip tests: every field a
 * version carries gets a random value of its type (null where that version allows it), fields the
 * version lacks get their schema default (what a decoder returns for them), and flexible structs
 * sometimes carry unknown tagged fields, which a codec must keep.
 *
 * @module
 */
import {
  contains,
  type FieldSpec,
  type FieldType,
  intersect,
  isEmpty,
  type MessageSpec,
  structContexts,
  type StructSpec,
  type Versions,
} from "./gen/schema.ts";
import { uuidToString, ZERO_UUID } from "./uuid.ts";

/** A small seeded PRNG (mulberry32): the same seed gives the same messages on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.next() / 2 ** 32) * (hi - lo + 1));
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }
}

const CHARS = ["a", "Z", "0", "-", ".", "_", " ", "é", "节", "😀"];

type Value = unknown;

/** What a message's structs need to know while building one: their contexts and flexibility. */
interface Model {
  readonly ctxs: Map<StructSpec, Versions>;
  readonly flexible: Versions;
  /** Whether a struct can be flexible in its context (then it has unknownTaggedFields). */
  readonly flexCapable: Map<StructSpec, boolean>;
}

/** The value a decoder gives a field its version does not carry. */
function defaultValue(f: FieldSpec, model: Model): Value {
  const d = f.default;
  const t = f.type;
  if (t.kind === "array") return d === "null" ? null : [];
  if (t.kind === "struct") return defaultStruct(t.struct, model);
  switch (t.name) {
    case "bool":
      return d === "true";
    case "string":
      return d === "null" ? null : (d ?? "");
    case "bytes":
      return d === "null" ? null : new Uint8Array(0);
    case "records":
      return null;
    case "uuid":
      return ZERO_UUID;
    default:
      return d === undefined || d === "" ? 0 : Number(d);
  }
}

function defaultStruct(s: StructSpec, model: Model): Record<string, Value> {
  const ctx = model.ctxs.get(s)!;
  const out: Record<string, Value> = {};
  for (const f of s.fields) {
    if (!isEmpty(intersect(f.versions, ctx))) out[f.property] = defaultValue(f, model);
  }
  if (model.flexCapable.get(s)) out.unknownTaggedFields = undefined;
  return out;
}

function randomPrimitive(name: string, rng: Rng): Value {
  switch (name) {
    case "bool":
      return rng.chance(0.5);
    case "int8":
      return rng.int(-128, 127);
    case "int16":
      return rng.int(-32768, 32767);
    case "uint16":
      return rng.int(0, 65535);
    case "int32":
      return rng.chance(0.2) ? -1 : rng.int(-(2 ** 31), 2 ** 31 - 1);
    case "uint32":
      return rng.int(0, 2 ** 32 - 1);
    case "int64": {
      const k = rng.int(0, 3);
      if (k === 0) return -1;
      if (k === 1) return rng.int(0, 1000);
      // Up to ±2^53 - 1: the int64 range herd carries exactly.
      const hi = rng.int(-(2 ** 21), 2 ** 21 - 1);
      const v = hi * 2 ** 32 + rng.next();
      return Number.isSafeInteger(v) ? v : 2 ** 53 - 1;
    }
    case "float64":
      return (rng.next() - 2 ** 31) / rng.int(1, 1000);
    case "string": {
      let s = "";
      for (let i = rng.int(0, 12); i > 0; i--) s += CHARS[rng.int(0, CHARS.length - 1)];
      return s;
    }
    case "bytes":
    case "records": {
      const b = new Uint8Array(rng.int(0, 40));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(0, 255);
      return b;
    }
    case "uuid": {
      const b = new Uint8Array(16);
      for (let i = 0; i < 16; i++) b[i] = rng.int(0, 255);
      return uuidToString(b, 0);
    }
  }
  throw new Error(`no generator for ${name}`);
}

function randomOf(t: FieldType, v: number, rng: Rng, model: Model): Value {
  if (t.kind === "array") {
    const a: Value[] = [];
    for (let i = rng.int(0, 3); i > 0; i--) a.push(randomOf(t.element, v, rng, model));
    return a;
  }
  if (t.kind === "struct") return randomStruct(t.struct, v, rng, model);
  return randomPrimitive(t.name, rng);
}

function randomStruct(s: StructSpec, v: number, rng: Rng, model: Model): Record<string, Value> {
  const ctx = model.ctxs.get(s)!;
  const out: Record<string, Value> = {};
  let maxTag = -1;
  for (const f of s.fields) {
    if (isEmpty(intersect(f.versions, ctx))) continue;
    if (f.tag !== undefined) maxTag = Math.max(maxTag, f.tag);
    if (!contains(f.versions, v)) {
      out[f.property] = defaultValue(f, model);
    } else if (contains(f.taggedVersions, v) && rng.chance(0.3)) {
      out[f.property] = defaultValue(f, model);
    } else if (contains(f.nullableVersions, v) && rng.chance(0.2)) {
      out[f.property] = null;
    } else {
      out[f.property] = randomOf(f.type, v, rng, model);
    }
  }
  if (model.flexCapable.get(s)) {
    out.unknownTaggedFields = undefined;
    if (contains(model.flexible, v) && rng.chance(0.3)) {
      // Tags past every known one, ascending, as a newer peer would send them.
      const raw = [];
      let tag = maxTag + 1 + rng.int(0, 3);
      for (let i = rng.int(1, 2); i > 0; i--) {
        raw.push({ tag, data: randomPrimitive("bytes", rng) as Uint8Array });
        tag += rng.int(1, 200);
      }
      out.unknownTaggedFields = raw;
    }
  }
  return out;
}

/**
 * A random message of `spec` at version v, for a codec serving `range`: exactly the object its
 * decoder must return after encoding it.
 */
export function randomMessage(
  spec: MessageSpec,
  range: Versions,
  v: number,
  rng: Rng,
): Record<string, Value> {
  const ctxs = structContexts(spec, range);
  const flexCapable = new Map<StructSpec, boolean>();
  for (const [s, ctx] of ctxs) flexCapable.set(s, !isEmpty(intersect(spec.flexibleVersions, ctx)));
  return randomStruct(spec.struct, v, rng, { ctxs, flexible: spec.flexibleVersions, flexCapable });
}
