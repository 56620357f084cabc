// Value parsers with Java's rules (Integer.parseInt, Integer.decode, Boolean.parseBoolean), but
// every failure is a ConfigError naming the key and the line instead of a bare exception.
import { type ConfigLocation, formatLocation, keyError } from "./config_error.ts";

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Integer.parseInt: optional sign, decimal digits, 32-bit range. */
export function parseInt32(raw: string, key: string, at: ConfigLocation): number {
  if (!/^[+-]?\d+$/.test(raw)) throw keyError(at, key, `"${raw}" is not a number`);
  const n = Number(raw);
  if (n < INT_MIN || n > INT_MAX) throw keyError(at, key, `${raw} is out of range`);
  return n;
}

/** Long.parseLong, limited to what a JavaScript number holds exactly. */
export function parseInt64(raw: string, key: string, at: ConfigLocation): number {
  if (!/^[+-]?\d+$/.test(raw)) throw keyError(at, key, `"${raw}" is not a number`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw keyError(at, key, `${raw} is out of range`);
  return n;
}

/**
 * Integer.decode, which Integer.getInteger uses for `-D` numbers: `0x1f`, `#1f`, octal `017`.
 * Apache silently falls back to the default on a bad value; herd refuses it instead.
 */
export function decodeInt32(raw: string, key: string, at: ConfigLocation): number {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|#([0-9a-fA-F]+)|0([0-7]+)|([1-9]\d*|0))$/.exec(raw);
  if (!m) throw keyError(at, key, `"${raw}" is not a number`);
  const [, sign, hex1, hex2, oct, dec] = m;
  const magnitude = hex1 ?? hex2
    ? parseInt(hex1 ?? hex2, 16)
    : oct !== undefined
    ? parseInt(oct, 8)
    : Number(dec);
  const n = sign === "-" ? -magnitude : magnitude;
  if (n < INT_MIN || n > INT_MAX) throw keyError(at, key, `${raw} is out of range`);
  return n;
}

/** A TCP port: a number in 0..65535. */
export function parsePort(raw: string, key: string, at: ConfigLocation): number {
  const n = parseInt32(raw, key, at);
  if (n < 0 || n > 65535) throw keyError(at, key, `${n} is not a valid port (0-65535)`);
  return n;
}

/** QuorumPeerConfig.parseBoolean: `true` or `false` in any case, anything else is fatal. */
export function strictBool(raw: string, key: string, at: ConfigLocation): boolean {
  const v = raw.toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw keyError(at, key, `"${raw}" is not true or false`);
}

/**
 * Boolean.parseBoolean: only `true` (any case) is true. Apache accepts anything else as false
 * without a word; herd does the same but warns when the value is neither true nor false.
 */
export function lenientBool(
  raw: string,
  key: string,
  at: ConfigLocation,
  warnings: string[],
): boolean {
  const v = raw.toLowerCase();
  if (v !== "true" && v !== "false") {
    warnings.push(
      `${formatLocation(at)}: ${key}: "${raw}" is not true or false; read as false, as Apache does`,
    );
  }
  return v === "true";
}
