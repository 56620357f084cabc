/**
 * herd's kafka-dump-log and Apache 2.8.2's DumpLogSegments run side by side on the fixture's
 * inputs (not on the recorded outputs, so a change in either shows): every case of
 * testdata/cases.ts, byte for byte with the exit code. Needs java and the Kafka jars
 * (conformance/apache/fetch.sh): skipped with the reason when missing, failing under CI=true.
 */
import assert from "node:assert/strict";
import { apacheIgnored, requireApache } from "../../kafka/log/_apache.ts";
import { CASES, runApache, runHerd, runOutput } from "./testdata/cases.ts";

const INPUTS = new URL("./testdata/inputs", import.meta.url).pathname;

Deno.test({
  name: "kafka-dump-log and Apache 2.8.2's DumpLogSegments print the same for every case",
  ignore: apacheIgnored("kafka-dump-log side by side with DumpLogSegments"),
  async fn(t) {
    requireApache();
    for (const c of CASES) {
      await t.step(c.name, async () => {
        const [apache, herd] = await Promise.all([
          runApache(INPUTS, c.args),
          runHerd(INPUTS, c.args),
        ]);
        assert.equal(runOutput(herd), runOutput(apache));
      });
    }
  },
});
