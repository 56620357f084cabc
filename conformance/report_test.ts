import assert from "node:assert/strict";
import { failures, table, totals } from "./report.ts";
import type { RunResult } from "./runner.ts";
import { parseTranscript } from "./transcript.ts";

const t = (name: string) =>
  parseTranscript(`${name}.yaml`, "title: t\nsteps:\n  - sh: echo hi\n    out: hi\n");

Deno.test("the table shows pass, FAIL, numbered skip reasons and - for n/a", () => {
  const a = t("alpha");
  const b = t("beta");
  const results: RunResult[] = [
    { transcript: a, column: "herd", status: "pass", steps: [], ms: 10 },
    { transcript: a, column: "apache", status: "skip", reason: "no java", steps: [], ms: 0 },
    { transcript: a, column: "herd-cli", status: "n/a", reason: "no CLI", steps: [], ms: 0 },
    {
      transcript: b,
      column: "herd",
      status: "fail",
      steps: [{ label: "step 1: sh: echo hi", status: "fail", diff: "- hi\n+ ho" }],
      ms: 1500,
    },
    { transcript: b, column: "apache", status: "skip", reason: "no java", steps: [], ms: 0 },
    { transcript: b, column: "herd-cli", status: "n/a", steps: [], ms: 0 },
  ];
  assert.equal(
    table(results, ["herd", "apache", "herd-cli"]),
    [
      "transcript  herd  apache   herd-cli",
      "----------  ----  -------  --------",
      "alpha       pass  skip[1]  -",
      "beta        FAIL  skip[1]  -",
      "",
      "[1] no java",
    ].join("\n"),
  );
  assert.deepEqual(totals(results), { pass: 1, fail: 1, skip: 2 });
  const report = failures(results);
  assert.match(report, /FAIL beta × herd \(1\.5 s\): beta\.yaml/);
  assert.ok(report.includes("\n  step 1: sh: echo hi\n    - hi\n    + ho"), report);
});
