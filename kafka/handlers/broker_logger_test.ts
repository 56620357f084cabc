/**
 * BROKER_LOGGER through herd's config handlers answers what Apache Kafka 2.8.2 answered
 * (testdata/apache-2.8.2-loggers.jsonl: logger_steps.ts recorded against one 2.8.2 broker, see
 * testdata/README.md). Errors and the describes of named loggers must decode to Apache's
 * response byte for byte; a describe of every logger is compared logger by logger, since each
 * broker has its own set (Apache's: log4j's loaded classes, in an order that moves as classes
 * load). The levels set must be the levels herd's Logger then filters by, and the broker logs
 * each change as Apache's did.
 */
import assert from "node:assert/strict";
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { apiEntry } from "../protocol/registry.ts";
import type { ConfigStep } from "./testdata/config_steps.ts";
import type { RequestContext } from "./handler.ts";
import { withConfigWorld } from "./_config_test_setup.ts";
import { BROKER_LOGGER_NAMES } from "../config/mod.ts";
import type {
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
} from "../protocol/messages/describe_configs.ts";

type Recorded = ConfigStep & { response: unknown };

const lines = Deno.readTextFileSync(
  new URL("./testdata/apache-2.8.2-loggers.jsonl", import.meta.url),
).trim().split("\n").map((l) => JSON.parse(l));
const SERVER_PROPERTIES: string = lines[0].serverProperties;
const STEPS: Recorded[] = lines.slice(1);

/** JSON as the recorder wrote it (undefined fields gone). */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

/** The lines Apache 2.8.2's broker logged for the steps' changes (its stdout, stamps cut). */
const APACHE_CHANGE_LINES = [
  "Updating the log level of kafka.server.KafkaServer to DEBUG",
  "Updating the log level of kafka.server.KafkaServer to TRACE",
  "Updating the log level of kafka.log.LogManager to FATAL",
  "Updating the log level of kafka to WARN",
  // The deletes while `kafka` (over ZkAdminManager) is at WARN, and the root's way back from
  // ERROR, are not logged: the level being changed filters its own line.
  "Updating the log level of root to ERROR",
  "Updating the log level of kafka.log.LogManager to WARN",
  "Unset the log level of kafka.log.LogManager",
  // (Apache's "Updating topic t with new configuration" line: herd does not log topic changes.)
  "Updating the log level of kafka.server.KafkaServer to INFO",
].map((m) => `INFO [Admin Manager on Broker 0]: ${m} (kafka.server.ZkAdminManager)`);

/** Compares a describe of every logger, logger by logger. */
function compareAll(name: string, got: DescribeConfigsResponse, want: DescribeConfigsResponse) {
  assert.equal(got.results.length, 1, name);
  const [g, w] = [got.results[0], want.results[0]];
  assert.deepEqual({ ...g, configs: [] }, { ...w, configs: [] }, name);
  const apache = new Map(w.configs.map((c) => [c.name, c]));
  const herd = new Map(g.configs.map((c) => [c.name, c]));
  assert.equal(herd.size, g.configs.length, `${name}: each logger once`);
  // herd's loggers, root and the config file's `kafka` included.
  const names = ["root", ...BROKER_LOGGER_NAMES.map(([n]) => n)];
  assert.deepEqual([...herd.keys()].sort(), names.sort(), name);
  // Every field but the name and level is the same for every logger on either broker.
  const shape = (c: DescribeConfigsResourceResult) => ({ ...c, name: "", value: "" });
  for (const c of [...herd.values(), ...apache.values()]) {
    assert.deepEqual(shape(c), shape(w.configs[0]), `${name}: ${c.name}`);
  }
  let shared = 0;
  for (const [n, c] of herd) {
    const a = apache.get(n);
    if (a === undefined) continue;
    shared++;
    assert.equal(c.value, a.value, `${name}: level of ${n}`);
  }
  // Apache had loaded most of herd's classes by then (the others log only on rare paths).
  assert.ok(shared >= 10, `${name}: ${shared} loggers in common`);
}

Deno.test({
  name: "BROKER_LOGGER: herd answers Apache 2.8.2's recorded sequence",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await withConfigWorld(SERVER_PROPERTIES, async (w) => {
    for (const step of STEPS) {
      const codec = apiEntry(step.apiKey)!.codec;
      const wr = new KafkaWriter();
      codec.encodeRequest(wr, step.request, step.version);
      const request = codec.decodeRequest(new KafkaReader(wr.written().slice()), step.version);
      const ctx = { apiVersion: step.version } as RequestContext;
      const response = await w.handlers.get(step.apiKey)!(request, ctx);
      const ww = new KafkaWriter();
      codec.encodeResponse(ww, response, step.version);
      const got = codec.decodeResponse(new KafkaReader(ww.written().slice()), step.version);
      if (step.name.startsWith("loggers all")) {
        compareAll(step.name, plain(got), step.response as DescribeConfigsResponse);
      } else assert.deepEqual(plain(got), step.response, `step "${step.name}"`);
    }
    assert.deepEqual(
      w.logLines.filter((l) => l.includes("ZkAdminManager")).map((l) => l.replace(/^\[.*?\] /, "")),
      APACHE_CHANGE_LINES,
    );
  });
});

Deno.test("BROKER_LOGGER: a level set through IncrementalAlterConfigs filters the broker's lines", async () => {
  await withConfigWorld("broker.id=0\nzookeeper.connect=z:1\n", async (w) => {
    const alter = w.handlers.get(44)!;
    const ctx = { apiVersion: 1 } as RequestContext;
    const set = (name: string, configOperation: number, value: string | null) =>
      alter({
        resources: [{
          resourceType: 8,
          resourceName: "0",
          configs: [{ name, configOperation, value }],
        }],
        validateOnly: false,
      }, ctx);
    const log = w.loggers.log;
    const logged = (where: string, level: "DEBUG" | "INFO" | "WARN") => {
      const before = w.logLines.length;
      log.log(level, where, "probe");
      return w.logLines.length > before;
    };
    assert.equal(logged("kafka.log.LogManager", "INFO"), true);
    assert.equal(logged("kafka.server.KafkaServer", "DEBUG"), false);
    await set("kafka.log.LogManager", 0, "WARN");
    await set("kafka.server.KafkaServer", 0, "DEBUG");
    assert.equal(logged("kafka.log.LogManager", "INFO"), false);
    assert.equal(logged("kafka.log.LogManager", "WARN"), true);
    assert.equal(logged("kafka.server.KafkaServer", "DEBUG"), true);
    // Others keep inheriting `kafka`'s INFO.
    assert.equal(logged("kafka.log.Log", "INFO"), true);
    assert.equal(logged("kafka.log.Log", "DEBUG"), false);
    await set("kafka.log.LogManager", 1, null);
    assert.equal(logged("kafka.log.LogManager", "INFO"), true);
    // validate_only changes nothing.
    await alter({
      resources: [{
        resourceType: 8,
        resourceName: "0",
        configs: [{ name: "kafka", configOperation: 0, value: "ERROR" }],
      }],
      validateOnly: true,
    }, ctx);
    assert.equal(logged("kafka.log.Log", "INFO"), true);
  });
});
