/**
 * A small line diff for test failures: `-` expected, `+` actual, with a few
 * lines of context around each change.
 *
 * @module
 */

type Op = { kind: " " | "-" | "+"; line: string };

function diffOps(expected: string[], actual: string[]): Op[] {
  const n = expected.length;
  const m = actual.length;
  // Longest common subsequence table; transcripts are a few hundred lines.
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = expected[i] === actual[j]
        ? lcs[i + 1][j + 1] + 1
        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (expected[i] === actual[j]) {
      ops.push({ kind: " ", line: expected[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ops.push({ kind: "-", line: expected[i++] });
    } else {
      ops.push({ kind: "+", line: actual[j++] });
    }
  }
  while (i < n) ops.push({ kind: "-", line: expected[i++] });
  while (j < m) ops.push({ kind: "+", line: actual[j++] });
  return ops;
}

/**
 * A readable diff of two line lists, or "" when they are equal.
 *
 * @example
 * ```ts
 * lineDiff(["a", "b"], ["a", "c"]); // "  a\n- b\n+ c"
 * ```
 */
export function lineDiff(expected: string[], actual: string[], context = 3): string {
  const ops = diffOps(expected, actual);
  if (ops.every((op) => op.kind === " ")) return "";
  const keep = new Array<boolean>(ops.length).fill(false);
  ops.forEach((op, k) => {
    if (op.kind === " ") return;
    for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) {
      keep[c] = true;
    }
  });
  const out: string[] = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (!keep[k]) {
      skipped = true;
      return;
    }
    if (skipped) out.push("  …");
    skipped = false;
    out.push(`${op.kind} ${op.line}`);
  });
  if (skipped) out.push("  …");
  return out.join("\n");
}
