/**
 * herd's kafka-dump-log against what Apache 2.8.2's DumpLogSegments printed for the same files
 * (testdata/expected, recorded by testdata/make_fixture.ts): herd-written and Apache-written
 * segments, indexes, snapshots and txnindexes, `__consumer_offsets` and `__transaction_state`
 * records through the decoders, damaged files, and the option errors, byte for byte with the exit
 * code (the JVM's stack frames dropped, temp paths as `<dir>`). No JVM needed.
 */
import assert from "node:assert/strict";
import { CASES, runHerd, runOutput } from "./testdata/cases.ts";

const HERE = new URL(".", import.meta.url).pathname;
const INPUTS = `${HERE}testdata/inputs`;

Deno.test("kafka-dump-log prints what Apache 2.8.2's DumpLogSegments printed", async (t) => {
  // Several at a time: each is a deno process (~0.3 s).
  const results = new Map<string, string>();
  const queue = [...CASES];
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      results.set(c.name, runOutput(await runHerd(INPUTS, c.args)));
    }
  }));
  for (const c of CASES) {
    await t.step(c.name, () => {
      const expected = Deno.readTextFileSync(`${HERE}testdata/expected/${c.name}.txt`);
      assert.equal(results.get(c.name), expected);
    });
  }
});
