import assert from "node:assert/strict";
import {
  formatMetaProperties,
  javaDateString,
  parseMetaProperties,
  parseProperties,
  propertiesOrder,
  readMetaProperties,
  storeProperties,
  writeMetaProperties,
} from "./meta_properties.ts";
import { LogFileFormatError } from "./log_errors.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("meta.properties: Kafka's ZooKeeper-mode file, keys in Properties' hash order", () => {
  assert.equal(
    formatMetaProperties({
      version: 0,
      brokerId: 1,
      clusterId: "ye2RobIySIW5l41UMvrt5g",
      written: "Tue Dec 08 00:00:35 UTC 2026",
    }),
    "#\n#Tue Dec 08 00:00:35 UTC 2026\nbroker.id=1\nversion=0\ncluster.id=ye2RobIySIW5l41UMvrt5g\n",
  );
  // The order comes from the keys' hashes, not from the order they were set in.
  assert.deepEqual(propertiesOrder(["cluster.id", "version", "broker.id"]), [
    "broker.id",
    "version",
    "cluster.id",
  ]);
  assert.deepEqual(propertiesOrder(["version", "cluster.id", "node.id"]), [
    "node.id",
    "version",
    "cluster.id",
  ]);
});

Deno.test("meta.properties: the date line is java.util.Date.toString in UTC", () => {
  assert.equal(
    javaDateString(new Date(Date.UTC(2026, 11, 8, 0, 0, 35))),
    "Tue Dec 08 00:00:35 UTC 2026",
  );
  assert.equal(
    javaDateString(new Date(Date.UTC(2021, 0, 3, 9, 5, 7))),
    "Sun Jan 03 09:05:07 UTC 2021",
  );
  const now = formatMetaProperties({ version: 0, brokerId: 2, clusterId: "c" });
  assert.match(now.split("\n")[1], /^#[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$/);
});

Deno.test("meta.properties: store escapes as Properties.store does", () => {
  assert.equal(
    storeProperties([["a key", " lead=x:y#!\\é\t"]], "D"),
    "#\n#D\na\\ key=\\ lead\\=x\\:y\\#\\!\\\\\\u00E9\\t\n",
  );
  // …and load reads it back.
  const [p] = parseProperties("a\\ key=\\ lead\\=x\\:y\\#\\!\\\\\\u00E9\\t\n", "f");
  assert.deepEqual([p.key, p.value], ["a key", " lead=x:y#!\\é\t"]);
});

Deno.test("meta.properties: load's separators, comments and continuation lines", () => {
  const lines = parseProperties(
    "# c\n! c\n\n  version : 0\nbroker.id 7\ncluster.id=ab\\\n   cd\nempty\n",
    "f",
  );
  assert.deepEqual(lines.map((l) => [l.key, l.value, l.line]), [
    ["version", "0", 4],
    ["broker.id", "7", 5],
    ["cluster.id", "abcd", 6],
    ["empty", "", 8],
  ]);
});

Deno.test("meta.properties: parse keeps the date, reads ids and other keys", () => {
  const m = parseMetaProperties(
    enc("#\n#Mon Dec 07 23:58:55 UTC 2026\nbroker.id=1\nversion=0\ncluster.id=x\nfoo=bar\n"),
    "m",
  );
  assert.deepEqual(m, {
    version: 0,
    brokerId: 1,
    clusterId: "x",
    written: "Mon Dec 07 23:58:55 UTC 2026",
    other: [["foo", "bar"]],
  });
  assert.deepEqual(parseMetaProperties(enc("broker.id=3\n"), "m"), { version: 0, brokerId: 3 });
  const kraft = parseMetaProperties(enc("version=1\nnode.id=4\ncluster.id=q\n"), "m");
  assert.equal(kraft.nodeId, 4);
});

Deno.test("meta.properties: bad values are refused naming the file and the line", () => {
  const cases: [string, number, RegExp][] = [
    ["#\n#d\nbroker.id=one\n", 3, /broker.id 'one' is not an integer/],
    ["version=0\nbroker.id=99999999999\n", 2, /out of the int32 range/],
    ["version=x\n", 1, /version 'x' is not an integer/],
    ["version=2\n", 1, /unknown meta.properties version 2/],
    ["version=1\ncluster.id=c\n", 0, /a version 1 meta.properties needs node.id/],
    ["broker.id=1\ncluster.id=\\u12\n", 2, /malformed \\uxxxx escape/],
  ];
  for (const [text, line, problem] of cases) {
    assert.throws(
      () => parseMetaProperties(enc(text), "/d/meta.properties"),
      (e) => e instanceof LogFileFormatError && e.line === line && problem.test(e.message),
      text,
    );
  }
});

Deno.test("meta.properties: written atomically and read back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-klog-meta-" });
  try {
    assert.equal(await readMetaProperties(dir), undefined);
    const meta = {
      version: 0,
      brokerId: 5,
      clusterId: "Zx-_1",
      written: "Thu Jan 01 00:00:00 UTC 1970",
    };
    await writeMetaProperties(dir, meta);
    assert.deepEqual(await readMetaProperties(dir), meta);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["meta.properties"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
