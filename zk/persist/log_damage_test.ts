import assert from "node:assert/strict";
import { dataEnd, findIntactEntry, hasDataAfter } from "./log_damage.ts";
import { TxnLogWriter } from "./txn_log.ts";
import { scenario, tempDataDirs } from "./_fixtures_test.ts";

Deno.test("dataEnd: the offset past the last non-zero byte, at any alignment", () => {
  for (const len of [0, 1, 3, 4, 5, 8, 9, 4099]) {
    for (const last of [-1, 0, 1, 2, len - 1]) {
      const whole = new Uint8Array(len + 3);
      const b = whole.subarray(1, 1 + len); // not 4-byte aligned
      if (last >= 0 && last < len) b[last] = 7;
      const want = last >= 0 && last < len ? last + 1 : 0;
      assert.equal(dataEnd(b), want, `len ${len}, last ${last}`);
      assert.equal(dataEnd(b.slice()), want, `aligned copy: len ${len}, last ${last}`);
    }
  }
});

Deno.test("findIntactEntry / hasDataAfter: entries found past garbage, none in garbage", async () => {
  const d = await tempDataDirs();
  try {
    const w = new TxnLogWriter(`${d.logDir}/version-2`, 8192, false);
    await w.append(scenario(1));
    const path = w.currentFile!;
    w.close();
    const bytes = await Deno.readFile(path);
    const end = dataEnd(bytes);
    assert.ok(end < bytes.length, "the preallocated zeros follow the entries");
    assert.equal(hasDataAfter(path, end), false);
    assert.equal(hasDataAfter(path, end - 1), true);
    const first = findIntactEntry(bytes, 17);
    assert.ok(first !== null && first.zxid === 2, `the entry after the first: ${first?.zxid}`);
    const garbage = new Uint8Array(5000).map((_, i) => (i * 7919) & 0xff);
    assert.equal(findIntactEntry(garbage, 0), null);
    assert.equal(findIntactEntry(bytes, end), null);
  } finally {
    await d.cleanup();
  }
});
