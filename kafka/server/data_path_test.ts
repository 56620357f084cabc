/**
 * The data path (Produce, Fetch, ListOffsets, OffsetForLeaderEpoch through the ReplicaManager)
 * on logs in memory: with kcat (librdkafka) producing keyed records in each of Kafka's four
 * codecs and consuming them back, and with raw requests for the waiting fetch and the errors.
 * The disk log has its own tests in kafka/log; the broker's end-to-end tests use both.
 */
import assert from "node:assert/strict";
import { withMemoryBroker } from "./_memory_broker.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { readResponse, writeRequest } from "../protocol/frame.ts";
import { apiEntry } from "../protocol/registry.ts";
import { RawClient } from "./_test_client.ts";

const CI = Deno.env.get("CI") === "true";
const NO_KCAT = (Deno.env.get("PATH") ?? "").split(":").some((d) => {
    try {
      return Deno.statSync(`${d}/kcat`).isFile;
    } catch {
      return false;
    }
  })
  ? undefined
  : "kcat is not installed (apt-get install -y kcat)";

async function kcat(args: string[], stdin?: string): Promise<string> {
  const p = new Deno.Command("kcat", {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = p.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await p.output();
  const text = new TextDecoder().decode(out.stdout);
  assert.ok(out.success, `kcat ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

Deno.test({
  name: "kcat produces keyed records in each codec and consumes them back",
  ignore: !CI && NO_KCAT !== undefined && (console.log(`skip kcat data path: ${NO_KCAT}`), true),
  fn: () =>
    withMemoryBroker({ t: 1 }, async (port, logs) => {
      const b = `127.0.0.1:${port}`;
      const expected: string[] = [];
      for (const codec of ["none", "gzip", "snappy", "lz4", "zstd"]) {
        const lines = Array.from({ length: 50 }, (_, i) => `${codec}-k${i}=${codec}-v${i}`);
        expected.push(...lines);
        await kcat(["-b", b, "-P", "-t", "t", "-K", "=", "-z", codec], lines.join("\n") + "\n");
      }
      assert.equal(logs.get("t", 0).logEndOffset, 250);
      const out = await kcat(["-b", b, "-C", "-t", "t", "-o", "beginning", "-e", "-f", "%k=%s\n"]);
      assert.deepEqual(out.trimEnd().split("\n"), expected);
      // The codecs are stored as sent: kcat's batches keep their compression attribute.
      const stored = await logs.get("t", 0).read(0, 1 << 30, { minOneMessage: true });
      const codecs = new Set<number>();
      for (const e of scanEntries(stored.records).entries) {
        codecs.add(
          new RecordBatch(stored.records.subarray(e.position, e.position + e.sizeInBytes))
            .compression,
        );
      }
      assert.deepEqual([...codecs].sort(), [0, 1, 2, 3, 4]);
      // -o -2 counts from the end: offsets resolved by ListOffsets.
      const tail = await kcat(["-b", b, "-C", "-t", "t", "-o", "-2", "-e", "-f", "%o %s\n"]);
      assert.equal(tail, "248 zstd-v48\n249 zstd-v49\n");
    }),
});

/** Sends one request and decodes its answer. */
async function call<T>(
  c: RawClient,
  apiKey: number,
  version: number,
  body: unknown,
  correlationId = 1,
): Promise<T> {
  const w = new KafkaWriter();
  writeRequest(w, {
    requestApiKey: apiKey,
    requestApiVersion: version,
    correlationId,
    clientId: "t",
  }, body);
  await c.send(w.written().slice());
  const f = await c.frame();
  assert.ok(f, "an answer");
  const r = new KafkaReader();
  r.reset(f, 0, f.length);
  const { header, body: answer } = readResponse(r, apiEntry(apiKey)!, version);
  assert.equal(header.correlationId, correlationId);
  return answer as T;
}

interface FetchOut {
  responses: { partitions: { errorCode: number; highWatermark: number; records: Uint8Array }[] }[];
}

Deno.test("a fetch waits for data and wakes when it is produced; errors per partition", () =>
  withMemoryBroker({ t: 1 }, async (port) => {
    const consumer = await RawClient.connect(port);
    const producer = await RawClient.connect(port);
    try {
      const fetchBody = (offset: number, partition = 0) => ({
        replicaId: -1,
        maxWaitMs: 60_000,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{
          topic: "t",
          partitions: [{
            partition,
            fetchOffset: offset,
            partitionMaxBytes: 1 << 20,
            currentLeaderEpoch: -1,
            logStartOffset: -1,
          }],
        }],
        forgottenTopicsData: [],
        rackId: "",
      });
      const waiting = call<FetchOut>(consumer, 1, 11, fetchBody(0));
      let answered = false;
      waiting.then(() => answered = true);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(answered, false, "no data yet: the fetch waits (max_wait_ms is a minute)");
      const batch = buildRecordBatch({
        records: [{ timestamp: 1, key: null, value: new TextEncoder().encode("hello") }],
      });
      const produced = await call<
        { responses: { partitionResponses: { errorCode: number; baseOffset: number }[] }[] }
      >(
        producer,
        0,
        8,
        {
          transactionalId: null,
          acks: -1,
          timeoutMs: 1000,
          topicData: [{ name: "t", partitionData: [{ index: 0, records: batch }] }],
        },
      );
      assert.equal(produced.responses[0].partitionResponses[0].errorCode, 0);
      assert.equal(produced.responses[0].partitionResponses[0].baseOffset, 0);
      const fetched = await waiting;
      const p = fetched.responses[0].partitions[0];
      assert.equal(p.errorCode, 0);
      assert.equal(p.highWatermark, 1);
      assert.equal(new RecordBatch(p.records.slice()).records()[0].value?.length, 5);
      // Past the log end, and an unknown partition: Kafka's codes, and no wait for them.
      const past = await call<FetchOut>(consumer, 1, 11, fetchBody(5), 2);
      assert.equal(past.responses[0].partitions[0].errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
      const unknown = await call<FetchOut>(consumer, 1, 11, fetchBody(0, 7), 3);
      assert.equal(
        unknown.responses[0].partitions[0].errorCode,
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      );
      // Produce with acks=2 is refused for every partition.
      const badAcks = await call<{ responses: { partitionResponses: { errorCode: number }[] }[] }>(
        producer,
        0,
        8,
        {
          transactionalId: null,
          acks: 2,
          timeoutMs: 1000,
          topicData: [{ name: "t", partitionData: [{ index: 0, records: batch }] }],
        },
        4,
      );
      assert.equal(
        badAcks.responses[0].partitionResponses[0].errorCode,
        ErrorCode.INVALID_REQUIRED_ACKS,
      );
    } finally {
      consumer.close();
      producer.close();
    }
  }));
