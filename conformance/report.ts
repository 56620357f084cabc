/**
 * The suite's report: a table of transcript × target (pass, FAIL, skip with a numbered reason,
 * `-` where a target does not apply), then a diff for every failure.
 *
 * @module
 */
import type { Column, RunResult } from "./runner.ts";

/** Totals by outcome. */
export interface Totals {
  /** Runs that passed. */
  pass: number;
  /** Runs that failed. */
  fail: number;
  /** Runs that could not run here (the reasons are in the table's notes). */
  skip: number;
}

/** Count outcomes (n/a is not counted). */
export function totals(results: RunResult[]): Totals {
  const t = { pass: 0, fail: 0, skip: 0 };
  for (const r of results) if (r.status !== "n/a") t[r.status]++;
  return t;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The table and the notes for skipped runs.
 *
 * @example
 * ```ts
 * console.log(table(results, ["herd", "apache"]));
 * ```
 */
export function table(results: RunResult[], columns: Column[]): string {
  const names = [...new Set(results.map((r) => r.transcript.name))];
  const notes: string[] = [];
  const note = (reason: string) => {
    let k = notes.indexOf(reason);
    if (k < 0) k = notes.push(reason) - 1;
    return `[${k + 1}]`;
  };
  const rows = names.map((name) => {
    const cells = columns.map((c) => {
      const r = results.find((x) => x.transcript.name === name && x.column === c);
      if (!r || r.status === "n/a") return "-";
      if (r.status === "skip") return `skip${note(r.reason ?? "")}`;
      return r.status === "pass" ? "pass" : "FAIL";
    });
    const slow = results.find((x) => x.transcript.name === name)?.transcript.slow ? " (slow)" : "";
    return [`${name}${slow}`, ...cells];
  });
  const header = ["transcript", ...columns];
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => c.padEnd(widths[k])).join("  ").trimEnd();
  const out = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  if (notes.length > 0) out.push("", ...notes.map((n, k) => `[${k + 1}] ${n}`));
  return out.join("\n");
}

/** What every failure printed, step by step: the diff (`-` Apache's, `+` the target's). */
export function failures(results: RunResult[]): string {
  const out: string[] = [];
  for (const r of results.filter((x) => x.status === "fail")) {
    out.push(
      "",
      `FAIL ${r.transcript.name} × ${r.column} (${seconds(r.ms)}): ${r.transcript.file}`,
    );
    if (r.reason) out.push(`  ${r.reason.split("\n").join("\n  ")}`);
    for (const s of r.steps.filter((x) => x.status === "fail")) {
      out.push(`  ${s.label}`);
      if (s.error) out.push(`    error: ${s.error}`);
      if (s.diff) out.push(...s.diff.split("\n").map((l) => `    ${l}`));
    }
    if (r.logTail) {
      out.push("  --- server log (last lines) ---", ...r.logTail.split("\n").map((l) => `  ${l}`));
    }
  }
  if (out.length > 0) {
    out.unshift("", "Failures (- what Apache prints, + what the target printed):");
  }
  return out.join("\n");
}

/** One progress line for a finished run. */
export function progress(r: RunResult, done: number, total: number): string {
  const what = r.status === "skip" || r.status === "n/a" ? `${r.status}: ${r.reason}` : r.status;
  return `[${done}/${total}] ${r.transcript.name} × ${r.column}: ${what}` +
    (r.ms > 0 ? ` (${seconds(r.ms)})` : "");
}
