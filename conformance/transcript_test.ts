/**
 * Every transcript loads, and its expected lines are Apache's: each compared line of a
 * transcript that names a `reference` capture is found there, in order.
 */
import assert from "node:assert/strict";
import {
  compile,
  type LineMatcher,
  PLACEHOLDERS,
  splitEvents,
  textLines,
  tokens,
} from "./expect.ts";
import { loadTranscripts, TRANSCRIPT_DIR } from "./load.ts";
import { pickExpected } from "./execute.ts";
import { isVariable, parseTranscript, type Transcript } from "./transcript.ts";
import { referenceText } from "./reference.ts";

const transcripts = await loadTranscripts(TRANSCRIPT_DIR);

Deno.test("every transcript loads, with a unique name", () => {
  assert.ok(transcripts.length >= 15);
  const names = transcripts.map((t) => t.name);
  assert.equal(new Set(names).size, names.length);
  assert.ok(transcripts.some((t) => t.system === "kafka"));
  assert.ok(transcripts.some((t) => t.server.kind === "ensemble"));
  assert.ok(transcripts.some((t) => t.external), "some run on someone else's server");
});

Deno.test("a malformed transcript names its file and step", () => {
  const bad = (yaml: string) => () => parseTranscript("bad.yaml", yaml);
  assert.throws(bad("steps:\n  - sh: x\n    outt: y\n"), /bad\.yaml: step 1: unknown key 'outt'/);
  assert.throws(bad("steps:\n  - sh: x\n    zkcli: y\n"), /step 1: needs exactly one of/);
  assert.throws(bad("steps:\n  - sh: echo {{prot}}\n"), /step 1: unknown \{\{prot\}\}/);
  assert.throws(bad("steps:\n  - server: reboot\n"), /server: start\|stop\|observer/);
  assert.throws(bad("steps: [\n"), /bad\.yaml: YAML:/);
  assert.throws(bad("title: x\n"), /steps: a non-empty list/);
});

/**
 * A reference capture's output lines: `OUT|`/`ERR|`/`SH |` bodies as they are, commands (`IN |`,
 * `SH$ `, `$ `), comments and exit codes dropped, and `[rc=N]` cut from an unterminated last line.
 */
function referenceLines(text: string): string[] {
  return textLines(text)
    .filter((l) => !/^(IN \| |SH\$ |\$ |## |EXIT rc=)/.test(l))
    .map((l) => (/^(OUT|ERR|SH )\|/.test(l) ? l.slice(5) : l).replace(/\[rc=\d+\]$/, ""))
    .filter((l) => !l.startsWith("SLF4J:") && !l.startsWith("log4j:"));
}

/** Where the matchers are found in `ref` in order from `from`, or the first that is not. */
function findInOrder(ms: LineMatcher[], ref: string[], from: number): number | LineMatcher {
  let at = from - 1;
  for (const m of ms) {
    if (m.wildcard) continue;
    let k = at + 1;
    while (k < ref.length && !m.test(ref[k])) k++;
    if (k === ref.length) return m;
    at = k;
  }
  return at;
}

function checkProvenance(t: Transcript, text: string): void {
  const { lines: ref, events: refEvents } = splitEvents(referenceLines(text));
  // Unordered steps (their command sorts) may show a field of a line (`cut -f1`).
  const refSet = new Set([...ref, ...ref.map((l) => l.split("\t")[0])]);
  const placeholders: Record<string, string> = { ...PLACEHOLDERS, ...t.placeholders };
  for (const step of t.steps) {
    for (const name of ["out", "err"] as const) {
      for (const line of textLines(pickExpected(step[name], "apache") ?? "")) {
        for (const v of tokens(line)) if (isVariable(v)) placeholders[v] = "\\S+";
      }
    }
  }
  let from = 0;
  let eventsFrom = 0;
  for (const step of t.steps) {
    if (step.quiet || !["zkcli-open", "zkcli", "sh", "zkcli-batch"].includes(step.kind)) continue;
    const where = `${t.name} step ${step.index} vs ${t.reference}`;
    let end = from;
    for (const name of ["out", "err"] as const) {
      const split = splitEvents(textLines(pickExpected(step[name], "apache") ?? ""));
      const ms = compile(split.lines, {}, placeholders);
      if ("command" in step && /\bsort\b/.test(step.command)) {
        for (const m of ms) {
          assert.ok([...refSet].some((r) => m.test(r)), `${where}: '${m.display}' not found`);
        }
        continue;
      }
      const at = findInOrder(ms, ref, from);
      if (typeof at !== "number") assert.fail(`${where}: '${at.display}' not found in order`);
      end = Math.max(end, at + 1);
      const ev = findInOrder(compile(split.events, {}, placeholders), refEvents, eventsFrom);
      if (typeof ev !== "number") assert.fail(`${where}: event '${ev.display}' not found`);
      eventsFrom = ev + 1;
    }
    from = end;
  }
}

for (const t of transcripts) {
  const capture = t.reference;
  if (capture === undefined) continue;
  Deno.test(`${t.name}: every compared line is in ${capture}`, async () => {
    checkProvenance(t, await referenceText(capture));
  });
}
