/**
 * A message's wire layout at one version, spelled as Kafka's own Java types name it
 * (`{INT16,COMPACT_ARRAY({COMPACT_STRING,TAGS{}}),TAGS{0:INT64}}`): field types in order, struct
 * nesting, nullability, compact encodings and tagged fields, but no names. The tests compare it
 * with the layout Apache Kafka 2.8.2's own classes report (fixtures/apache-2.8.2-schemas.txt), so
 * a schema that changed since 2.8.2 cannot go unnoticed.
 *
 * @module
 */
import {
  contains,
  type FieldSpec,
  type FieldType,
  type MessageSpec,
  type StructSpec,
} from "./schema.ts";

const JAVA: Record<string, string> = {
  bool: "BOOLEAN",
  int8: "INT8",
  int16: "INT16",
  uint16: "UINT16",
  int32: "INT32",
  uint32: "UINT32",
  int64: "INT64",
  float64: "FLOAT64",
  uuid: "UUID",
};

function typeSig(t: FieldType, f: FieldSpec, v: number, flex: boolean, nullable: boolean): string {
  if (t.kind === "struct") return structSig(t.struct, v, flex);
  if (t.kind === "array") {
    const inner = typeSig(t.element, f, v, flex, false);
    return `${flex ? "COMPACT_" : ""}${nullable ? "NULLABLE_" : ""}ARRAY(${inner})`;
  }
  switch (t.name) {
    case "string":
      return `${flex ? "COMPACT_" : ""}${nullable ? "NULLABLE_" : ""}STRING`;
    case "bytes":
      return `${flex ? "COMPACT_" : ""}${nullable ? "NULLABLE_" : ""}BYTES`;
    case "records":
      return flex ? "COMPACT_RECORDS" : "RECORDS";
    default:
      return JAVA[t.name];
  }
}

function structSig(s: StructSpec, v: number, flex: boolean): string {
  const plain: string[] = [];
  const tagged: [number, string][] = [];
  for (const f of s.fields) {
    if (!contains(f.versions, v)) continue;
    const fflex = f.flexibleVersions ? contains(f.flexibleVersions, v) : flex;
    const sig = typeSig(f.type, f, v, fflex, contains(f.nullableVersions, v));
    if (contains(f.taggedVersions, v)) tagged.push([f.tag!, sig]);
    else plain.push(sig);
  }
  if (flex) {
    tagged.sort((a, b) => a[0] - b[0]);
    plain.push(`TAGS{${tagged.map(([t, s]) => `${t}:${s}`).join(",")}}`);
  }
  return `{${plain.join(",")}}`;
}

/** The wire layout of a message at version v. */
export function signature(m: MessageSpec, v: number): string {
  return structSig(m.struct, v, contains(m.flexibleVersions, v));
}
