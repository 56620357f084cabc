/**
 * Apache 3.8.0's captures in the repository's `conformance/reference/zookeeper` (located by
 * `conformance/reference.ts`), and the shared assertion that two canonical outputs match.
 *
 * @module
 */

import { referenceText } from "../../conformance/reference.ts";
import { lineDiff } from "./_diff.ts";

/** A ZooKeeper capture's text, by file name (`03-acl.cmds`). */
export function reference(name: string): Promise<string> {
  return referenceText(`zookeeper/${name}`);
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
