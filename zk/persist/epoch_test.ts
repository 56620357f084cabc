import assert from "node:assert/strict";
import { readEpoch, writeEpoch } from "./epoch.ts";

Deno.test("epoch files hold the bare decimal epoch, as Apache's (1 byte for epoch 3)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await readEpoch(dir, "currentEpoch"), undefined);
    await writeEpoch(dir, "acceptedEpoch", 3);
    assert.equal(await Deno.readTextFile(`${dir}/acceptedEpoch`), "3");
    assert.equal(await readEpoch(dir, "acceptedEpoch"), 3);
    await writeEpoch(dir, "acceptedEpoch", 12);
    assert.equal(await readEpoch(dir, "acceptedEpoch"), 12);
    await Deno.writeTextFile(`${dir}/currentEpoch`, "x");
    await assert.rejects(() => readEpoch(dir, "currentEpoch"), /not an epoch/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
