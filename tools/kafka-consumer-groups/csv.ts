/**
 * The CSV of `--reset-offsets --export` and `--from-file`, as Kafka 2.8.2 writes and reads it with
 * Jackson's CsvMapper (jackson-dataformat-csv 2.10): `topic,partition,offset` when the command
 * names exactly one `--group`, else `group,topic,partition,offset`; no header.
 *
 * Writing (CsvEncoder's default "loose" quoting): a value is quoted when it is longer than 24
 * characters or holds a character below `-` (space, `!`, `"`, `#`, `,` …), `"` doubled inside.
 *
 * Reading, line by line (the command splits the file at `\n`), the first line decides the format:
 * if it reads as `topic,partition,offset` and one group is named, every line is read so; else
 * every line as `group,topic,partition,offset`. Jackson's habits kept: a missing column is 0 (or
 * null for a name), numbers are trimmed and may carry a sign, an empty or `null` number is 0, one
 * trailing comma is allowed, `\r` ends a line, strings are not trimmed; its failures are its
 * exceptions with its messages (measured on 2.8.2, see csv_test.ts).
 *
 * @module
 */
import { JavaError } from "./java_error.ts";

/** One row of a reset plan. */
export interface CsvRow {
  group: string | null;
  topic: string | null;
  partition: number;
  offset: number;
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const MISMATCHED = "com.fasterxml.jackson.databind.exc.MismatchedInputException";
const INVALID_FORMAT = "com.fasterxml.jackson.databind.exc.InvalidFormatException";
const PARSE = "com.fasterxml.jackson.core.JsonParseException";
const MAPPING = "com.fasterxml.jackson.dataformat.csv.CsvMappingException";

/** One value as CsvEncoder writes it. */
export function csvValue(v: string | number): string {
  const s = String(v);
  let quote = s.length > 24;
  for (let i = 0; !quote && i < s.length; i++) quote = s.charCodeAt(i) < 0x2d;
  return quote ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The lines `--export` prints (each ending in `\n`), with or without the group column. */
export function csvRows(rows: readonly CsvRow[], withGroup: boolean): string {
  return rows.map((r) =>
    [...(withGroup ? [r.group ?? ""] : []), r.topic ?? "", r.partition, r.offset]
      .map(csvValue).join(",") + "\n"
  ).join("");
}

/**
 * The values of one line, one at a time as CsvParser hands them to the binder (so a bad number
 * is reported before a bad quote further on): quotes with `""` inside, a trailing comma giving
 * one last empty value (`quoted` false).
 */
function* tokens(
  line: string,
): Generator<{ value: string; quoted: boolean; last: boolean; start: number }> {
  const end = line.search(/[\r\n]/);
  if (end >= 0) line = line.slice(0, end);
  if (line === "") {
    throw new JavaError(
      MISMATCHED,
      "No content to map due to end-of-input" + at("UNKNOWN", -1, -1),
    );
  }
  let i = 0;
  for (;;) {
    let value = "";
    const start = i;
    const quoted = line[i] === '"';
    if (quoted) {
      i++;
      for (;;) {
        if (i >= line.length) {
          throw new JavaError(
            PARSE,
            "Missing closing quote for value" + at("UNKNOWN", 1, 2 * line.length + 1),
          );
        }
        if (line[i] === '"') {
          if (line[i + 1] !== '"') break;
          i++;
        }
        value += line[i++];
      }
      i++;
      if (i < line.length && line[i] !== ",") {
        const c = line[i];
        throw new JavaError(
          PARSE,
          `Unexpected character ('${c}' (code ${c.charCodeAt(0)})): Expected separator (',' ` +
            "(code 44)) or end-of-line" + at("(StringReader)", 1, i + 2),
        );
      }
    } else {
      const comma = line.indexOf(",", i);
      i = comma < 0 ? line.length : comma;
      value = line.slice(start, i);
    }
    const last = i >= line.length;
    yield { value, quoted, last, start };
    if (last) return;
    i++;
    if (i >= line.length) {
      yield { value: "", quoted: false, last: true, start: i };
      return;
    }
  }
}

/**
 * Jackson's location suffix: the reader is "(StringReader)" until the line's end was read, then
 * "UNKNOWN"; the column is 1-based from the value's start (measured, see csv_test.ts).
 */
function at(source: string, line: number, column: number): string {
  return `\n at [Source: ${source}; line: ${line}, column: ${column}]`;
}

/** Java's String.trim: every character up to U+0020 off both ends. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

function weird(type: string, text: string, why: string, where: string): JavaError {
  return new JavaError(
    INVALID_FORMAT,
    `Cannot deserialize value of type \`${type}\` from String "${text}": ${why}${where}`,
  );
}

/** Jackson's `int` from a CSV string. */
function intValue(raw: string, where: string): number {
  const text = javaTrim(raw);
  if (text === "" || text === "null") return 0;
  if (!/^[+-]?\d+$/.test(text) || BigInt(text) < LONG_MIN || BigInt(text) > LONG_MAX) {
    throw weird("int", text, "not a valid Integer value", where);
  }
  const n = BigInt(text);
  if (n < INT_MIN || n > INT_MAX) {
    if (text.length <= 9) throw weird("int", text, "not a valid Integer value", where);
    throw weird(
      "int",
      text,
      `Overflow: numeric value (${text}) out of range of Integer (-2147483648 - 2147483647)`,
      where,
    );
  }
  return Number(n);
}

/** Jackson's `long` from a CSV string (as a JS number: offsets stay below 2⁵³). */
function longValue(raw: string, where: string): number {
  const text = javaTrim(raw);
  if (text === "" || text === "null") return 0;
  if (!/^[+-]?\d+$/.test(text) || BigInt(text) < LONG_MIN || BigInt(text) > LONG_MAX) {
    throw weird("long", text, "not a valid Long value", where);
  }
  return Number(BigInt(text));
}

/** One line as CsvRecordNoGroup (`withGroup` false) or CsvRecordWithGroup. */
export function readRow(line: string, withGroup: boolean): CsvRow {
  const fields = withGroup
    ? ["group", "topic", "partition", "offset"] as const
    : ["topic", "partition", "offset"] as const;
  const row: CsvRow = { group: null, topic: null, partition: 0, offset: 0 };
  let n = 0;
  for (const t of tokens(line)) {
    if (n >= fields.length) {
      // One trailing comma past the last column is allowed (ALLOW_TRAILING_COMMA).
      if (n === fields.length && t.last && t.value === "" && !t.quoted) break;
      throw new JavaError(
        MAPPING,
        `Too many entries: expected at most ${fields.length} (value #${n} (${t.value.length} ` +
          `chars) "${t.value}")` + at(t.last ? "UNKNOWN" : "(StringReader)", 1, t.start + 1),
      );
    }
    const f = fields[n++];
    const where = at(t.last ? "UNKNOWN" : "(StringReader)", 1, t.start + 1) +
      ` (through reference chain: kafka.admin.ConsumerGroupCommand$CsvRecord${
        withGroup ? "WithGroup" : "NoGroup"
      }["${f}"])`;
    if (f === "partition") row.partition = intValue(t.value, where);
    else if (f === "offset") row.offset = longValue(t.value, where);
    else row[f] = t.value;
  }
  return row;
}

/** Java's String.split("\n"): no match gives the text, else trailing empty strings dropped. */
function javaSplitLines(text: string): string[] {
  if (!text.includes("\n")) return [text];
  const lines = text.split("\n");
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * parseResetPlan's reading of a file's text: its rows, each with its group (`singleGroup` for
 * the short format, used when exactly one --group is given and the first line reads as one).
 */
export function readResetPlan(text: string, singleGroup: string | undefined): CsvRow[] {
  const lines = javaSplitLines(text);
  let short = false;
  if (singleGroup !== undefined && lines.length > 0) {
    try {
      readRow(lines[0], false);
      short = true;
    } catch (e) {
      if (!(e instanceof JavaError)) throw e;
    }
  }
  return lines.map((line) => {
    const row = readRow(line, !short);
    return short ? { ...row, group: singleGroup! } : row;
  });
}
