/**
 * Expected lines with `{{names}}`, matched against what a target printed, and a readable diff
 * when they differ.
 *
 * A `{{name}}` is either a variable (the target's own value, substituted: `{{port}}`, `{{cfg}}`),
 * or a placeholder for what may vary between runs of Apache itself (matched: `{{date}}`,
 * `{{session}}`), built in ({@linkcode PLACEHOLDERS}) or declared by the transcript as a regular
 * expression. A line that is only `{{...}}` stands for any number of lines.
 *
 * @module
 */

/** What may vary, and the regular expression any value must match. */
export const PLACEHOLDERS: Record<string, string> = {
  /** Java's Date.toString(): `Tue Nov 24 23:17:30 UTC 2026`. */
  date: "[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [A-Z]{2,5} [0-9]{4}",
  session: "0x[0-9a-f]+",
  zxid: "0x[0-9a-f]+",
  number: "-?[0-9]+(?:\\.[0-9]+)?",
  /** `Latency min/avg/max: 0/1.4393/11`. */
  latency: "[0-9]+/[0-9.]+/[0-9]+",
  /** A client's own (ephemeral) port, as in `/127.0.0.1:36786[0](…)`. */
  ephemeralPort: "[0-9]+",
  /** What differs between builds of 3.8.0: `${mvngit.commit.id}, built on 2024-12-29 17:54 UTC`. */
  build: "\\S+, built on [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC",
  /** Kafka's topic id: 22 characters of URL-safe base64. */
  topicId: "[A-Za-z0-9_-]{22}",
  /** Epoch milliseconds. */
  timestamp: "[0-9]{13}",
  pid: "[0-9]+",
  /** A file or install path (no spaces). */
  path: "\\S+",
  any: ".*",
  /** One trailing space, which YAML formatters strip from a literal line. */
  space: " ",
};

const TOKEN = /\{\{([A-Za-z0-9_.]+|\.\.\.)\}\}/g;

/** The `{{names}}` used in `text`. */
export function tokens(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => m[1]);
}

/** Substitute variables; placeholders and unknown names stay as they are. */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(TOKEN, (all, name: string) => vars[name] ?? all);
}

/** One expected line, ready to match. */
export interface LineMatcher {
  /** The line as shown in a diff: variables substituted, placeholders kept. */
  display: string;
  /** `{{...}}`: any number of lines. */
  wildcard: boolean;
  /** Whether an actual line matches. */
  test(actual: string): boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Compile expected lines against a target's variables and the placeholders in force.
 *
 * @example
 * ```ts
 * const [m] = compile(["Zxid: {{zxid}} on {{port}}"], { port: "2181" }, PLACEHOLDERS);
 * m.test("Zxid: 0x1c on 2181"); // true
 * ```
 */
export function compile(
  lines: string[],
  vars: Record<string, string>,
  placeholders: Record<string, string>,
): LineMatcher[] {
  return lines.map((line) => {
    const display = substitute(line, vars);
    if (line.trim() === "{{...}}") return { display, wildcard: true, test: () => true };
    let pattern = "";
    let literal = true;
    let last = 0;
    for (const m of line.matchAll(TOKEN)) {
      pattern += escape(line.slice(last, m.index));
      const name = m[1];
      if (vars[name] !== undefined) {
        pattern += escape(vars[name]);
      } else if (placeholders[name] !== undefined) {
        pattern += `(?:${placeholders[name]})`;
        literal = false;
      } else {
        pattern += escape(m[0]);
      }
      last = m.index + m[0].length;
    }
    pattern += escape(line.slice(last));
    if (literal) return { display, wildcard: false, test: (a: string) => a === display };
    const re = new RegExp(`^${pattern}$`);
    return { display, wildcard: false, test: (a: string) => re.test(a) };
  });
}

type Op = { kind: " " | "-" | "+" | "~"; line: string };

/**
 * Align expected with actual lines: a matched line scores 2, a line taken by `{{...}}` scores 1,
 * so a full match wins over one that lets a wildcard swallow an expected line.
 */
function align(expected: LineMatcher[], actual: string[]): Op[] {
  const n = expected.length;
  const m = actual.length;
  const score: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      const e = expected[i];
      let best = score[i + 1][j];
      if (j < m) {
        best = Math.max(best, score[i][j + 1]);
        if (e.wildcard) best = Math.max(best, score[i][j + 1] + 1);
        else if (e.test(actual[j])) best = Math.max(best, score[i + 1][j + 1] + 2);
      }
      score[i][j] = best;
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const e = expected[i];
    if (
      i < n && j < m && !e.wildcard && e.test(actual[j]) && score[i][j] === score[i + 1][j + 1] + 2
    ) {
      ops.push({ kind: " ", line: actual[j] });
      i++;
      j++;
    } else if (i < n && j < m && e.wildcard && score[i][j] === score[i][j + 1] + 1) {
      ops.push({ kind: "~", line: actual[j++] });
    } else if (i < n && (j === m || score[i][j] === score[i + 1][j])) {
      if (!e.wildcard) ops.push({ kind: "-", line: e.display });
      i++;
    } else {
      ops.push({ kind: "+", line: actual[j++] });
    }
  }
  return ops;
}

/** The outcome of comparing one step's output. */
export interface Comparison {
  /** Whether every line matched. */
  ok: boolean;
  /** `- expected` / `+ actual` lines with context; "" when ok. */
  diff: string;
}

/**
 * Compare actual lines with expected ones.
 *
 * @example
 * ```ts
 * compare(compile(["a", "{{number}}"], {}, PLACEHOLDERS), ["a", "b"]).diff; // "  a\n- {{number}}\n+ b"
 * ```
 */
export function compare(expected: LineMatcher[], actual: string[], context = 3): Comparison {
  const ops = align(expected, actual);
  const changed = ops.map((op) => op.kind === "-" || op.kind === "+");
  if (!changed.includes(true)) return { ok: true, diff: "" };
  const keep = ops.map((_, k) =>
    changed.slice(Math.max(0, k - context), k + context + 1).includes(true)
  );
  const out: string[] = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (!keep[k]) {
      skipped = true;
      return;
    }
    if (skipped) out.push("  …");
    skipped = false;
    out.push(`${op.kind === "~" ? " " : op.kind} ${op.line}`);
  });
  if (skipped) out.push("  …");
  return { ok: false, diff: out.join("\n") };
}

/**
 * Take zkCli's watch-event lines out of its stdout. Its event thread prints a blank line before
 * `WATCHER::` and before `WatchedEvent …`; the main thread's output may land between them, so
 * events are compared as their own ordered list.
 */
export function splitEvents(lines: string[]): { lines: string[]; events: string[] } {
  const rest: string[] = [];
  const events: string[] = [];
  for (const line of lines) {
    const isWatcher = line === "WATCHER::";
    const isEvent = line.startsWith("WatchedEvent ");
    if ((isWatcher || isEvent) && rest.at(-1) === "") rest.pop();
    if (isEvent) events.push(line);
    if (!isWatcher && !isEvent) rest.push(line);
  }
  return { lines: rest, events };
}

/** Split a YAML text block into lines (the final newline ends the last line, not a new one). */
export function textLines(text: string): string[] {
  if (text === "") return [];
  const out = text.split("\n");
  if (out.at(-1) === "") out.pop();
  return out;
}
