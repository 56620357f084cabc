import assert from "node:assert/strict";
import { FakeView } from "./_test_view.ts";
import { conf, dirs, gtmk, hash, isro, ruok, stmk } from "./server_words.ts";
import { referenceSection } from "./_reference.ts";

Deno.test("conf prints key=value lines in Apache's order", async () => {
  const v = new FakeView();
  v.confValue = {
    ...v.confValue,
    clientPort: 32181,
    dataDir: "/tmp/ref-zk/data/version-2",
    dataLogDir: "/tmp/ref-zk/logs/version-2",
  };
  assert.deepStrictEqual(conf(v) + "\n", await referenceSection("4lw.out", "conf"));
});

Deno.test("dirs prints both directory sizes", async () => {
  assert.deepStrictEqual(dirs(new FakeView()) + "\n", await referenceSection("4lw.out", "dirs"));
});

Deno.test("ruok, isro, gtmk answer without a newline", async () => {
  const v = new FakeView();
  assert.deepStrictEqual(ruok() + "\n", await referenceSection("4lw.out", "ruok"));
  assert.deepStrictEqual(isro(v) + "\n", await referenceSection("4lw.out", "isro"));
  v.mode = "read-only";
  assert.deepStrictEqual(isro(v), "ro");
  assert.deepStrictEqual(gtmk(), "306");
});

Deno.test("stmk without a mask and hash without digests answer nothing", () => {
  assert.deepStrictEqual(stmk(), "");
  assert.deepStrictEqual(hash(), "");
});
