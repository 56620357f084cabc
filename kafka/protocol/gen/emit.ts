/**
 * Writes one TypeScript codec module from message schemas: an interface per struct, and a read
 * and a write function per struct that take the version as a parameter and branch only where the
 * schema says a field, its nullability or the encoding (flexible versions: compact lengths and
 * tagged fields) changes. Checks are simplified against the versions a struct can occur in, so a
 * field present in every served version costs no branch.
 *
 * @module
 */
import {
  covers,
  type FieldSpec,
  type FieldType,
  intersect,
  isEmpty,
  type MessageSpec,
  NONE,
  type Primitive,
  structContexts,
  type StructSpec,
  type Versions,
} from "./schema.ts";
import { choose, type Cond, cond, elementOf, guard, local, NUMERIC, pick } from "./_emit_parts.ts";

/** One message a module holds, and the names its exported functions take. */
export interface ModuleMessage {
  readonly spec: MessageSpec;
  /** The versions served (a subset of the schema's valid versions). */
  readonly range: Versions;
  /** The top-level interface's name. */
  readonly typeName: string;
  /** Exported function names. */
  readonly decodeName: string;
  readonly encodeName: string;
  /** What error messages call it ("Produce request"). */
  readonly label: string;
}

/** Emits the codec module's body (imports included) for the given messages. */
export class ModuleEmitter {
  private readonly names = new Map<StructSpec, string>();
  private readonly used = new Set<string>();
  private readonly needDefault = new Set<StructSpec>();
  private readonly needIsDefault = new Set<StructSpec>();
  private readonly imports = new Set<string>();
  private ctx = new Map<StructSpec, Versions>();
  private flexible: Versions = NONE;
  private readonly chunks: string[] = [];
  private usesTags = false;

  constructor(private readonly messages: readonly ModuleMessage[]) {}

  /** The module's text (unformatted: the generator runs `deno fmt` over it). */
  emit(header: string): string {
    for (const m of this.messages) this.emitMessage(m);
    const runtime = [...this.imports].sort();
    return [
      header,
      `import { KafkaProtocolError } from "../errors.ts";`,
      `import type { KafkaReader } from "../reader.ts";`,
      `import type { KafkaWriter } from "../writer.ts";`,
      this.usesTags ? `import type { RawTaggedField } from "../tagged.ts";` : "",
      runtime.length ? `import { ${runtime.join(", ")} } from "../_codec.ts";` : "",
      "",
      ...this.chunks,
    ].join("\n");
  }

  private nameOf(s: StructSpec, top: string): string {
    const known = this.names.get(s);
    if (known) return known;
    let name = s.name;
    if (this.used.has(name)) name = `${top}${s.name}`;
    if (this.used.has(name)) throw new Error(`struct name ${name} is used twice`);
    this.used.add(name);
    this.names.set(s, name);
    return name;
  }

  private emitMessage(m: ModuleMessage): void {
    this.ctx = structContexts(m.spec, m.range);
    this.flexible = m.spec.flexibleVersions;
    this.names.set(m.spec.struct, m.typeName);
    this.used.add(m.typeName);
    const structs: StructSpec[] = [];
    const walk = (s: StructSpec): void => {
      if (structs.includes(s)) return;
      structs.push(s);
      this.nameOf(s, m.typeName);
      const ctx = this.ctx.get(s)!;
      for (const f of s.fields) {
        const inCtx = intersect(f.versions, ctx);
        if (inCtx.min > inCtx.max) continue;
        const e = elementOf(f.type);
        if (e.kind === "struct") {
          walk(e.struct);
          if (f.type.kind === "struct") {
            this.needDefault.add(e.struct);
            if (!isEmpty(intersect(f.taggedVersions, ctx))) this.needIsDefault.add(e.struct);
          }
        }
      }
    };
    walk(m.spec.struct);
    for (const s of structs) this.emitInterface(s, s === m.spec.struct ? m : undefined);
    for (const s of structs) {
      if (this.needDefault.has(s)) this.emitDefault(s);
      if (this.needIsDefault.has(s)) this.emitIsDefault(s);
      this.emitRead(s);
      this.emitWrite(s);
    }
    const t = m.typeName;
    const lo = m.range.min;
    const hi = m.range.max;
    this.chunks.push(
      `/** Decodes a ${m.label} body of the given version (${lo}–${hi}). */`,
      `export function ${m.decodeName}(r: KafkaReader, version: number): ${t} {`,
      `if (version < ${lo} || version > ${hi}) {`,
      `throw new KafkaProtocolError(\`${m.label} version \${version} is not supported (${lo}–${hi})\`);`,
      `}`,
      `return read${t}(r, version);`,
      `}`,
      "",
      `/** Encodes a ${m.label} body at the given version (${lo}–${hi}). */`,
      `export function ${m.encodeName}(w: KafkaWriter, message: ${t}, version: number): void {`,
      `if (version < ${lo} || version > ${hi}) {`,
      `throw new KafkaProtocolError(\`${m.label} version \${version} is not supported (${lo}–${hi})\`);`,
      `}`,
      `write${t}(w, message, version);`,
      `}`,
      "",
    );
  }

  /** Fields a struct carries in its context, tagged ones last in tag order. */
  private fieldsOf(s: StructSpec): { plain: FieldSpec[]; tagged: FieldSpec[]; ctx: Versions } {
    const ctx = this.ctx.get(s)!;
    const plain: FieldSpec[] = [];
    const tagged: FieldSpec[] = [];
    for (const f of s.fields) {
      const inCtx = intersect(f.versions, ctx);
      if (inCtx.min > inCtx.max) continue;
      const t = intersect(f.taggedVersions, ctx);
      if (t.min <= t.max) {
        if (f.tag === undefined || !covers(t, inCtx)) {
          throw new Error(`${s.name}.${f.name}: tagged in only some of its versions`);
        }
        tagged.push(f);
      } else plain.push(f);
    }
    tagged.sort((a, b) => a.tag! - b.tag!);
    return { plain, tagged, ctx };
  }

  private flexCond(s: StructSpec): Cond {
    return cond(this.flexible, this.ctx.get(s)!);
  }

  private nullable(f: FieldSpec, ctx: Versions): boolean {
    const i = intersect(f.nullableVersions, intersect(f.versions, ctx));
    return i.min <= i.max;
  }

  private tsType(f: FieldSpec, ctx: Versions): string {
    const base = (t: FieldType): string => {
      if (t.kind === "array") return `${base(t.element)}[]`;
      if (t.kind === "struct") return this.names.get(t.struct)!;
      if (NUMERIC.has(t.name)) return "number";
      if (t.name === "bool") return "boolean";
      if (t.name === "bytes" || t.name === "records") return "Uint8Array";
      return "string";
    };
    const b = base(f.type);
    return this.nullable(f, ctx) ? `${b} | null` : b;
  }

  private isOptional(f: FieldSpec, ctx: Versions): boolean {
    return !covers(f.versions, ctx) || !isEmpty(intersect(f.taggedVersions, ctx));
  }

  private defaultOf(f: FieldSpec, ctx: Versions): string {
    const d = f.default;
    const t = f.type;
    if (t.kind === "array") return d === "null" ? "null" : "[]";
    if (t.kind === "struct") return `default${this.names.get(t.struct)}()`;
    switch (t.name) {
      case "bool":
        return d === "true" ? "true" : "false";
      case "string":
        return d === "null" ? "null" : JSON.stringify(d ?? "");
      case "bytes":
        if (d === "null") return "null";
        this.imports.add("EMPTY_BYTES");
        return "EMPTY_BYTES";
      case "records":
        if (this.nullable(f, ctx)) return "null";
        this.imports.add("EMPTY_BYTES");
        return "EMPTY_BYTES";
      case "uuid":
        this.imports.add("ZERO_UUID");
        return "ZERO_UUID";
      default: {
        const n = d === undefined || d === "" ? 0 : Number(d);
        if (!Number.isFinite(n)) throw new Error(`${f.name}: bad default ${d}`);
        return String(n);
      }
    }
  }

  /** `m.x`, or its default when the caller may leave it out. */
  private valueOf(f: FieldSpec, ctx: Versions): string {
    const p = `m.${f.property}`;
    if (!this.isOptional(f, ctx)) return p;
    const d = this.defaultOf(f, ctx);
    if (this.nullable(f, ctx) && d !== "null") return `(${p} === undefined ? ${d} : ${p})`;
    return `(${p} ?? ${d})`;
  }

  private emitInterface(s: StructSpec, top: ModuleMessage | undefined): void {
    const { plain, tagged, ctx } = this.fieldsOf(s);
    const name = this.names.get(s)!;
    const lines: string[] = [];
    lines.push(
      top
        ? `/** ${top.label} (versions ${top.range.min}–${top.range.max}). */`
        : `/** ${s.name} (in versions ${ctx.min}–${ctx.max}). */`,
    );
    lines.push(`export interface ${name} {`);
    for (const f of [...plain, ...tagged]) {
      const inCtx = intersect(f.versions, ctx);
      const notes: string[] = [];
      if (!covers(f.versions, ctx)) notes.push(`versions ${inCtx.min}–${inCtx.max}`);
      if (f.tag !== undefined && tagged.includes(f)) notes.push(`tag ${f.tag}`);
      const about = (f.about || f.name).replace(/\*\//g, "* /");
      lines.push(`/** ${about}${notes.length ? ` (${notes.join(", ")})` : ""} */`);
      const opt = this.isOptional(f, ctx) ? "?" : "";
      lines.push(`${f.property}${opt}: ${this.tsType(f, ctx)};`);
    }
    if (this.flexCond(s) !== "false") {
      this.usesTags = true;
      lines.push("/** Tagged fields this codec does not know, kept as they came. */");
      lines.push("unknownTaggedFields?: RawTaggedField[];");
    }
    lines.push("}", "");
    this.chunks.push(lines.join("\n"));
  }

  private emitDefault(s: StructSpec): void {
    const { plain, tagged, ctx } = this.fieldsOf(s);
    const name = this.names.get(s)!;
    const props = [...plain, ...tagged].map((f) => `${f.property}: ${this.defaultOf(f, ctx)}`);
    if (this.flexCond(s) !== "false") props.push("unknownTaggedFields: undefined");
    this.chunks.push(
      `function default${name}(): ${name} {`,
      `return { ${props.join(", ")} };`,
      "}",
      "",
    );
  }

  private emitIsDefault(s: StructSpec): void {
    const { plain, tagged, ctx } = this.fieldsOf(s);
    const name = this.names.get(s)!;
    const checks = [...plain, ...tagged].map((f) =>
      this.isDefaultExpr(f, ctx, this.valueOf(f, ctx))
    );
    if (this.flexCond(s) !== "false") {
      checks.push("(m.unknownTaggedFields === undefined || m.unknownTaggedFields.length === 0)");
    }
    this.chunks.push(
      `function isDefault${name}(m: ${name}): boolean {`,
      `return ${checks.join(" &&\n")};`,
      "}",
      "",
    );
  }

  private isDefaultExpr(f: FieldSpec, ctx: Versions, value: string): string {
    const d = this.defaultOf(f, ctx);
    const t = f.type;
    if (t.kind === "struct") return `isDefault${this.names.get(t.struct)}(${value})`;
    if (d === "null") return `${value} === null`;
    if (t.kind === "array" || d === "EMPTY_BYTES") {
      return this.nullable(f, ctx)
        ? `(${value} !== null && ${value}.length === 0)`
        : `${value}.length === 0`;
    }
    return `${value} === ${d}`;
  }

  /** An expression reading one primitive. */
  private readPrimitive(p: Primitive, flex: Cond, nul: Cond): string {
    switch (p) {
      case "string":
        return pick(
          flex,
          pick(nul, "r.compactNullableString()", "r.compactString()"),
          pick(nul, "r.nullableString()", "r.string()"),
        );
      case "bytes":
      case "records":
        return pick(
          flex,
          pick(nul, "r.compactNullableBytes()", "r.compactBytes()"),
          pick(nul, "r.nullableBytes()", "r.bytes()"),
        );
      default:
        return `r.${p}()`;
    }
  }

  /** A statement writing one primitive. */
  private writePrimitive(p: Primitive, flex: Cond, nul: Cond, x: string, cast = false): string {
    const y = (t: string) => (cast ? `${x} as ${t}` : x);
    switch (p) {
      case "string":
        return choose(
          flex,
          choose(nul, `w.compactNullableString(${x});`, `w.compactString(${y("string")});`),
          choose(nul, `w.nullableString(${x});`, `w.string(${y("string")});`),
        );
      case "bytes":
      case "records":
        return choose(
          flex,
          choose(nul, `w.compactNullableBytes(${x});`, `w.compactBytes(${y("Uint8Array")});`),
          choose(nul, `w.nullableBytes(${x});`, `w.bytes(${y("Uint8Array")});`),
        );
      default:
        return `w.${p}(${x});`;
    }
  }

  private readElement(t: FieldType, flex: Cond): string {
    if (t.kind === "struct") return `read${this.names.get(t.struct)}(r, v)`;
    if (t.kind === "array") throw new Error("arrays of arrays are not in Kafka's protocol");
    return this.readPrimitive(t.name, flex, "false");
  }

  private writeElement(t: FieldType, flex: Cond, x: string): string {
    if (t.kind === "struct") return `write${this.names.get(t.struct)}(w, ${x}, v);`;
    if (t.kind === "array") throw new Error("arrays of arrays are not in Kafka's protocol");
    return this.writePrimitive(t.name, flex, "false", x);
  }

  /** Field-level flexibility: the message's, unless the field overrides it. */
  private fieldFlex(f: FieldSpec, inCtx: Versions, structFlex: Cond): Cond {
    const c = cond(f.flexibleVersions ?? this.flexible, inCtx);
    return c === "true" || c === "false" ? c : f.flexibleVersions ? c : structFlex;
  }

  /** Statements that read field f into the variable `target` (already declared). */
  private readField(f: FieldSpec, ctx: Versions, flex: Cond, target: string): string {
    const inCtx = intersect(f.versions, ctx);
    const nul = cond(f.nullableVersions, inCtx);
    const t = f.type;
    if (t.kind !== "array") {
      const expr = t.kind === "struct"
        ? `read${this.names.get(t.struct)}(r, v)`
        : this.readPrimitive(t.name, flex, nul);
      return `${target} = ${expr};`;
    }
    const el = t.element;
    const elType = el.kind === "struct"
      ? this.names.get(el.struct)!
      : el.kind === "primitive" && NUMERIC.has(el.name)
      ? "number"
      : el.kind === "primitive" && el.name === "bool"
      ? "boolean"
      : "string";
    const onNull = nul === "false"
      ? `throw new KafkaProtocolError("non-nullable field ${f.name} was serialized as null");`
      : choose(
        nul,
        `${target} = null;`,
        `throw new KafkaProtocolError("non-nullable field ${f.name} was serialized as null");`,
      );
    return [
      "{",
      `const n = r.arrayLength(${flex});`,
      `if (n < 0) {`,
      onNull,
      `} else {`,
      `const a: ${elType}[] = [];`,
      `for (let i = 0; i < n; i++) a.push(${this.readElement(el, flex)});`,
      `${target} = a;`,
      "}",
      "}",
    ].join("\n");
  }

  /** Statements that write the value x of field f. */
  private writeField(f: FieldSpec, ctx: Versions, flex: Cond, x: string): string {
    const inCtx = intersect(f.versions, ctx);
    const nul = cond(f.nullableVersions, inCtx);
    const t = f.type;
    if (t.kind === "struct") return `write${this.names.get(t.struct)}(w, ${x}, v);`;
    if (t.kind === "primitive") {
      return this.writePrimitive(t.name, flex, nul, x, this.nullable(f, ctx));
    }
    const lines = ["{", `const a = ${x};`];
    const nullError = `throw new KafkaProtocolError("non-nullable field ${f.name} is null");`;
    const body = [
      `w.arrayLength(a.length, ${flex});`,
      `for (let i = 0; i < a.length; i++) {`,
      this.writeElement(t.element, flex, "a[i]"),
      "}",
    ].join("\n");
    if (this.nullable(f, ctx)) {
      lines.push(
        "if (a === null) {",
        choose(nul, `w.arrayLength(-1, ${flex});`, nullError),
        "} else {",
        body,
        "}",
      );
    } else lines.push(body);
    lines.push("}");
    return lines.join("\n");
  }

  private emitRead(s: StructSpec): void {
    const { plain, tagged, ctx } = this.fieldsOf(s);
    const name = this.names.get(s)!;
    const sflex = this.flexCond(s);
    const flexVar = sflex === "true" || sflex === "false" ? sflex : "flex";
    const body: string[] = [];
    if (flexVar === "flex") body.push(`const flex = ${sflex};`);
    for (const f of plain) {
      const inCtx = intersect(f.versions, ctx);
      const c = cond(f.versions, ctx);
      const flex = this.fieldFlex(f, inCtx, flexVar);
      const v = local(f);
      const type = this.tsType(f, ctx);
      if (c === "true" && f.type.kind !== "array") {
        body.push(this.readField(f, ctx, flex, `const ${v}: ${type}`));
      } else if (c === "true") {
        body.push(`let ${v}: ${type};`, this.readField(f, ctx, flex, v));
      } else {
        body.push(
          `let ${v}: ${type} = ${this.defaultOf(f, ctx)};`,
          guard(c, this.readField(f, ctx, flex, v)),
        );
      }
    }
    for (const f of tagged) {
      body.push(`let ${local(f)}: ${this.tsType(f, ctx)} = ${this.defaultOf(f, ctx)};`);
    }
    const props = [...plain, ...tagged].map((f) =>
      local(f) === f.property ? f.property : `${f.property}: ${local(f)}`
    );
    if (sflex !== "false") {
      body.push("let unknownTaggedFields: RawTaggedField[] | undefined;");
      const loop: string[] = [
        "const nTags = r.uvarint();",
        "for (let t = 0; t < nTags; t++) {",
        "const tag = r.uvarint();",
        "const size = r.uvarint();",
      ];
      if (tagged.length === 0) {
        loop.push("(unknownTaggedFields ??= []).push({ tag, data: r.raw(size) });");
      } else {
        this.imports.add("checkTagEnd");
        loop.push("const end = r.pos + size;");
        let first = true;
        for (const f of tagged) {
          const tc = cond(f.taggedVersions, ctx);
          const test = tc === "true" ? `tag === ${f.tag}` : `tag === ${f.tag} && ${tc}`;
          loop.push(
            `${first ? "" : "} else "}if (${test}) {`,
            this.readField(f, ctx, "true", local(f)),
          );
          first = false;
        }
        loop.push(
          "} else {",
          "(unknownTaggedFields ??= []).push({ tag, data: r.raw(size) });",
          "continue;",
          "}",
          "checkTagEnd(r, end, tag);",
        );
      }
      loop.push("}");
      body.push(guard(flexVar, loop.join("\n")));
      props.push("unknownTaggedFields");
    }
    body.push(`return { ${props.join(", ")} };`);
    const text = body.join("\n");
    const vParam = /\bv\b/.test(text) ? "v" : "_v";
    this.chunks.push(
      `function read${name}(r: KafkaReader, ${vParam}: number): ${name} {`,
      text,
      "}",
      "",
    );
  }

  private emitWrite(s: StructSpec): void {
    const { plain, tagged, ctx } = this.fieldsOf(s);
    const name = this.names.get(s)!;
    const sflex = this.flexCond(s);
    const flexVar = sflex === "true" || sflex === "false" ? sflex : "flex";
    const body: string[] = [];
    if (flexVar === "flex") body.push(`const flex = ${sflex};`);
    for (const f of plain) {
      const inCtx = intersect(f.versions, ctx);
      const flex = this.fieldFlex(f, inCtx, flexVar);
      body.push(guard(cond(f.versions, ctx), this.writeField(f, ctx, flex, this.valueOf(f, ctx))));
    }
    if (sflex !== "false") {
      const tags: string[] = [];
      if (tagged.length === 0) {
        this.imports.add("writeUnknownTags");
        tags.push("writeUnknownTags(w, m.unknownTaggedFields);");
      } else {
        this.imports.add("writeRawTags");
        tags.push("const raw = m.unknownTaggedFields;");
        tags.push("let nTags = raw === undefined ? 0 : raw.length;");
        for (const f of tagged) {
          const x = local(f);
          const tc = cond(f.taggedVersions, ctx);
          // Left out means the default: nothing to write, and no default object to build.
          tags.push(`const ${x} = m.${f.property};`);
          const nonDefault = `${x} !== undefined && !(${this.isDefaultExpr(f, ctx, x)})`;
          tags.push(`const has_${x} = ${tc === "true" ? nonDefault : `${tc} && ${nonDefault}`};`);
          tags.push(`if (has_${x}) nTags++;`);
        }
        tags.push("w.uvarint(nTags);", "let ri = 0;");
        for (const f of tagged) {
          const x = local(f);
          tags.push(
            `if (has_${x}) {`,
            `ri = writeRawTags(w, raw, ri, ${f.tag});`,
            `const mk = w.beginTagged(${f.tag});`,
            this.writeField(f, ctx, "true", x),
            "w.endTagged(mk);",
            "}",
          );
        }
        tags.push("writeRawTags(w, raw, ri, Infinity);");
      }
      body.push(guard(flexVar, tags.join("\n")));
    }
    const text = body.join("\n");
    const vParam = /\bv\b/.test(text) ? "v" : "_v";
    const mParam = /\bm\b/.test(text) ? "m" : "_m";
    this.chunks.push(
      `function write${name}(w: KafkaWriter, ${mParam}: ${name}, ${vParam}: number): void {`,
      text,
      "}",
      "",
    );
  }
}
