import assert from "node:assert/strict";
import { FakeView } from "./_test_view.ts";
import { mntr, monitorValues } from "./monitor.ts";
import { referenceSection } from "./_reference.ts";

const proc = {
  openFileDescriptors: 46,
  maxFileDescriptors: 20000,
  residentMemoryBytes: 85225472,
  virtualMemoryBytes: 2931265536,
  cpuSeconds: 1.11,
  startTimeSeconds: 1796684304.76,
};

function quotaView(): FakeView {
  const v = new FakeView();
  const q = { countLimit: -1, bytesLimit: -1, countHardLimit: -1, bytesHardLimit: -1 };
  v.quotaList = [
    { path: "/sswang1", count: 1, bytes: 10, ...q },
    { path: "/sswang", count: 5, bytes: 10, ...q },
  ];
  return v;
}

Deno.test("mntr prints every key of Apache's 4lw.out, in its order", async () => {
  const ref = (await referenceSection("4lw.out", "mntr")).split("\n")
    .filter((l) => l.startsWith("zk_") && !/_(read|write)_per_namespace\t/.test(l))
    .map((l) => l.split("\t")[0]);
  const got = mntr(quotaView()).split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0]);
  assert.deepStrictEqual(got, ref);
});

Deno.test("mntr lines are tab-separated with Java-typed values", () => {
  const v = quotaView();
  v.data = new Map([["/a", [1n, 2n]]]);
  v.child = new Map([["/a", [1n]]]);
  const lines = new Map(
    monitorValues(v, proc, v.statsValue.startedAt + 22660).map((e) => [e.key, String(e.value)]),
  );
  assert.deepStrictEqual(lines.get("version"), v.version);
  assert.deepStrictEqual(lines.get("server_state"), "standalone");
  assert.deepStrictEqual(lines.get("avg_latency"), "1.4393");
  assert.deepStrictEqual(lines.get("connection_drop_probability"), "0.0");
  assert.deepStrictEqual(lines.get("watch_count"), "3");
  assert.deepStrictEqual(lines.get("uptime"), "22660");
  assert.deepStrictEqual(lines.get("open_file_descriptor_count"), "46");
  assert.deepStrictEqual(lines.get("sswang_quota_count_usage_per_namespace"), "5");
  assert.deepStrictEqual(lines.get("bytes_received_count"), "5158");
  assert.deepStrictEqual(lines.get("avg_fsynctime"), "0.0");
  assert.deepStrictEqual(lines.get("p999_readlatency"), "0");
  assert.deepStrictEqual(mntr(v).split("\n")[0], `zk_version\t${v.version}`);
});

Deno.test("quota gauges sum per top namespace; a hard limit wins over the soft one", () => {
  const v = new FakeView();
  v.quotaList = [
    {
      path: "/a/x",
      count: 2,
      bytes: 3,
      countLimit: 5,
      bytesLimit: 100,
      countHardLimit: -1,
      bytesHardLimit: 7,
    },
    {
      path: "/a/y",
      count: 1,
      bytes: 1,
      countLimit: 4,
      bytesLimit: -1,
      countHardLimit: 9,
      bytesHardLimit: -1,
    },
  ];
  const got = monitorValues(v, proc).filter((e) => e.key.startsWith("a_quota"))
    .map((e) => `${e.key}=${e.value}`);
  assert.deepStrictEqual(got, [
    "a_quota_bytes_limit_per_namespace=6",
    "a_quota_count_usage_per_namespace=3",
    "a_quota_count_limit_per_namespace=14",
    "a_quota_bytes_usage_per_namespace=4",
  ]);
});
