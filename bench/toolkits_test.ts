/**
 * The toolkit figures run both sides on the generated data and notice when herd's output is not
 * Apache's. Correctness only; no timings are asserted.
 */
import assert from "node:assert/strict";
import { apacheGate } from "../tools/zk-txnlog/_apache.ts";
import { Results } from "./report.ts";
import { benchToolkits } from "./toolkits.ts";

const gate = apacheGate("the toolkit figures against Apache's tools");

Deno.test({
  name: "toolkit figures: both sides timed on the same small dataDir, outputs identical",
  ignore: gate.ignore,
}, async () => {
  gate.check();
  const results = new Results();
  const notes: string[] = [];
  const lines: string[] = [];
  await benchToolkits(["herd", "apache"], 1, results, notes, (l) => lines.push(l), {
    folders: 3,
    perFolder: 50,
    txns: 500,
  });
  assert.deepEqual(notes, [], lines.join("\n"));
  assert.deepEqual(results.rows.map((r) => [r.figure, r.unit]), [
    ["snapshot toolkit, 168 znodes (0 MB)", "s"],
    ["txn log toolkit, 500 txns", "s"],
  ]);
  for (const r of results.rows) {
    assert.ok(r.values.herd! > 0 && r.values.apache! > 0, JSON.stringify(r));
  }
});
