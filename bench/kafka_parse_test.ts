import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  firstError,
  parseConsumerPerf,
  parseEndToEnd,
  parseOffsets,
  parseProducerPerf,
} from "./kafka_parse.ts";

// Captured from Apache Kafka 2.8.2's tools against an Apache 2.8.2 broker on this machine
// (conformance/apache/bin launchers, JDK 17), stdout as printed.
const PRODUCER_OUT = [
  "34306 records sent, 6861.2 records/sec (6.70 MB/sec), 3252.5 ms avg latency, " +
  "4254.0 ms max latency.",
  "100000 records sent, 10399.334443 records/sec (10.16 MB/sec), 2505.72 ms avg latency, " +
  "4254.00 ms max latency, 2333 ms 50th, 3949 ms 95th, 4196 ms 99th, 4247 ms 99.9th.",
  "",
].join("\n");

const CONSUMER_OUT = [
  "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, " +
  "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
  "2026-12-08 01:29:24:471, 2026-12-08 01:29:27:305, 292.9688, 103.3764, 300000, 105857.4453, " +
  "1245, 1589, 184.3730, 188797.9862",
  "",
].join("\n");

const E2E_OUT = [
  'Topic "e2e" does not exist. Will create topic with 1 partition(s) and replication factor = 1',
  "0\t167.93674600000003",
  "1000\t0.9011440000000001",
  "4000\t0.470331",
  "Avg latency: 2.0992 ms",
  "",
  "Percentiles: 50th = 0, 99th = 14, 99.9th = 82",
  "",
].join("\n");

Deno.test("producer perf: the final line, not the periodic one before it", () => {
  assertEquals(parseProducerPerf(PRODUCER_OUT), {
    records: 100000,
    recordsPerSec: 10399.334443,
    mbPerSec: 10.16,
    avgMs: 2505.72,
    maxMs: 4254,
    p50Ms: 2333,
    p95Ms: 3949,
    p99Ms: 4196,
    p999Ms: 4247,
  });
});

Deno.test("producer perf: no summary (tool killed while running) is null", () => {
  assertEquals(parseProducerPerf(PRODUCER_OUT.split("\n")[0]), null);
  assertEquals(parseProducerPerf(""), null);
});

Deno.test("consumer perf: values read by header name", () => {
  assertEquals(parseConsumerPerf(`WARNING: something\n${CONSUMER_OUT}`), {
    mb: 292.9688,
    mbPerSec: 103.3764,
    messages: 300000,
    messagesPerSec: 105857.4453,
    rebalanceMs: 1245,
    fetchMs: 1589,
    fetchMbPerSec: 184.373,
    fetchMessagesPerSec: 188797.9862,
  });
});

Deno.test("consumer perf: a run that fetched nothing (NaN rates) or lost its line is null", () => {
  const [head] = CONSUMER_OUT.split("\n");
  const empty = "2026-12-08 01:29:24:471, 2026-12-08 01:29:34:471, 0.0000, 0.0000, 0, 0.0000, " +
    "3000, 7000, 0.0000, NaN";
  assertEquals(parseConsumerPerf(`${head}\n${empty}\n`), null);
  assertEquals(parseConsumerPerf(`${head}\n`), null);
});

Deno.test("end-to-end latency: average and whole-millisecond percentiles", () => {
  assertEquals(parseEndToEnd(E2E_OUT), { avgMs: 2.0992, p50Ms: 0, p99Ms: 14, p999Ms: 82 });
  assertEquals(parseEndToEnd(E2E_OUT.replace(/Percentiles.*/, "")), null);
});

Deno.test("firstError picks the exception line", () => {
  const err = "[2026-12-08] WARN slow (x)\n" +
    "org.apache.kafka.common.errors.TimeoutException: Expiring 16 record(s) for t-0\n";
  assertEquals(
    firstError(err),
    "org.apache.kafka.common.errors.TimeoutException: Expiring 16 record(s) for t-0",
  );
  assertEquals(firstError(""), "");
});

Deno.test("GetOffsetShell: topic:partition:offset lines of the asked topic only", () => {
  // Captured: GetOffsetShell --topic gos --time -1 after 1234 records, Apache's broker and herd's.
  assertEquals(parseOffsets("gos:0:1234\n", "gos"), new Map([[0, 1234]]));
  assertEquals(parseOffsets("gos:1:5\ngos:0:7\ngos2:0:9\n", "gos"), new Map([[1, 5], [0, 7]]));
  assertEquals(parseOffsets("Error: no such topic\n", "gos"), null);
});
