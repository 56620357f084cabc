/**
 * The two time arguments of `--reset-offsets`, read as Kafka 2.8.2 reads them:
 *
 * - `--to-datetime`: Utils.getDateTime, i.e. a strict java.text.SimpleDateFormat
 *   `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, then `…SSSX` when that fails, with `Z` appended when the part
 *   after the `T` names no zone. SimpleDateFormat's habits are kept: numbers of any width
 *   (`2020-1-2T3:4:5.6` is 6 ms past 03:04:05), spaces skipped before a number, text after the zone
 *   ignored, `+0530` read by the fallback pattern as `+05` (the minutes dropped), fields checked
 *   by a non-lenient GregorianCalendar (Julian before 15 October 1582, offsets -13h…+14h).
 * - `--by-duration`: java.time.Duration.parse (`PnDTnHnMn.nS`, signs on each part, `,` or `.`
 *   before the fraction, case-insensitive).
 *
 * Their failures are the exceptions Java throws, with Java's messages.
 *
 * @module
 */
import { JavaError } from "./java_error.ts";

const PARSE_EXCEPTION = "java.text.ParseException";
const MS_PER_DAY = 86_400_000;

/** Utils.getDateTime: epoch milliseconds of `timestamp`, or the ParseException Java throws. */
export function getDateTime(timestamp: string): number {
  // String.split drops trailing empty strings: "2020-01-01T" has one part.
  const parts = timestamp.split("T");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length < 2) {
    throw new JavaError(
      PARSE_EXCEPTION,
      "Error parsing timestamp. It does not contain a 'T' according to ISO8601 format",
    );
  }
  const second = parts[1];
  if (!(second.includes("+") || second.includes("-") || second.includes("Z"))) timestamp += "Z";
  const t = parseIso(timestamp, true) ?? parseIso(timestamp, false);
  if (t === undefined) throw new JavaError(PARSE_EXCEPTION, `Unparseable date: "${timestamp}"`);
  return t;
}

/** One SimpleDateFormat.parse attempt: XXX (`±hh:mm`) or X (`±hh`) zone. */
function parseIso(text: string, colonZone: boolean): number | undefined {
  let pos = 0;
  const number = (): number | undefined => {
    while (text[pos] === " " || text[pos] === "\t") pos++;
    const m = /^-?\d+/.exec(text.slice(pos));
    if (!m) return undefined;
    pos += m[0].length;
    return Number(m[0]);
  };
  const literal = (c: string) => text[pos++] === c;
  const year = number();
  if (year === undefined || !literal("-")) return undefined;
  const month = number();
  if (month === undefined || !literal("-")) return undefined;
  const day = number();
  if (day === undefined || !literal("T")) return undefined;
  const hour = number();
  if (hour === undefined || !literal(":")) return undefined;
  const minute = number();
  if (minute === undefined || !literal(":")) return undefined;
  const sec = number();
  if (sec === undefined || !literal(".")) return undefined;
  const ms = number();
  if (ms === undefined) return undefined;
  while (text[pos] === " " || text[pos] === "\t") pos++; // subParse skips these before any field
  const offset = zone(text.slice(pos), colonZone);
  if (offset === undefined) return undefined;
  // GregorianCalendar, not lenient: every field in its range, the date one that exists.
  if (year < 1 || year > 292278994 || month < 1 || month > 12 || day < 1 || day > 31) {
    return undefined;
  }
  if (hour > 23 || hour < 0 || minute < 0 || minute > 59 || sec < 0 || sec > 59) return undefined;
  if (ms < 0 || ms > 999 || offset < -13 * 60 || offset > 14 * 60) return undefined;
  const days = epochDay(year, month, day);
  if (days === undefined) return undefined;
  return days * MS_PER_DAY + ((hour * 60 + minute - offset) * 60 + sec) * 1000 + ms;
}

/** The zone offset in minutes (SimpleDateFormat's ISO 8601 zone), or undefined. */
function zone(text: string, colon: boolean): number | undefined {
  if (text[0] === "Z") return 0;
  const sign = text[0] === "+" ? 1 : text[0] === "-" ? -1 : 0;
  if (sign === 0) return undefined;
  const m = colon ? /^(\d\d):(\d\d)/.exec(text.slice(1)) : /^(\d\d)/.exec(text.slice(1));
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = colon ? Number(m[2]) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/**
 * Days since 1970-01-01 of a date in java.util.GregorianCalendar (Julian before the 1582
 * cutover), or undefined for a date that does not exist there (31 April, the ten skipped days).
 */
function epochDay(year: number, month: number, day: number): number | undefined {
  const gregorian = year > 1582 || (year === 1582 && (month > 10 || (month === 10 && day >= 15)));
  const julian = year < 1582 || (year === 1582 && (month < 10 || (month === 10 && day <= 4)));
  if (!gregorian && !julian) return undefined;
  const leap = gregorian
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
    : year % 4 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (day > lengths[month - 1]) return undefined;
  // Julian day numbers (Fliegel and Van Flandern's formulas), then the epoch's (2440588).
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  const jdn = gregorian
    ? day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - Math.floor(y / 100) +
      Math.floor(y / 400) - 32045
    : day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - 32083;
  return jdn - 2440588;
}

const DURATION =
  /^([-+]?)P(?:([-+]?[0-9]+)D)?(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?$/i;
const DATE_TIME_PARSE_EXCEPTION = "java.time.format.DateTimeParseException";
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** A java.time.Duration: whole seconds and nanoseconds (0 ≤ nanos < 10⁹). */
export interface JavaDuration {
  seconds: bigint;
  nanos: number;
}

/** Duration.parse, or the DateTimeParseException it throws. */
export function parseDuration(text: string): JavaDuration {
  const m = DURATION.exec(text);
  const fail = (what?: string, cause?: string) =>
    new JavaError(
      DATE_TIME_PARSE_EXCEPTION,
      what === undefined
        ? "Text cannot be parsed to a Duration"
        : `Text cannot be parsed to a Duration: ${what}`,
      cause,
    );
  if (!m || m[3]?.toUpperCase() === "T" || (!m[2] && !m[4] && !m[5] && !m[6])) throw fail();
  const part = (s: string | undefined, unit: bigint, what: string): bigint => {
    if (s === undefined) return 0n;
    const bad = longParseErrorIndex(s);
    if (bad !== undefined) {
      throw fail(what, `java.lang.NumberFormatException: Error at index ${bad} in: "${s}"`);
    }
    const n = BigInt(s);
    const r = n * unit;
    if (r < LONG_MIN || r > LONG_MAX) {
      throw fail(what, "java.lang.ArithmeticException: long overflow");
    }
    return r;
  };
  const days = part(m[2], 86400n, "days");
  const hours = part(m[4], 3600n, "hours");
  const minutes = part(m[5], 60n, "minutes");
  const secs = part(m[6], 1n, "seconds");
  let nanos = m[7] ? BigInt((m[7] + "000000000").slice(0, 9)) : 0n;
  if (m[6]?.startsWith("-")) nanos = -nanos;
  let seconds = days + hours + minutes + secs;
  for (const partial of [days + hours, days + hours + minutes, seconds]) {
    if (partial < LONG_MIN || partial > LONG_MAX) {
      throw fail("overflow", "java.lang.ArithmeticException: long overflow");
    }
  }
  // Duration.ofSeconds(seconds, nanos) normalises the nanoseconds into [0, 10⁹).
  seconds += nanos < 0n ? -1n : 0n;
  nanos = nanos < 0n ? nanos + 1_000_000_000n : nanos;
  if (m[1] === "-") {
    seconds = nanos === 0n ? -seconds : -seconds - 1n;
    nanos = nanos === 0n ? 0n : 1_000_000_000n - nanos;
  }
  return { seconds, nanos: Number(nanos) };
}

/** Where Java 17's Long.parseLong gives up on `s` (a signed run of digits), if it does. */
function longParseErrorIndex(s: string): number | undefined {
  const negative = s[0] === "-";
  const limit = negative ? LONG_MIN : -LONG_MAX;
  const multmin = limit / 10n;
  let result = 0n;
  for (let i = s[0] === "-" || s[0] === "+" ? 1 : 0; i < s.length; i++) {
    const digit = BigInt(s.charCodeAt(i) - 48);
    if (result < multmin) return i;
    result *= 10n;
    if (result < limit + digit) return i;
    result -= digit;
  }
  return undefined;
}

/** `Instant.now().minus(duration).toEpochMilli()` for the epoch milliseconds `nowMs`. */
export function minusDuration(nowMs: number, d: JavaDuration): number {
  const ms = d.seconds * 1000n + BigInt(Math.floor(d.nanos / 1_000_000));
  // toEpochMilli floors: a duration with sub-millisecond nanos lands one ms earlier.
  const extra = d.nanos % 1_000_000 === 0 ? 0n : 1n;
  return Number(BigInt(nowMs) - ms - extra);
}
