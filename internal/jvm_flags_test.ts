import assert from "node:assert/strict";
import { parseJvmFlags } from "./jvm_flags.ts";

Deno.test("parseJvmFlags splits like the shell and keeps only -D", () => {
  assert.deepEqual(
    parseJvmFlags("  -Xmx512m -Dzookeeper.snapCount=10 -XX:+UseG1GC\n-Dflag -Da=b=c -D -Da=d "),
    new Map([["zookeeper.snapCount", "10"], ["flag", ""], ["a", "d"]]),
  );
  assert.deepEqual(parseJvmFlags(""), new Map());
});
