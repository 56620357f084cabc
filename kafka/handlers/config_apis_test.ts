/**
 * herd's DescribeConfigs, AlterConfigs and IncrementalAlterConfigs answer what Apache Kafka 2.8.2
 * answered, step by step (testdata/apache-2.8.2-configs.jsonl: 77 requests recorded against one
 * 2.8.2 broker, see testdata/README.md): each request goes through herd's codec at its version,
 * the handler, and the response codec, and must decode to Apache's response, entries and
 * synonyms in the same order.
 */
import assert from "node:assert/strict";
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { apiEntry } from "../protocol/registry.ts";
import type { ConfigStep } from "./testdata/config_steps.ts";
import type { RequestContext } from "./handler.ts";
import { until, withConfigWorld } from "./_config_test_setup.ts";
import { BrokerConfigState, ConfigAdmin, parseServerProperties } from "../config/mod.ts";
import { describeConfigsHandler } from "./32_describe_configs.ts";
import type { DescribeConfigsResponse } from "../protocol/messages/describe_configs.ts";
import type { IncrementalAlterConfigsResponse } from "../protocol/messages/incremental_alter_configs.ts";
import { incrementalAlterConfigsHandler } from "./44_incremental_alter_configs.ts";

type Recorded = ConfigStep & { response: unknown };

const lines = Deno.readTextFileSync(
  new URL("./testdata/apache-2.8.2-configs.jsonl", import.meta.url),
).trim().split("\n").map((l) => JSON.parse(l));
const SERVER_PROPERTIES: string = lines[0].serverProperties;
const STEPS: Recorded[] = lines.slice(1);

/** JSON as the recorder wrote it (undefined fields gone). */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

Deno.test({
  name: "config APIs: herd answers Apache 2.8.2's recorded sequence, entry for entry",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await withConfigWorld(SERVER_PROPERTIES, async (w) => {
    let compared = 0;
    for (const step of STEPS) {
      // Apache dropped the connection on this one; herd answers (33_alter_configs.ts).
      if (step.response === "closed") continue;
      const codec = apiEntry(step.apiKey)!.codec;
      const wr = new KafkaWriter();
      codec.encodeRequest(wr, step.request, step.version);
      const request = codec.decodeRequest(new KafkaReader(wr.written().slice()), step.version);
      const ctx = { apiVersion: step.version } as RequestContext;
      const response = await w.handlers.get(step.apiKey)!(request, ctx);
      const ww = new KafkaWriter();
      codec.encodeResponse(ww, response, step.version);
      const got = codec.decodeResponse(new KafkaReader(ww.written().slice()), step.version);
      assert.deepEqual(plain(got), step.response, `step "${step.name}"`);
      compared++;
      const s = step.settle;
      if (s) {
        const map = () =>
          s.broker === "" ? w.state.dynamicDefaultConfigs : w.state.dynamicBrokerConfigs;
        await until(
          `the broker to apply ${JSON.stringify(s)}`,
          () => s.present ? map().get(s.key) === s.value : !map().has(s.key),
        );
      }
    }
    assert.equal(compared, STEPS.length - 1);
  });
});

Deno.test("config APIs: a ZooKeeper failure is UNKNOWN_SERVER_ERROR for that resource", async () => {
  const { config } = parseServerProperties("broker.id=0\nzookeeper.connect=z:1\n", "s");
  const state = new BrokerConfigState(config);
  const down = () => Promise.reject(new Error("connection loss"));
  const describe = describeConfigsHandler({ state, topicConfig: down, topicExists: () => true });
  const ctx = { apiVersion: 4 } as RequestContext;
  const res = await describe({
    resources: [
      { resourceType: 2, resourceName: "t", configurationKeys: null },
      { resourceType: 4, resourceName: "0", configurationKeys: ["broker.id"] },
    ],
    includeSynonyms: false,
  }, ctx) as DescribeConfigsResponse;
  assert.deepEqual(
    res.results.map((r) => [r.errorCode, r.errorMessage, r.configs.length]),
    [[-1, null, 0], [0, "", 1]],
  );
  const admin = new ConfigAdmin({
    state,
    repo: { fetchEntityConfig: down, changeTopicConfig: down, changeBrokerConfig: down },
    topicExists: () => true,
  });
  const alter = incrementalAlterConfigsHandler(admin);
  const out = await alter({
    resources: [{
      resourceType: 2,
      resourceName: "t",
      configs: [{ name: "retention.ms", configOperation: 0, value: "1" }],
    }],
    validateOnly: false,
  }, ctx) as IncrementalAlterConfigsResponse;
  assert.deepEqual(out.responses.map((r) => [r.errorCode, r.errorMessage]), [[-1, null]]);
});
