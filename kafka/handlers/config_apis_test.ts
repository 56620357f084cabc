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
