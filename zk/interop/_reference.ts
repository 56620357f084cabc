/**
 * Where the Apache 3.8.0 reference captures live (`../shared/reference/zookeeper`
 * beside the repo, or `HERD_REFERENCE_DIR`), and the shared assertion that two
 * canonical outputs match.
 *
 * @module
 */

import { lineDiff } from "./_diff.ts";

export const REFERENCE_DIR = Deno.env.get("HERD_REFERENCE_DIR") ??
  new URL("../../../shared/reference/zookeeper", import.meta.url).pathname;

/** A reference file's text. */
export function reference(name: string): Promise<string> {
  return Deno.readTextFile(`${REFERENCE_DIR}/${name}`);
}

/** Split text into lines, dropping the final empty one. */
export function lines(text: string): string[] {
  const out = text.split("\n");
  if (out.at(-1) === "") out.pop();
  return out;
}

/** Throw with a line diff (`-` reference, `+` target) unless equal. */
export function assertSameLines(what: string, expected: string[], actual: string[]): void {
  const diff = lineDiff(expected, actual);
  if (diff !== "") {
    throw new Error(`${what} differs from the reference (- reference, + target):\n${diff}`);
  }
}

/** Strip a log line's timestamp and `[myid:…]` so only level, thread and message remain. */
export function logBody(line: string): string | undefined {
  const m = line.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?:\[myid:\d*\] )?- (.*)$/);
  return m?.[1];
}
