/**
 * DECISIONS.md's rule for tests that need a program that is not installed: under `CI=true` the
 * test fails; elsewhere it is skipped with the reason printed.
 *
 * @module
 */

/** Pass `ignore` to Deno.test and call `check()` first thing in the test. */
export interface Gate {
  ignore: boolean;
  check(): void;
}

/** Gate a test on `missing` (why it cannot run, or undefined). */
export function gate(label: string, missing: string | undefined): Gate {
  if (missing === undefined) return { ignore: false, check() {} };
  if (Deno.env.get("CI") === "true") {
    return {
      ignore: false,
      check() {
        throw new Error(`${label}: cannot run: ${missing}`);
      },
    };
  }
  console.log(`skip ${label}: ${missing}`);
  return { ignore: true, check() {} };
}
