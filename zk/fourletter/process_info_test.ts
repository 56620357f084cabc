import assert from "node:assert/strict";
import { processInfo, softFileLimit, statusBytes } from "./process_info.ts";

Deno.test("processInfo counts this process's file descriptors and memory on Linux", () => {
  const before = processInfo();
  const files = [Deno.openSync(Deno.execPath()), Deno.openSync(Deno.execPath())];
  try {
    const p = processInfo();
    assert.ok(p.residentMemoryBytes > 1024 * 1024, `rss ${p.residentMemoryBytes}`);
    assert.ok(p.cpuSeconds > 0);
    assert.ok(Math.abs(p.startTimeSeconds * 1000 - performance.timeOrigin) <= 0.5);
    if (Deno.build.os !== "linux") return;
    // The tests run with --allow-all, which Deno 2 needs for /proc/self.
    assert.ok(p.maxFileDescriptors > 0);
    assert.ok(p.virtualMemoryBytes > p.residentMemoryBytes);
    // Two more files open: two more descriptors (the listing's own handle is not counted).
    assert.deepStrictEqual(p.openFileDescriptors, before.openFileDescriptors + 2);
  } finally {
    for (const f of files) f.close();
  }
});

Deno.test("the soft open-files limit and /proc/self/status sizes parse as the JVM reads them", () => {
  const limits =
    "Limit                     Soft Limit           Hard Limit           Units     \n" +
    "Max cpu time              unlimited            unlimited            seconds   \n" +
    "Max open files            20000                524288               files     \n";
  assert.deepStrictEqual(softFileLimit(limits), 20000);
  assert.deepStrictEqual(softFileLimit("Max open files  unlimited  unlimited  files\n"), -1);
  const status = "Name:\tdeno\nVmSize:\t 2862564 kB\nVmRSS:\t   83228 kB\n";
  assert.deepStrictEqual(statusBytes(status, "VmSize"), 2862564 * 1024);
  assert.deepStrictEqual(statusBytes(status, "VmRSS"), 83228 * 1024);
  assert.deepStrictEqual(statusBytes(status, "VmSwap"), -1);
});
