/**
 * Run a client scenario script (kazoo, node-zookeeper-client) that prints one
 * JSON object per check, and collect the checks. Shared by the kazoo and node
 * tests, which also compare the values one target printed with the other's.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { TargetKind } from "./_target.ts";

/** One check as the scenario printed it. */
export interface CheckRow {
  check: string;
  ok: boolean;
  value?: unknown;
  detail?: unknown;
  error?: string;
  trace?: string;
}

/** The scenario's checks, its exit code and its stderr. */
export interface ScenarioRun {
  rows: CheckRow[];
  code: number;
  stderr: string;
}

/** Run `cmd args…` with a time limit and parse its JSON lines. */
export async function runScenario(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<ScenarioRun> {
  const child = new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  const rows: CheckRow[] = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    try {
      rows.push(JSON.parse(line) as CheckRow);
    } catch {
      rows.push({ check: "(unparsed output)", ok: false, error: line });
    }
  }
  return { rows, code: out.code, stderr };
}

/**
 * Assert every check passed and the scenario reached its `_done` row; prints
 * the one-line summary for the target.
 */
export function assertAllPassed(kind: TargetKind, what: string, run: ScenarioRun): void {
  const done = run.rows.find((r) => r.check === "_done");
  const checks = run.rows.filter((r) => r.check !== "_done");
  const failed = checks.filter((r) => !r.ok);
  console.log(
    `[${kind}] ${what}: ${checks.length - failed.length}/${checks.length} checks passed` +
      (done ? "" : " (scenario did not finish)"),
  );
  if (failed.length > 0 || !done || run.code !== 0) {
    const details = failed.map((r) => `  ${r.check}: ${r.error}${r.trace ? `\n${r.trace}` : ""}`);
    assert.fail(
      `[${kind}] ${what}: ${failed.length} failed, exit code ${run.code}\n${details.join("\n")}` +
        `\n--- stderr ---\n${run.stderr.slice(-4000)}`,
    );
  }
}

/** Assert two targets' check values are equal (details may differ). */
export function assertSameValues(what: string, a: ScenarioRun, b: ScenarioRun): void {
  const values = (run: ScenarioRun) =>
    Object.fromEntries(run.rows.map((r) => [r.check, r.ok ? r.value : `FAILED: ${r.error}`]));
  assert.deepEqual(values(a), values(b), `${what}: herd's values differ from Apache's`);
}
