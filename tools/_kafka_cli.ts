/**
 * What Kafka 2.8's command-line tools share, for herd's copies of them: joptsimple's parsing
 * (`--opt value`, `--opt=value`, unique prefixes, optional arguments), its messages, the usage
 * table each tool prints (recorded from Apache 2.8.2 in the tool's `usage.txt`), log4j's console
 * line on stderr (`[time] LEVEL message (logger)`), and a Java exception printed as
 * `printStackTrace` prints it, without the stack frames (herd has none to show).
 *
 * @module
 */
import { kafkaLayout, type Level, logTimestamp } from "../internal/log.ts";

/** Kafka's version line (`--version`). */
export const KAFKA_VERSION_LINE = "2.8.2 (Commit:3146c6ff4a24cc24)";

/** How an option takes its argument. */
export type OptKind = "flag" | "required" | "optional";

/** A command line joptsimple refused; `message` is joptsimple's, `javaClass` its exception. */
export class OptionError extends Error {
  override name = "OptionError";
  constructor(message: string, readonly javaClass: string) {
    super(message);
  }
}

/** A parsed command line. */
export class ParsedOptions {
  private readonly values = new Map<string, (string | null)[]>();
  /** Arguments that are not options, in order. */
  readonly nonOptions: string[] = [];
  /** Each option given, in command-line order, repeats included (joptsimple's `specs()`). */
  readonly order: string[] = [];

  /** True when `name` was given. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The first value given for `name` (null for an optional argument left out). */
  valueOf(name: string): string | null | undefined {
    return this.values.get(name)?.[0];
  }

  /** Every value given for `name`, in order. */
  valuesOf(name: string): string[] {
    return (this.values.get(name) ?? []).filter((v): v is string => v !== null);
  }

  /** @internal */
  add(name: string, value: string | null): void {
    const list = this.values.get(name) ?? [];
    list.push(value);
    this.values.set(name, list);
    this.order.push(name);
  }
}

/**
 * Parses `args` against `spec` (option name → kind) as joptsimple does.
 *
 * @example
 * ```ts
 * import { parseOptions } from "./_kafka_cli.ts";
 * const o = parseOptions({ topic: "required", sync: "flag" }, ["--top=t", "--sync"]);
 * o.valueOf("topic"); // "t"
 * ```
 */
export function parseOptions(
  spec: Readonly<Record<string, OptKind>>,
  args: readonly string[],
): ParsedOptions {
  const names = Object.keys(spec);
  const resolve = (given: string): string => {
    if (spec[given] !== undefined) return given;
    const matches = names.filter((n) => n.startsWith(given));
    if (matches.length === 1 && given !== "") return matches[0];
    throw new OptionError(
      `${given} is not a recognized option`,
      "joptsimple.UnrecognizedOptionException",
    );
  };
  const out = new ParsedOptions();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      out.nonOptions.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith("--") || a === "--") {
      out.nonOptions.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = resolve(eq < 0 ? a.slice(2) : a.slice(2, eq));
    const kind = spec[name];
    if (kind === "flag") {
      if (eq >= 0) {
        throw new OptionError(
          `Option ${name} does not take an argument`,
          "joptsimple.UnconfiguredOptionException",
        );
      }
      out.add(name, null);
      continue;
    }
    if (eq >= 0) {
      out.add(name, a.slice(eq + 1));
      continue;
    }
    const next = args[i + 1];
    if (kind === "optional") {
      if (next !== undefined && !next.startsWith("-")) {
        out.add(name, next);
        i++;
      } else out.add(name, null);
      continue;
    }
    if (next === undefined) {
      throw new OptionError(
        `Option ${name} requires an argument`,
        "joptsimple.OptionMissingRequiredArgumentException",
      );
    }
    out.add(name, next);
    i++;
  }
  return out;
}

const encoder = new TextEncoder();

/** Writes to stdout synchronously (ordering with stderr kept, as a JVM's PrintStreams). */
export function out(text: string): void {
  writeAll(Deno.stdout, encoder.encode(text));
}

/** Writes to stderr synchronously. */
export function err(text: string): void {
  writeAll(Deno.stderr, encoder.encode(text));
}

function writeAll(w: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += w.writeSync(bytes.subarray(off));
}

/** The usage table of a tool (its `usage.txt`, next to its main.ts). */
export function usageTable(toolDir: URL): string {
  return Deno.readTextFileSync(new URL("./usage.txt", toolDir));
}

/** CommandLineUtils.printUsageAndDie: the message, the table, exit code 1. */
export function printUsage(toolDir: URL, message: string): number {
  err(`${message}\n${usageTable(toolDir)}`);
  return 1;
}

/** A log4j line as Kafka's tools-log4j.properties prints it, on stderr. */
export function logLine(level: string, logger: string, message: string): void {
  err(`${kafkaLayout(logTimestamp(), level as Level, logger, message, "")}\n`);
}

/** A Java exception, as printStackTrace prints its first line (and its cause's). */
export function printException(className: string, message: string, cause?: string): void {
  err(`${className}: ${message}\n${cause === undefined ? "" : `Caused by: ${cause}\n`}`);
}

/** The uncaught-exception line the JVM prints for a joptsimple error in tools that do not catch it. */
export function printUncaught(e: OptionError): number {
  err(`Exception in thread "main" ${e.javaClass}: ${e.message}\n`);
  return 1;
}

/**
 * Kafka's `key=value` arguments (`--property`, `--producer-property`): split at the first `=`;
 * a pair without `=` is the error CommandLineUtils.parseKeyValueArgs reports.
 */
export function parseKeyValues(pairs: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i < 0) {
      throw new OptionError(
        `Invalid command line properties: ${pairs.join(" ")}`,
        "java.lang.IllegalArgumentException",
      );
    }
    m.set(p.slice(0, i), p.slice(i + 1));
  }
  return m;
}

/** A `.properties` file as java.util.Properties reads it (comments, `=`/`:`, continuations). */
export function readProperties(path: string): Map<string, string> {
  const text = Deno.readTextFileSync(path);
  const m = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/^\s+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i].replace(/^\s+/, "");
    }
    const sep = line.search(/(?<!\\)[=:\s]/);
    const key = sep < 0 ? line : line.slice(0, sep);
    const value = sep < 0 ? "" : line.slice(sep + 1).replace(/^[\s]*[=:]?\s*/, "");
    m.set(key.replace(/\\(.)/g, "$1"), value.replace(/\\(.)/g, "$1"));
  }
  return m;
}

/** ToolsUtils.validatePortOrDie's test: every `host:port` has a numeric port. */
export function validHostPorts(list: string): boolean {
  const urls = list.split(",");
  return urls.length > 0 &&
    urls.every((u) => /^.+:\d+$/.test(u.trim()) || u.trim() === "") &&
    urls.some((u) => u.trim() !== "");
}
