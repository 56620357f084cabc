import assert from "node:assert/strict";
import { formatRecord, formatterOptions } from "./formatter.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const record = {
  topic: "t",
  partition: 2,
  offset: 7,
  timestamp: 1796693494517,
  timestampType: "CreateTime" as const,
  key: utf8("k"),
  value: utf8("v"),
  headers: [],
};

Deno.test("records print as DefaultMessageFormatter prints them", () => {
  const all = formatterOptions(
    new Map([
      ["print.timestamp", "true"],
      ["print.partition", "true"],
      ["print.offset", "true"],
      ["print.key", "true"],
    ]),
  );
  // Apache 2.8.2: "CreateTime:1796693494517\tPartition:2\tOffset:0\tk\td"
  assert.equal(
    formatRecord(record, all),
    "CreateTime:1796693494517\tPartition:2\tOffset:7\tk\tv\n",
  );
  assert.equal(formatRecord(record, formatterOptions(new Map())), "v\n");
  const custom = formatterOptions(
    new Map([["print.key", "true"], ["key.separator", " => "], ["line.separator", "|"]]),
  );
  assert.equal(formatRecord({ ...record, key: null }, custom), "null => v|");
  const noValue = formatterOptions(new Map([["print.offset", "true"], ["print.value", "false"]]));
  assert.equal(formatRecord(record, noValue), "Offset:7\n");
  const headers = formatterOptions(new Map([["print.headers", "true"]]));
  assert.equal(formatRecord(record, headers), "NO_HEADERS\tv\n");
  assert.equal(
    formatRecord({
      ...record,
      headers: [{ key: "a", value: utf8("1") }, { key: "b", value: null }],
    }, headers),
    "a:1,b:null\tv\n",
  );
});
