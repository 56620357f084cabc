/**
 * How the JVM prints the values Apache's persistence tools show, for byte-identical output:
 * java.text.DateFormat and java.util.Date in the default (en) locale and time zone, Long hex, and
 * `new String(bytes, UTF_8)`.
 *
 * Time zones follow the process (`TZ`, /etc/localtime), as the JVM's default zone does; the zone's
 * short name comes from Intl, which names UTC and the US zones as Java does (elsewhere Intl may say
 * "GMT+1" where Java says "CET").
 *
 * @module
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const utf8 = new TextDecoder("utf-8", { fatal: false });

let zoneFormat: Intl.DateTimeFormat | null = null;
/** Zone names by year and UTC offset: asking Intl costs ~100 µs a date, this a lookup. */
const zoneNames = new Map<number, string>();

function zoneName(d: Date): string {
  const offset = d.getTimezoneOffset();
  const key = d.getFullYear() * 10_000 + offset;
  let name = zoneNames.get(key);
  if (name === undefined) {
    zoneFormat ??= new Intl.DateTimeFormat("en-US", { timeZoneName: "short" });
    const parts = zoneFormat.formatToParts(d);
    name = parts.find((p) => p.type === "timeZoneName")?.value ?? "UTC";
    zoneNames.set(key, name);
  }
  return name;
}

/**
 * A formatter of whole seconds that remembers its last answer: the tools print dates of txns and
 * znodes that mostly come in runs within one second.
 */
function perSecond(format: (ms: number) => string): (ms: number) => string {
  let second = NaN;
  let text = "";
  return (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      text = format(ms);
      second = s;
    }
    return text;
  };
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function clock12(d: Date): string {
  const h = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  return `${h}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${d.getHours() < 12 ? "AM" : "PM"}`;
}

/**
 * `DateFormat.getDateTimeInstance(SHORT, LONG)`: what TxnLogToolkit prints per txn.
 *
 * @example
 * ```ts
 * javaShortLongDateTime(0x1a20fda65f7); // "11/24/26, 11:18:20 PM UTC" (TZ=UTC)
 * ```
 */
export const javaShortLongDateTime: (ms: number) => string = perSecond((ms) => {
  const d = new Date(ms);
  const date = `${d.getMonth() + 1}/${d.getDate()}/${pad2(d.getFullYear() % 100)}`;
  return `${date}, ${clock12(d)} ${zoneName(d)}`;
});

/**
 * `DateFormat.getDateTimeInstance()` (MEDIUM, MEDIUM): what PurgeTxnLog prints per removed file.
 *
 * @example
 * ```ts
 * javaMediumDateTime(0); // "Jan 1, 1970, 12:00:00 AM" (TZ=UTC)
 * ```
 */
export function javaMediumDateTime(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()}, ${clock12(d)}`;
}

/**
 * `new java.util.Date(ms).toString()`: what SnapshotFormatter prints for ctime and mtime.
 *
 * @example
 * ```ts
 * javaDateToString(0); // "Thu Jan 01 00:00:00 UTC 1970" (TZ=UTC)
 * ```
 */
export const javaDateToString: (ms: number) => string = perSecond((ms) => {
  const d = new Date(ms);
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad2(d.getDate())} ${time} ${
    zoneName(d)
  } ${d.getFullYear()}`;
});

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `Long.toHexString(v)`: two's complement, no padding; an int argument is sign-extended first.
 *
 * @example
 * ```ts
 * javaHex(-1); // "ffffffffffffffff"
 * ```
 */
export function javaHex(v: number | bigint): string {
  // Zxids, times and most session ids fit a double: no BigInt on the way (a tenth of the cost).
  if (typeof v === "number") {
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER) return hexOfSafe(v);
  } else if (v >= 0n && v <= MAX_SAFE) return hexOfSafe(Number(v));
  return BigInt.asUintN(64, BigInt(v)).toString(16);
}

const HEX = "0123456789abcdef";

/** Hex of a 32-bit unsigned value, `minDigits` at least. */
function hex32(x: number, minDigits: number): string {
  let s = "";
  do {
    s = HEX[x & 15] + s;
    x >>>= 4;
  } while (x !== 0 || s.length < minDigits);
  return s;
}

/** Hex of a safe non-negative integer: by halves, 4× faster than Number's toString(16). */
function hexOfSafe(v: number): string {
  const hi = Math.floor(v / 4294967296);
  return hi === 0 ? hex32(v >>> 0, 1) : hex32(hi, 1) + hex32(v >>> 0, 8);
}

/**
 * `Long.toHexString` of the long whose high and low 32 bits are `hi` and `lo` (either sign): a
 * long read as two ints needs no BigInt.
 *
 * @example
 * ```ts
 * javaHexOfHalves(0x100003f, 0x9ebc0000); // "100003f9ebc0000"
 * ```
 */
export function javaHexOfHalves(hi: number, lo: number): string {
  return hi === 0 ? hex32(lo >>> 0, 1) : hex32(hi >>> 0, 1) + hex32(lo >>> 0, 8);
}

/**
 * `String.format("%#016x", v)`: "0x" and the hex digits, zero-padded to 16 characters in all.
 *
 * @example
 * ```ts
 * javaHex016(0); // "0x00000000000000"
 * ```
 */
export function javaHex016(v: number | bigint): string {
  return "0x" + javaHex(v).padStart(14, "0");
}

/**
 * `new String(bytes, UTF_8)`: malformed input becomes U+FFFD; null or empty is "".
 *
 * @example
 * ```ts
 * javaUtf8(new TextEncoder().encode("hq")); // "hq"
 * ```
 */
export function javaUtf8(bytes: Uint8Array | null): string {
  return bytes === null ? "" : utf8.decode(bytes);
}
