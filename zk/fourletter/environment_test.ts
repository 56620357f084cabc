import assert from "node:assert/strict";
import { envi, environmentEntries } from "./environment.ts";
import { referenceSection } from "./_reference.ts";

Deno.test("envi keeps Apache's keys and order", async () => {
  const ref = (await referenceSection("4lw.out", "envi")).split("\n").filter((l) => l !== "")
    .map((l) => l.split("=")[0]);
  const got = envi("3.8.0-herd").split("\n").filter((l) => l !== "").map((l) => l.split("=")[0]);
  assert.deepStrictEqual(got, ref);
});

Deno.test("envi fills the Java keys with Deno's facts", () => {
  const env = new Map(environmentEntries("v"));
  assert.deepStrictEqual(env.get("zookeeper.version"), "v");
  assert.deepStrictEqual(env.get("java.version"), Deno.version.deno);
  assert.deepStrictEqual(env.get("java.compiler"), "<NA>");
  assert.match(env.get("os.memory.max")!, /^\d+MB$/);
  assert.match(env.get("os.memory.free")!, /^\d+MB$/);
  if (Deno.build.os === "linux") assert.deepStrictEqual(env.get("os.name"), "Linux");
});
