/** How Java prints the values Apache's four-letter words and admin commands show. */

/** A value Apache holds as a Java double, so it prints as `0.0`, `1.4393` or `1.0E-4`. */
export class JavaDouble {
  /** Wraps `value`. */
  constructor(readonly value: number) {}
  /** Java's Double.toString of the value. */
  toString(): string {
    return javaDouble(this.value);
  }
}

/** Java's Double.toString: plain notation in [1e-3, 1e7), else `d.dddE±n`; always a fraction. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mant, exp] = x.toExponential().split("e");
  return `${mant.includes(".") ? mant : `${mant}.0`}E${exp.replace("+", "")}`;
}

/** Apache's latency averages: rounded half-up to four decimals (AvgMinMaxCounter.getAvg). */
export function avg4(x: number): JavaDouble {
  return new JavaDouble(Math.round(x * 10000) / 10000);
}

/** Java's Long.toHexString: the 64-bit two's complement, so -1 is `ffffffffffffffff`. */
export function javaHex(n: number | bigint): string {
  return BigInt.asUintN(64, BigInt(n)).toString(16);
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

function zoneName(d: Date): string {
  if (d.getTimezoneOffset() === 0) return "UTC";
  const part = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" })
    .formatToParts(d).find((p) => p.type === "timeZoneName");
  return part?.value ?? "UTC";
}

/** Java's Date.toString in the local zone: `Tue Nov 24 23:18:02 UTC 2026`. */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${
    pad(d.getMinutes())
  }:${pad(d.getSeconds())} ${zoneName(d)} ${d.getFullYear()}`;
}
