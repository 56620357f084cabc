/**
 * The whole suite (all but the slow transcripts) against herd and, when it is installed,
 * Apache ZooKeeper 3.8.0 and herd's CLIs against it: every run must pass. The Kafka transcripts
 * run when KAFKA_HOME is set; the ensemble ones run on Apache only (the runner starts only Apache ensembles yet).
 */
import { gate } from "./_gate.ts";
import { loadTranscripts, TRANSCRIPT_DIR } from "./load.ts";
import { failures, table } from "./report.ts";
import { columnsFor, runSuite, type SuiteOptions } from "./runner.ts";
import { apacheMissing } from "./tools.ts";

const apache = gate("conformance suite against Apache ZooKeeper 3.8.0", apacheMissing());

Deno.test({
  name: "the conformance suite passes on herd and Apache",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  apache.check();
  const opts: SuiteOptions = {
    targets: apache.ignore ? ["herd"] : ["herd", "apache"],
    kafka: { home: Deno.env.get("KAFKA_HOME") || undefined },
    slow: false,
    only: [],
    jobs: 2,
  };
  const results = await runSuite(await loadTranscripts(TRANSCRIPT_DIR), opts);
  console.log(table(results, columnsFor(opts)));
  const failed = results.filter((r) => r.status === "fail");
  if (failed.length > 0) {
    throw new Error(`${failed.length} conformance run(s) failed:${failures(results)}`);
  }
});
