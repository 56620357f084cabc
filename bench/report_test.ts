import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { markdownTable, replaceSection, Results } from "./report.ts";

Deno.test("replaceSection: replaces one section, keeps the other, appends a new one", () => {
  const zk1 = replaceSection("", "zookeeper", "## ZooKeeper\n\nold zk");
  ok(zk1.startsWith("# Benchmarks:"));
  const both = replaceSection(zk1, "kafka", "## Kafka\n\nfirst kafka");
  ok(both.indexOf("old zk") < both.indexOf("first kafka"));
  const kafka2 = replaceSection(both, "kafka", "## Kafka\n\nsecond kafka");
  ok(kafka2.includes("old zk") && kafka2.includes("second kafka"));
  ok(!kafka2.includes("first kafka"));
  const zk2 = replaceSection(kafka2, "zookeeper", "## ZooKeeper\n\nnew zk");
  ok(zk2.includes("new zk") && !zk2.includes("old zk") && zk2.includes("second kafka"));
  assertEquals(zk2.match(/<!-- bench:kafka -->/g)?.length, 1);
  // Idempotent: the same body twice gives the same document.
  assertEquals(replaceSection(zk2, "zookeeper", "## ZooKeeper\n\nnew zk"), zk2);
});

Deno.test("Results: rows keyed by figure and unit; NaN is n/a and yields to a value", () => {
  const r = new Results();
  r.add("herd", "produce", "MB/s", true, NaN);
  r.add("herd", "produce", "records/s", true, 1000);
  r.add("apache", "produce", "MB/s", true, 50);
  assertEquals(r.rows.length, 2);
  const table = markdownTable(r, "Apache 2.8.2");
  ok(/\| produce \| MB\/s +\| +n\/a \| +50\.0 \|/.test(table), table);
  r.add("herd", "produce", "MB/s", true, 60);
  assertEquals(r.rows[0].values.herd, 60);
});
