import assert from "node:assert/strict";
import { RawClient } from "./_test_client.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { readResponse, writeRequest } from "../protocol/frame.ts";
import { apiEntry } from "../protocol/registry.ts";
import type { MetadataResponse } from "../protocol/messages/metadata.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

Deno.test("main.ts --static 0 serves its topics on the port it bound, and stops on SIGTERM", async () => {
  const p = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--static", "0", "--topic", "a:3"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = p.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { value, done } = await lines.read();
    if (done) break;
    first += value;
  }
  const m = /listening on 127\.0\.0\.1:(\d+)/.exec(first);
  assert.ok(m, first);
  const port = Number(m[1]);
  const c = await RawClient.connect(port);
  const w = new KafkaWriter();
  writeRequest(w, { requestApiKey: 3, requestApiVersion: 9, correlationId: 1, clientId: "t" }, {
    topics: null,
  });
  await c.send(w.written());
  const { body } = readResponse(new KafkaReader((await c.frame())!), apiEntry(3)!, 9) as {
    body: MetadataResponse;
  };
  assert.deepEqual(body.brokers.map((b) => b.port), [port]);
  assert.deepEqual(body.topics.map((t) => [t.name, t.partitions.length]), [["a", 3]]);
  c.close();
  p.kill("SIGTERM");
  const status = await p.status;
  await lines.cancel();
  await p.stderr.cancel();
  assert.equal(status.code, 0);
});

Deno.test("main.ts refuses bad arguments with a message and exit code 2", async () => {
  for (const args of [[], ["--static", "x"], ["--static", "0", "--topic", "a"], ["--nope", "1"]]) {
    const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", MAIN, ...args] })
      .output();
    assert.equal(out.code, 2, args.join(" "));
    assert.match(new TextDecoder().decode(out.stderr), /usage: main\.ts --static/);
  }
});
