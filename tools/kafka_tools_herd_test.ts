/**
 * herd's Kafka tools against herd's own broker code: the data path (Metadata, Produce, Fetch,
 * ListOffsets) served by kafka/server's listener over in-memory logs. Groups are not served there
 * yet (kafka/group lands separately), so this covers the producer, the console consumer with
 * --partition, and GetOffsetShell; kafka_tools_apache_test.ts runs the group tools on Apache's.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { withMemoryBroker } from "../kafka/server/_memory_broker.ts";

const BIN = fileURLToPath(new URL("../bin", import.meta.url));
const TEST = { sanitizeOps: false, sanitizeResources: false };

async function run(script: string, args: string[], stdin?: string) {
  const child = new Deno.Command(`${BIN}/${script}`, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { INIT_CWD: Deno.cwd() },
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const r = await child.output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

Deno.test({
  name: "producer, consumer and GetOffsetShell on herd's broker",
  ...TEST,
  fn: () =>
    withMemoryBroker({ t: 3 }, async (port) => {
      const B = `127.0.0.1:${port}`;
      const keys = ["21", "foobar", "abc", "k", "key1", "héllo", ""];
      const p = await run("kafka-console-producer.sh", [
        "--bootstrap-server",
        B,
        "--topic",
        "t",
        "--property",
        "parse.key=true",
        "--compression-codec",
        "lz4",
        "--sync",
      ], keys.map((k, i) => `${k}\tv${i}\n`).join(""));
      assert.deepEqual([p.code, p.out, p.err], [0, "", ""]);
      // Where Apache's producer puts these keys (kafka_tools_apache_test.ts): 5 on 0, 2 on 2.
      const gos = await run("kafka-run-class.sh", [
        "kafka.tools.GetOffsetShell",
        "--broker-list",
        B,
        "--topic",
        "t",
        "--time",
        "-1",
      ]);
      assert.deepEqual([gos.code, gos.out], [0, "t:0:5\nt:1:0\nt:2:2\n"]);
      const earliest = await run("kafka-run-class.sh", [
        "kafka.tools.GetOffsetShell",
        "--broker-list",
        B,
        "--topic",
        "t",
        "--time",
        "-2",
      ]);
      assert.equal(earliest.out, "t:0:0\nt:1:0\nt:2:0\n");
      const c = await run("kafka-console-consumer.sh", [
        "--bootstrap-server",
        B,
        "--topic",
        "t",
        "--partition",
        "0",
        "--offset",
        "earliest",
        "--max-messages",
        "5",
        "--property",
        "print.key=true",
        "--property",
        "print.offset=true",
      ]);
      assert.equal(c.code, 0, c.err);
      assert.equal(
        c.out,
        "Offset:0\t21\tv0\nOffset:1\tfoobar\tv1\nOffset:2\tabc\tv2\nOffset:3\théllo\tv5\nOffset:4\t\tv6\n",
      );
      assert.equal(c.err, "Processed a total of 5 messages\n");
      // Unknown topics are answered UNKNOWN_TOPIC_OR_PARTITION here: the producer gives up.
      const nope = await run("kafka-console-producer.sh", [
        "--bootstrap-server",
        B,
        "--topic",
        "nope",
        "--max-block-ms",
        "300",
        "--sync",
      ], "x\n");
      assert.equal(nope.code, 1);
      assert.match(
        nope.err,
        /java\.util\.concurrent\.ExecutionException: org\.apache\.kafka\.common\.errors\.TimeoutException: Topic nope not present in metadata after 300 ms\.\n/,
      );
    }),
});

Deno.test({
  name: "the producer logs what Apache's logs when no broker answers",
  ...TEST,
  fn: async () => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    const r = await run("kafka-console-producer.sh", [
      "--broker-list",
      `127.0.0.1:${port}`,
      "--topic",
      "t",
      "--max-block-ms",
      "300",
    ], "x\n");
    assert.equal(r.code, 0, "async sends only log their failure");
    assert.match(
      r.err,
      new RegExp(
        `^\\[[^\\]]+\\] WARN \\[Producer clientId=console-producer\\] Connection to node -1 \\(/127\\.0\\.0\\.1:${port}\\) could not be established\\. Broker may not be available\\. \\(org\\.apache\\.kafka\\.clients\\.NetworkClient\\)\n`,
      ),
    );
    assert.match(r.err, /Bootstrap broker 127\.0\.0\.1:\d+ \(id: -1 rack: null\) disconnected/);
    assert.match(r.err, /TimeoutException: Topic t not present in metadata after 300 ms\.\n$/);
  },
});
