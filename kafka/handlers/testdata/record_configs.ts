/**
 * Records what Apache Kafka 2.8.2 answers to the config APIs (DescribeConfigs, AlterConfigs,
 * IncrementalAlterConfigs) for the steps in config_steps.ts, as decoded JSON lines: the fixture
 * `apache-2.8.2-configs.jsonl` that 32_describe_configs_test.ts and the alter tests replay against
 * herd's handlers. See README.md for how to run it.
 *
 *   deno run -A kafka/handlers/testdata/record_configs.ts 127.0.0.1:PORT server.properties > out.jsonl
 *   deno run -A kafka/handlers/testdata/record_configs.ts 127.0.0.1:PORT server.properties loggers
 *
 * With `loggers` it records logger_steps.ts (BROKER_LOGGER) instead of config_steps.ts.
 *
 * The broker must be fresh (no topics, no dynamic configs); topic `t` is created first.
 *
 * @module
 */
import { KafkaReader } from "../../protocol/reader.ts";
import { KafkaWriter } from "../../protocol/writer.ts";
import { apiEntry } from "../../protocol/registry.ts";
import { readResponse, writeRequest } from "../../protocol/frame.ts";
import type { DescribeConfigsResponse } from "../../protocol/messages/describe_configs.ts";
import { CONFIG_STEPS, type Settle } from "./config_steps.ts";
import { LOGGER_STEPS } from "./logger_steps.ts";

const [bootstrap, propsFile, which] = Deno.args;
const STEPS = which === "loggers" ? LOGGER_STEPS : CONFIG_STEPS;
const [host, port] = bootstrap.split(":");
let conn = await Deno.connect({ hostname: host, port: Number(port) });
let buf = new Uint8Array(0);
let correlationId = 0;

async function call(apiKey: number, version: number, body: unknown): Promise<unknown> {
  const w = new KafkaWriter();
  writeRequest(w, {
    requestApiKey: apiKey,
    requestApiVersion: version,
    correlationId: ++correlationId,
    clientId: "herd-recorder",
  }, body);
  const bytes = w.written().slice();
  for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
  for (;;) {
    if (buf.length >= 4) {
      const len = new DataView(buf.buffer, buf.byteOffset).getInt32(0);
      if (buf.length >= 4 + len) {
        const frame = buf.slice(4, 4 + len);
        buf = buf.slice(4 + len);
        return readResponse(new KafkaReader(frame), apiEntry(apiKey)!, version).body;
      }
    }
    const chunk = new Uint8Array(65536);
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) {
      // Apache drops the connection on some requests it cannot parse: record that, reconnect.
      conn.close();
      conn = await Deno.connect({ hostname: host, port: Number(port) });
      buf = new Uint8Array(0);
      return "closed";
    }
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
  }
}

/** Polls the broker's dynamic configs until `s` holds (the change notification was applied). */
async function settle(s: Settle): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await call(32, 4, {
      resources: [{ resourceType: 4, resourceName: s.broker, configurationKeys: [s.key] }],
      includeSynonyms: true,
    }) as DescribeConfigsResponse;
    const c = res.results[0].configs.find((c) => c.name === s.key);
    const source = s.broker === "" ? 3 : 2;
    const has = c !== undefined && (c.synonyms ?? []).some((x) => x.source === source);
    if (has === s.present && (!s.present || c!.value === s.value)) return;
    if (Date.now() > deadline) throw new Error(`broker never settled: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

await call(19, 5, {
  topics: [{ name: "t", numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
  timeoutMs: 30000,
  validateOnly: false,
});
// The new topic reaches the metadata cache a moment after CreateTopics answers.
for (const deadline = Date.now() + 30_000;;) {
  const res = await call(32, 4, {
    resources: [{ resourceType: 2, resourceName: "t", configurationKeys: null }],
  }) as DescribeConfigsResponse;
  if (res.results[0].errorCode === 0) break;
  if (Date.now() > deadline) throw new Error("topic t never appeared");
  await new Promise((r) => setTimeout(r, 100));
}
console.log(JSON.stringify({ serverProperties: await Deno.readTextFile(propsFile) }));
for (const step of STEPS) {
  const response = await call(step.apiKey, step.version, step.request);
  if (step.settle) await settle(step.settle);
  console.log(JSON.stringify({ ...step, response }));
}
conn.close();
