/**
 * `deno task test:conformance`: replay the documented transcripts against herd and Apache
 * ZooKeeper 3.8.0 (both started here) or against your own servers, and print where a target
 * differs from what Apache prints.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { failures, progress, table, totals } from "./report.ts";
import { columnsFor, runSuite, type SuiteOptions } from "./runner.ts";
import { loadTranscripts, TRANSCRIPT_DIR } from "./load.ts";

const HELP = `Usage: deno task test:conformance [options]

Replays conformance/transcripts/**/*.yaml (the seed's sessions and Apache 3.8.0's captures) and
prints a table of transcript × target, with a line diff for every failure.

  --target herd|apache|both   servers to start and test (default both; Apache only when installed)
  --zk host:port[,host:port]  test your own running ZooKeeper instead: only the transcripts that
                              are safe there run (they work under a unique /herd-conformance-…
                              prefix and delete it afterwards)
  --kafka host:port           a running Kafka broker for the Kafka transcripts (needs --zk: the
                              ZooKeeper it uses); or set KAFKA_HOME to let the suite start one
  --slow                      also run the slow transcripts (TTL and container timings)
  --only name[,name]          only transcripts whose file name contains one of these
  --jobs N                    transcripts run at a time (default 2)
  --list                      list the transcripts and exit
  --help                      this text

Columns: herd = herd's server with Apache's clients (zkCli.sh, nc, zkServer.sh status);
apache = Apache's server and clients; herd-cli = herd's CLIs against Apache's server, compared
with what Apache's CLIs print; external = Apache's clients against --zk.
Exit code 1 when a transcript fails (under CI=true also when a needed program is missing).`;

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: "string", default: "both" },
      zk: { type: "string" },
      kafka: { type: "string" },
      slow: { type: "boolean", default: false },
      only: { type: "string" },
      jobs: { type: "string", default: "2" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const targets = values.target === "both"
    ? ["herd", "apache"] as const
    : values.target === "herd" || values.target === "apache"
    ? [values.target] as const
    : undefined;
  if (!targets) {
    console.error(`--target ${values.target}: expected herd, apache or both`);
    return 2;
  }
  const transcripts = await loadTranscripts(TRANSCRIPT_DIR);
  if (values.list) {
    for (const t of transcripts) {
      console.log(`${t.name.padEnd(32)} ${t.title}${t.slow ? " (slow)" : ""}`);
    }
    return 0;
  }
  const opts: SuiteOptions = {
    targets: [...targets],
    zk: values.zk,
    kafka: { home: Deno.env.get("KAFKA_HOME") || undefined, bootstrap: values.kafka },
    slow: values.slow,
    only: values.only ? values.only.split(",") : [],
    jobs: Number(values.jobs) || 2,
    onResult: (r, done, total) => console.error(progress(r, done, total)),
  };
  const columns = columnsFor(opts);
  console.error(`conformance: ${transcripts.length} transcripts × ${columns.join(", ")}`);
  const results = await runSuite(transcripts, opts);
  console.log(table(results, columns));
  console.log(failures(results));
  const t = totals(results);
  console.log(`\n${t.pass} passed, ${t.fail} failed, ${t.skip} skipped`);
  const ciMissing = Deno.env.get("CI") === "true" &&
    results.some((r) => r.status === "skip" && /apt-get install/.test(r.reason ?? ""));
  if (ciMissing) console.log("CI=true: a needed program is missing (see the notes above)");
  return t.fail > 0 || ciMissing ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
