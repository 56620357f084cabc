/**
 * Parse the reference zkCli transcripts and put expected and actual output in
 * one canonical form, so a line diff shows only real differences.
 *
 * What may vary and is normalised: ctime/mtime (except the epoch of the
 * built-in nodes), ephemeralOwner session ids, client ports, and where the
 * client's event thread interleaves its `WATCHER::` lines with the main
 * thread's output. zxids are never normalised: a drop-in must match them.
 *
 * @module
 */

import { isClientNoise } from "./_zkcli.ts";

const EPOCH = "Thu Jan 01 00:00:00 UTC 1970";

/** Replace what legitimately differs between runs. */
export function normaliseLine(line: string): string {
  return line
    .replace(
      /^(ctime|mtime) = (.*)$/,
      (all, field, value) => value === EPOCH ? all : `${field} = <date>`,
    )
    .replace(/^ephemeralOwner = 0x(?!0$)[0-9a-f]+$/, "ephemeralOwner = <session>")
    .replaceAll(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>");
}

/**
 * Take the client's watch-event lines out of one stream. The event thread
 * prints `\nWATCHER::` and `\nWatchedEvent …` with one println each, so the
 * blank line always sits right before its line; the main thread's output may
 * land between the two.
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

/**
 * Canonical form of a whole zkCli run with merged output: the non-event lines,
 * then the events in order.
 */
export function canonicalMerged(lines: string[]): string[] {
  const { lines: rest, events } = splitEvents(lines.filter((l) => !isClientNoise(l)));
  return [...rest.map(normaliseLine), "--- events", ...events.map(normaliseLine)];
}

/** One step of a line-by-line transcript. */
export interface Step {
  /** `preamble`: output before the first command; `in`: a zkCli command; `sh`: a shell command. */
  kind: "preamble" | "in" | "sh";
  command: string;
  out: string[];
  err: string[];
}

/** A parsed `IN|`/`OUT|`/`ERR|` transcript. */
export interface Transcript {
  steps: Step[];
  exitCode?: number;
}

/** Parse a reference transcript (`01b-…`, `03-…`). */
export function parseTranscript(text: string): Transcript {
  const steps: Step[] = [{ kind: "preamble", command: "", out: [], err: [] }];
  let exitCode: number | undefined;
  for (const raw of text.split("\n")) {
    if (raw === "" || raw.startsWith("## ")) continue;
    const exit = raw.match(/^EXIT rc=(\d+)$/);
    if (exit) {
      exitCode = Number(exit[1]);
      continue;
    }
    const prefix = raw.slice(0, 4);
    const body = raw.slice(5);
    const current = steps.at(-1)!;
    switch (prefix) {
      case "IN |":
        steps.push({ kind: "in", command: body, out: [], err: [] });
        break;
      case "SH$ ":
        steps.push({ kind: "sh", command: raw.slice(4), out: [], err: [] });
        break;
      case "OUT|":
      case "SH |":
        current.out.push(body);
        break;
      case "ERR|":
        current.err.push(body);
        break;
      default:
        throw new Error(`unexpected transcript line: ${raw}`);
    }
  }
  return { steps, exitCode };
}

/**
 * Canonical lines of a transcript: per step its command, its stdout lines and
 * its stderr lines, without client noise or watch events; shell steps keep
 * their own events, zkCli steps' events are listed at the end (they arrive
 * asynchronously, so which step they land in is timing).
 */
export function canonicalTranscript(
  t: Transcript,
  skipOutput: (step: Step) => boolean = () => false,
): string[] {
  const out: string[] = [];
  const events: string[] = [];
  for (const step of t.steps) {
    const label = step.kind === "sh" ? "SH$ " : step.kind === "in" ? "IN | " : "";
    if (label) out.push(`${label}${normaliseLine(step.command)}`);
    if (skipOutput(step)) continue;
    const split = splitEvents(step.out.filter((l) => !isClientNoise(l)));
    for (const l of split.lines) out.push(`OUT| ${normaliseLine(l)}`);
    for (const l of step.err.filter((e) => !isClientNoise(e))) out.push(`ERR| ${normaliseLine(l)}`);
    if (step.kind === "sh") {
      for (const e of split.events) out.push(`SH-EVENT| ${e}`);
    } else {
      events.push(...split.events);
    }
  }
  out.push("--- events", ...events.map(normaliseLine));
  if (t.exitCode !== undefined) out.push(`EXIT rc=${t.exitCode}`);
  return out;
}
