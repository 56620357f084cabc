import assert from "node:assert/strict";
import {
  decodeTopicId,
  encodeTopicId,
  formatPartitionMetadata,
  parsePartitionMetadata,
  readPartitionMetadata,
  writePartitionMetadata,
} from "./partition_metadata.ts";
import { LogFileFormatError } from "./log_errors.ts";

const ID = "bBa64-dSRLi-4C70oV_ILw";

Deno.test("partition.metadata: two lines, no final newline", () => {
  assert.equal(formatPartitionMetadata({ version: 0, topicId: ID }), `version: 0\ntopic_id: ${ID}`);
  assert.deepEqual(parsePartitionMetadata(`version: 0\ntopic_id: ${ID}`, "p"), {
    version: 0,
    topicId: ID,
  });
  assert.deepEqual(parsePartitionMetadata(`version:  0\ntopic_id:\t${ID}\n`, "p").topicId, ID);
});

Deno.test("partition.metadata: topic ids are Kafka's URL-safe base64 UUIDs", () => {
  const bytes = decodeTopicId(ID);
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(bytes.length, 16);
  assert.equal(encodeTopicId(bytes), ID);
  const ff = new Uint8Array(16).fill(0xff);
  assert.equal(encodeTopicId(ff), "_____________________w");
  assert.match(String(decodeTopicId("abc")), /does not decode to 16 bytes/);
  assert.match(String(decodeTopicId("a+b/c".padEnd(22, "A"))), /not URL-safe base64/);
});

Deno.test("partition.metadata: malformed files are refused naming the file and the line", () => {
  const cases: [string, number, RegExp][] = [
    ["", 1, /missing the version line/],
    ["version 0\ntopic_id: x", 1, /malformed line 'version 0'/],
    ["version: 1\ntopic_id: " + ID, 1, /unrecognized partition metadata version 1/],
    ["version: x\ntopic_id: " + ID, 1, /version 'x' is not a number/],
    ["version: 0\n", 2, /missing the topic_id line/],
    ["version: 0\ntopic: " + ID, 2, /expected the topic_id line/],
    ["version: 0\ntopic_id: shortid", 2, /does not decode to 16 bytes/],
    ["version: 0\ntopic_id: short", 2, /not valid base64/],
    ["version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAA", 2, /the zero UUID/],
    [`version: 0\ntopic_id: ${ID}\nmore`, 3, /unexpected line/],
  ];
  for (const [text, line, problem] of cases) {
    assert.throws(
      () => parsePartitionMetadata(text, "/d/t-0/partition.metadata"),
      (e) =>
        e instanceof LogFileFormatError && e.line === line && problem.test(e.message) &&
        e.message.startsWith("/d/t-0/partition.metadata:"),
      JSON.stringify(text),
    );
  }
});

Deno.test("partition.metadata: written atomically and read back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-klog-pm-" });
  try {
    assert.equal(await readPartitionMetadata(dir), undefined);
    await writePartitionMetadata(dir, { version: 0, topicId: ID });
    assert.equal(
      await Deno.readTextFile(`${dir}/partition.metadata`),
      `version: 0\ntopic_id: ${ID}`,
    );
    assert.deepEqual(await readPartitionMetadata(dir), { version: 0, topicId: ID });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
