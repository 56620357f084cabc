/**
 * Kafka 2.8's DefaultMessageFormatter: each record as `[CreateTime:ts<sep>][Partition:p<sep>]
 * [Offset:o<sep>][headers<sep>][key<sep>]value<line.separator>`, the fields chosen by
 * `--property print.*=true`, separated by key.separator (a tab), null keys and values printed as
 * null.literal ("null"), headers as `k:v` joined by headers.separator or `NO_HEADERS`.
 *
 * @module
 */
import type { ConsumerRecord } from "../../kafka/client/consumer.ts";

/** The formatter's settings, from `--property`. */
export interface FormatterOptions {
  printTimestamp: boolean;
  printKey: boolean;
  printOffset: boolean;
  printPartition: boolean;
  printHeaders: boolean;
  printValue: boolean;
  keySeparator: string;
  lineSeparator: string;
  headersSeparator: string;
  nullLiteral: string;
}

const isTrue = (v: string | undefined) => (v ?? "").trim().toLowerCase() === "true";

/** The settings `--property` pairs give (Kafka's defaults for the rest). */
export function formatterOptions(props: ReadonlyMap<string, string>): FormatterOptions {
  return {
    printTimestamp: isTrue(props.get("print.timestamp")),
    printKey: isTrue(props.get("print.key")),
    printOffset: isTrue(props.get("print.offset")),
    printPartition: isTrue(props.get("print.partition")),
    printHeaders: isTrue(props.get("print.headers")),
    printValue: props.has("print.value") ? isTrue(props.get("print.value")) : true,
    keySeparator: props.get("key.separator") ?? "\t",
    lineSeparator: props.get("line.separator") ?? "\n",
    headersSeparator: props.get("headers.separator") ?? ",",
    nullLiteral: props.get("null.literal") ?? "null",
  };
}

const decoder = new TextDecoder();

/**
 * One record as DefaultMessageFormatter writes it.
 *
 * @example
 * ```ts
 * import { formatRecord, formatterOptions } from "./formatter.ts";
 * const o = formatterOptions(new Map([["print.key", "true"]]));
 * const r = {
 *   topic: "t", partition: 0, offset: 0, timestamp: 1, timestampType: "CreateTime" as const,
 *   key: null, value: new TextEncoder().encode("v"), headers: [],
 * };
 * formatRecord(r, o); // "null\tv\n"
 * ```
 */
export function formatRecord(r: ConsumerRecord, o: FormatterOptions): string {
  const parts: string[] = [];
  if (o.printTimestamp) {
    parts.push(
      r.timestampType === "NoTimestampType" ? "NO_TIMESTAMP" : `${r.timestampType}:${r.timestamp}`,
    );
  }
  if (o.printPartition) parts.push(`Partition:${r.partition}`);
  if (o.printOffset) parts.push(`Offset:${r.offset}`);
  if (o.printHeaders) {
    parts.push(
      r.headers.length === 0
        ? "NO_HEADERS"
        : r.headers.map((h) =>
          `${h.key}:${h.value === null ? o.nullLiteral : decoder.decode(h.value)}`
        ).join(o.headersSeparator),
    );
  }
  if (o.printKey) parts.push(r.key === null ? o.nullLiteral : decoder.decode(r.key));
  if (o.printValue) parts.push(r.value === null ? o.nullLiteral : decoder.decode(r.value));
  // Each field but the last is followed by the key separator, the last by the line separator.
  return parts.length === 0 ? "" : parts.join(o.keySeparator) + o.lineSeparator;
}
