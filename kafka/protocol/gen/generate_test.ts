import assert from "node:assert/strict";
import { generateInto, MESSAGES_DIR, moduleName } from "./generate.ts";

Deno.test("the committed codecs are exactly what the generator makes from spec/", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-kafka-gen-test-" });
  try {
    const names = await generateInto(dir);
    const committed = [...Deno.readDirSync(MESSAGES_DIR)].map((e) => e.name).sort();
    assert.deepStrictEqual(
      committed,
      names,
      "messages/ holds other files than the generator makes",
    );
    for (const n of names) {
      const want = await Deno.readTextFile(`${dir}/${n}`);
      const have = await Deno.readTextFile(MESSAGES_DIR + n);
      assert.ok(
        want === have,
        `messages/${n} differs from the generator's output: run deno task gen:kafka`,
      );
    }
    assert.equal(names.length, 58); // 56 APIs, headers.ts, apis.ts
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("module names are the 2.8.2 API names in snake_case", () => {
  assert.equal(moduleName("ApiVersions"), "api_versions");
  assert.equal(moduleName("OffsetForLeaderEpoch"), "offset_for_leader_epoch");
  assert.equal(moduleName("AlterIsr"), "alter_isr");
});
