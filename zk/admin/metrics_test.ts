import assert from "node:assert/strict";
import { FakeView } from "../fourletter/_test_view.ts";
import { prometheusMetrics } from "./metrics.ts";

// What Apache 3.8.0's PrometheusMetricsProvider (simpleclient 0.9, exportJvmInfo on) served at
// /metrics after `create /a x`, `create /a/1 0123456789`, `create /a/2 0123456789`, `create /b yy`,
// `set /b <40 bytes>`, `delete /a/2` from zkCli (captured on this machine, 2026-12-07):
//   # HELP write_per_namespace write_per_namespace
//   # TYPE write_per_namespace summary
//   write_per_namespace{key="a",quantile="0.5",} 4.0
//   write_per_namespace_count{key="a",} 4.0
//   write_per_namespace_sum{key="a",} 35.0
//   # TYPE fsynctime summary
//   fsynctime{quantile="0.5",} 0.0
//   fsynctime_count 7.0
//   # TYPE updatelatency summary
//   updatelatency{quantile="0.5",} NaN      (before any write; then 0.9 and 0.99 follow)
//   # HELP process_open_fds Number of open file descriptors.
//   # TYPE process_open_fds gauge
//   process_open_fds 49.0
//   process_start_time_seconds 1.79668430476E9
const proc = {
  openFileDescriptors: 49,
  maxFileDescriptors: 20000,
  residentMemoryBytes: 85225472,
  virtualMemoryBytes: 2931265536,
  cpuSeconds: 1.11,
  startTimeSeconds: 1796684304.76,
};

function writtenView(): FakeView {
  const v = new FakeView();
  const w = v.metricsValue.writePerNamespace;
  for (const [path, bytes] of [["/a", 1], ["/a/1", 10], ["/a/2", 10], ["/b", 2], ["/b", 40]]) {
    w.addForPath(path as string, (path as string).length + (bytes as number));
  }
  w.addForPath("/a/2", 4);
  for (const ms of [0, 0, 1, 0, 0, 2, 0]) v.metricsValue.fsyncTime.add(ms);
  return v;
}

Deno.test("/metrics lays out summaries and summary sets as Apache's Prometheus provider", () => {
  const text = prometheusMetrics(writtenView(), { process: proc });
  assert.match(
    text,
    /^# HELP write_per_namespace write_per_namespace\n# TYPE write_per_namespace summary\nwrite_per_namespace\{key="a",quantile="0\.5",\} 4\.0\nwrite_per_namespace_count\{key="a",\} 4\.0\nwrite_per_namespace_sum\{key="a",\} 35\.0\n/m,
  );
  assert.match(text, /^write_per_namespace_sum\{key="b",\} 46\.0$/m);
  assert.match(
    text,
    /^# TYPE fsynctime summary\nfsynctime\{quantile="0\.5",\} 0\.0\nfsynctime_count 7\.0\nfsynctime_sum 3\.0$/m,
  );
  assert.match(
    text,
    /^# TYPE updatelatency summary\nupdatelatency\{quantile="0\.5",\} NaN\nupdatelatency\{quantile="0\.9",\} NaN\nupdatelatency\{quantile="0\.99",\} NaN\nupdatelatency_count 0\.0\n/m,
  );
  // Read summaries with no reads: the header alone, as Apache prints an empty set.
  assert.match(text, /^# TYPE read_per_namespace summary\n#/m);
  // Per-namespace lines appear only in their set, never as a summary of their own.
  assert.doesNotMatch(text, /^# TYPE a_write_per_namespace/m);
  // Every quota set has its header even with no quotas set.
  assert.match(text, /^# TYPE quota_count_usage_per_namespace gauge$/m);
});

Deno.test("/metrics carries the Prometheus client's process series, Java doubles", () => {
  const text = prometheusMetrics(new FakeView(), { process: proc });
  assert.match(
    text,
    /^# HELP process_open_fds Number of open file descriptors\.\n# TYPE process_open_fds gauge\nprocess_open_fds 49\.0$/m,
  );
  assert.match(text, /^process_max_fds 20000\.0$/m);
  assert.match(
    text,
    /^# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1\.11$/m,
  );
  assert.match(text, /^process_start_time_seconds 1\.79668430476E9$/m);
  assert.match(text, /^process_virtual_memory_bytes 2\.931265536E9$/m);
  assert.match(text, /^process_resident_memory_bytes 8\.5225472E7$/m);
  // What Deno cannot read without --allow-all is left out rather than shown as -1.
  const narrow = prometheusMetrics(new FakeView(), {
    process: { ...proc, openFileDescriptors: -1, maxFileDescriptors: -1, virtualMemoryBytes: -1 },
  });
  assert.doesNotMatch(narrow, /^process_(open_fds|max_fds|virtual_memory_bytes)/m);
  assert.match(narrow, /^process_resident_memory_bytes /m);
  const off = prometheusMetrics(new FakeView(), { process: proc, exportProcessInfo: false });
  assert.doesNotMatch(off, /^process_/m);
});
