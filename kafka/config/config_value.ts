/**
 * A config value as Kafka's ConfigDef parses and prints it: the type check with Kafka's message
 * (`Invalid value abc for configuration retention.ms: Not a number of type LONG`), the Range /
 * ValidString / ValidList checks, and the canonical text `ConfigDef.convertToString` gives back
 * (what DescribeConfigs shows: "0010" is "10", "a , b" is "a,b", "TRUE" is "true").
 *
 * @module
 */
import type { KafkaConfigType, KeyCheck } from "./apache_broker_keys.ts";

/** Kafka's ConfigException: a value its ConfigDef refuses (or a dynamic update it does not allow). */
export class KafkaConfigException extends Error {
  override name = "ConfigException";
}

function invalid(name: string, value: string, why: string): KafkaConfigException {
  return new KafkaConfigException(`Invalid value ${value} for configuration ${name}: ${why}`);
}

const INTEGER = /^[+-]?\d+$/;
const BITS = { SHORT: 15n, INT: 31n, LONG: 63n } as const;
// Double.parseDouble's grammar, without the hex form: digits, a point, an exponent, an f/d suffix.
const DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

/**
 * Java's `Double.toString`: "1.0" for one, "0.5", "1.0E7" from ten million up, "1.0E-4" below
 * one thousandth.
 *
 * @example
 * ```ts
 * javaDoubleString(0.5); // "0.5"
 * javaDoubleString(1e7); // "1.0E7"
 * ```
 */
export function javaDoubleString(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mantissa, exp] = n.toExponential().split("e");
  const m = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exp)}`;
}

/**
 * Parses `value` as ConfigDef would for a key of `type` named `name` and returns its canonical
 * text; throws KafkaConfigException with Kafka's message when the type or `check` refuses it.
 *
 * @example
 * ```ts
 * parseConfigValue("segment.bytes", "INT", " 0016 ", { atLeast: 14 }); // "16"
 * parseConfigValue("cleanup.policy", "LIST", "compact , delete"); // "compact,delete"
 * ```
 */
export function parseConfigValue(
  name: string,
  type: KafkaConfigType,
  value: string,
  check: KeyCheck | null = null,
): string {
  const v = value.trim();
  let n: number;
  switch (type) {
    case "BOOLEAN":
      if (!/^(true|false)$/i.test(v)) {
        throw invalid(name, value, "Expected value to be either true or false");
      }
      return v.toLowerCase();
    case "STRING":
    case "PASSWORD":
    case "CLASS":
      if (check?.oneOf && !check.oneOf.includes(v)) {
        throw invalid(name, v, `String must be one of: ${check.oneOf.join(", ")}`);
      }
      return v;
    case "LIST": {
      const items = v === "" ? [] : v.split(/\s*,\s*/);
      for (const item of items) {
        if (check?.oneOf && !check.oneOf.includes(item)) {
          throw invalid(name, item, `String must be one of: ${check.oneOf.join(", ")}`);
        }
      }
      return items.join(",");
    }
    case "SHORT":
    case "INT":
    case "LONG": {
      const bits = BITS[type];
      if (!INTEGER.test(v) || BigInt(v) >= 2n ** bits || BigInt(v) < -(2n ** bits)) {
        throw invalid(name, value, `Not a number of type ${type}`);
      }
      const text = BigInt(v).toString();
      inRange(name, text, Number(v), check);
      return text;
    }
    case "DOUBLE":
      if (!DOUBLE.test(v)) throw invalid(name, value, "Not a number of type DOUBLE");
      n = Number(v.replace(/[fFdD]$/, ""));
      inRange(name, javaDoubleString(n), n, check);
      return javaDoubleString(n);
  }
}

/** Range.ensureValid: throws when `n` is outside `check`'s bounds. */
function inRange(name: string, text: string, n: number, check: KeyCheck | null): void {
  if (check?.atLeast !== undefined && n < check.atLeast) {
    throw invalid(name, text, `Value must be at least ${check.atLeast}`);
  }
  if (check?.atMost !== undefined && n > check.atMost) {
    throw invalid(name, text, `Value must be no more than ${check.atMost}`);
  }
}
