/**
 * Apache Kafka 2.8.2's own tools as the bench's load: kafka-topics to create the topics,
 * kafka-producer-perf-test, kafka-consumer-perf-test and kafka.tools.EndToEndLatency, each run to
 * completion and its summary read (kafka_parse.ts). A run that fails throws an Error whose message
 * says why in one line, for the notes under the table.
 */
import {
  type ConsumerSummary,
  type EndToEndSummary,
  firstError,
  parseConsumerPerf,
  parseEndToEnd,
  parseOffsets,
  parseProducerPerf,
  type ProducerSummary,
} from "./kafka_parse.ts";
import { runTool, type ToolRun } from "./kafka_targets.ts";

/** A log line or exception message without what only makes it long. */
export function shorten(line: string): string {
  return line
    .replace(/^\[[^\]]*\] (ERROR|WARN|INFO) /, "") // log4j's timestamp and level
    // AdminClient's "Call(callName=createTopics, deadlineMs=…, tries=…, …) timed out at …"
    .replace(/Call\(callName=(\w+),[^)]*\) timed out at \d+\S*/, "$1 call timed out");
}

function why(tool: string, run: ToolRun, timeoutMs: number): string {
  if (run.timedOut) {
    const err = firstError(run.stderr);
    return `${tool} did not finish within ${timeoutMs / 1000} s` +
      (err === "" ? "" : ` (it printed: ${shorten(err)})`);
  }
  const err = shorten(
    firstError(run.stderr) || run.stdout.trim().split("\n").at(-1) || "no output",
  );
  return `${tool} exited with code ${run.code}: ${err}`;
}

/** The first exception a tool printed (a failed send, an expired batch…), or "". */
function exceptionLine(stderr: string): string {
  const line = stderr.split("\n").find((l) => /^[\w.$]+(Exception|Error): /.test(l.trim()));
  return line === undefined ? "" : firstError(line);
}

/**
 * Creates `topic` with one partition and replication factor 1 through the broker
 * (`kafka-topics.sh --bootstrap-server`, with `adminConfig` a properties file for the tool's
 * AdminClient: short timeouts, so a broker without CreateTopics fails in seconds, not minutes),
 * or with `via: "zookeeper"` by writing the topic's znodes (`--zookeeper`).
 */
export async function createTopic(
  where: { via: "bootstrap"; bootstrap: string; adminConfig: string } | {
    via: "zookeeper";
    zookeeper: string;
  },
  topic: string,
  timeoutMs: number,
): Promise<void> {
  const args = where.via === "bootstrap"
    ? ["--bootstrap-server", where.bootstrap, "--command-config", where.adminConfig]
    : ["--zookeeper", where.zookeeper];
  args.push("--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1");
  const run = await runTool("kafka-topics.sh", args, timeoutMs);
  if (run.code !== 0 || !run.stdout.includes(`Created topic ${topic}.`)) {
    throw new Error(why("kafka-topics --create", run, timeoutMs));
  }
}

/**
 * kafka-producer-perf-test: `records` records of `size` bytes to `topic` as fast as it can, with
 * `acks` and any `props` added to the producer's. Throws unless every record was acknowledged.
 */
export async function producePerf(
  bootstrap: string,
  topic: string,
  records: number,
  size: number,
  acks: "1" | "all",
  timeoutMs: number,
  props: string[] = [],
): Promise<ProducerSummary> {
  const run = await runTool("kafka-producer-perf-test.sh", [
    "--topic",
    topic,
    "--num-records",
    String(records),
    "--record-size",
    String(size),
    "--throughput",
    "-1",
    "--producer-props",
    `bootstrap.servers=${bootstrap}`,
    `acks=${acks}`,
    ...props,
  ], timeoutMs);
  const summary = parseProducerPerf(run.stdout);
  if (run.code !== 0 || run.timedOut || summary === null) {
    throw new Error(why("kafka-producer-perf-test", run, timeoutMs));
  }
  // The tool counts a failed send in its totals and prints the exception: that is no figure.
  const failed = exceptionLine(run.stderr);
  if (failed !== "") throw new Error(`kafka-producer-perf-test: a send failed: ${failed}`);
  if (summary.records !== records) {
    throw new Error(`kafka-producer-perf-test: ${summary.records} of ${records} records sent`);
  }
  return summary;
}

/**
 * kafka-consumer-perf-test: reads `messages` records of `topic` from the start in a new group;
 * gives up after `idleMs` without a record. Throws unless all of them arrived.
 */
export async function consumePerf(
  bootstrap: string,
  topic: string,
  messages: number,
  idleMs: number,
  timeoutMs: number,
): Promise<ConsumerSummary> {
  const run = await runTool("kafka-consumer-perf-test.sh", [
    "--bootstrap-server",
    bootstrap,
    "--topic",
    topic,
    "--messages",
    String(messages),
    "--timeout",
    String(idleMs),
  ], timeoutMs);
  const summary = parseConsumerPerf(run.stdout);
  if (run.code !== 0 || run.timedOut || summary === null) {
    const idle = /Exiting before consuming the expected number of messages/.test(run.stdout)
      ? ` (no record for ${idleMs / 1000} s)`
      : "";
    throw new Error(why("kafka-consumer-perf-test", run, timeoutMs) + idle);
  }
  if (summary.messages < messages) {
    throw new Error(
      `kafka-consumer-perf-test: ${summary.messages} of ${messages} records within ` +
        `${idleMs / 1000} s of the last one`,
    );
  }
  return summary;
}

/**
 * kafka.tools.EndToEndLatency: `messages` records of `size` bytes sent one at a time with `acks`,
 * each awaited by a consumer (assigned, not in a group) before the next is sent.
 */
export async function endToEnd(
  bootstrap: string,
  topic: string,
  messages: number,
  size: number,
  acks: "1" | "all",
  timeoutMs: number,
): Promise<EndToEndSummary> {
  const run = await runTool("kafka-run-class.sh", [
    "kafka.tools.EndToEndLatency",
    bootstrap,
    topic,
    String(messages),
    acks,
    String(size),
  ], timeoutMs);
  const summary = parseEndToEnd(run.stdout);
  if (run.code !== 0 || run.timedOut || summary === null) {
    throw new Error(why("EndToEndLatency", run, timeoutMs));
  }
  return summary;
}

/** The log end offset of partition 0 of `topic` (GetOffsetShell `--time -1`). */
export async function endOffset(
  bootstrap: string,
  topic: string,
  timeoutMs: number,
): Promise<number> {
  const run = await runTool("kafka-run-class.sh", [
    "kafka.tools.GetOffsetShell",
    "--broker-list",
    bootstrap,
    "--topic",
    topic,
    "--time",
    "-1",
  ], timeoutMs);
  const offsets = parseOffsets(run.stdout, topic);
  const end = offsets?.get(0);
  if (run.code !== 0 || run.timedOut || end === undefined) {
    throw new Error(why("GetOffsetShell", run, timeoutMs));
  }
  return end;
}
