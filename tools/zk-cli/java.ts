/**
 * The few pieces of the JVM whose exact behaviour zkCli.sh users see: `Integer.parseInt`,
 * `Long.parseLong` and `Integer.decode` (which values they accept, and the message of the
 * NumberFormatException zkCli lets escape), and `String.split` with a one-character separator
 * (trailing empty strings dropped). Dates and hex come from `../zk-txnlog/java_text.ts`.
 *
 * @module
 */

/** A NumberFormatException, with Java's message. */
export class NumberFormatError extends Error {
  override name = "NumberFormatError";
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function forInput(s: string, radix = 10): NumberFormatError {
  const suffix = radix === 10 ? "" : ` under radix ${radix}`;
  return new NumberFormatError(`For input string: "${s}"${suffix}`);
}

function parseRadix(s: string, radix: number, min: bigint, max: bigint): bigint {
  const digits = radix === 16
    ? /^[+-]?[0-9a-fA-F]+$/
    : radix === 8
    ? /^[+-]?[0-7]+$/
    : /^[+-]?\d+$/;
  if (!digits.test(s)) throw forInput(s, radix);
  const negative = s.startsWith("-");
  const body = s.replace(/^[+-]/, "");
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : "";
  const magnitude = BigInt(prefix + body);
  const value = negative ? -magnitude : magnitude;
  if (value < min || value > max) throw forInput(s, radix);
  return value;
}

/**
 * `Integer.parseInt(s)`: an optional sign and ASCII digits, within 32 bits.
 *
 * @example
 * ```ts
 * parseJavaInt("-5"); // -5
 * parseJavaInt("abc"); // throws NumberFormatError: For input string: "abc"
 * ```
 */
export function parseJavaInt(s: string): number {
  return Number(parseRadix(s, 10, INT_MIN, INT_MAX));
}

/**
 * `Long.parseLong(s, radix)`: an optional sign and digits of the radix, within 64 bits.
 *
 * @example
 * ```ts
 * parseJavaLong("5000"); // 5000n
 * parseJavaLong("ff", 16); // 255n
 * ```
 */
export function parseJavaLong(s: string, radix = 10): bigint {
  return parseRadix(s, radix, LONG_MIN, LONG_MAX);
}

/**
 * `Integer.decode(s)`: like parseInt, plus `0x`/`#` (hex) and leading-zero (octal) prefixes.
 *
 * @example
 * ```ts
 * decodeJavaInt("0x1f"); // 31
 * ```
 */
export function decodeJavaInt(s: string): number {
  if (s.length === 0) throw new NumberFormatError("Zero length string");
  let i = 0;
  let sign = "";
  if (s[0] === "-" || s[0] === "+") {
    sign = s[0] === "-" ? "-" : "";
    i = 1;
  }
  let radix = 10;
  if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
    radix = 16;
    i += 2;
  } else if (s.startsWith("#", i)) {
    radix = 16;
    i += 1;
  } else if (s.startsWith("0", i) && s.length > i + 1) {
    radix = 8;
    i += 1;
  }
  const rest = s.slice(i);
  if (rest.startsWith("-") || rest.startsWith("+")) {
    throw new NumberFormatError("Sign character in wrong position");
  }
  return Number(parseRadix(sign + rest, radix, INT_MIN, INT_MAX));
}

/**
 * `s.split(sep)` for a one-character, non-regex separator: trailing empty strings are removed,
 * and a string without the separator gives itself.
 *
 * @example
 * ```ts
 * javaSplit("a,,b,,", ","); // ["a", "", "b"]
 * javaSplit("", ","); // [""]
 * ```
 */
export function javaSplit(s: string, sep: string): string[] {
  if (!s.includes(sep)) return [s];
  const parts = s.split(sep);
  while (parts.length > 0 && parts.at(-1) === "") parts.pop();
  return parts;
}
