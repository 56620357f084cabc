import assert from "node:assert/strict";
import { javaHashOrder, javaLongHash, javaStringHash } from "./java_hash.ts";

// Expected orders printed by OpenJDK 17 (`new HashSet<>(8)` / `new HashMap<>()`, same inserts).
const JAVA_SET_OF_100 =
  "n140 n380 n411 n137 n654 n651 n894 n897 n816 n813 n492 n760 n246 n763 n28 n489 n520 n922 n249 n408 n925 n31 n34 n274 n791 n433 n950 n676 n277 n679 n710 n436 n953 n838 n439 n707 n271 n143 n386 n383 n785 n302 n542 n305 n548 n545 n788 n947 n704 n0 n3 n6 n56 n330 n573 n570 n59 n299 n218 n735 n732 n975 n978 n62 n165 n682 n841 n168 n327 n844 n601 n919 n352 n595 n196 n598 n115 n112 n355 n872 n514 n757 n358 n517 n190 n84 n87 n193 n221 n461 n224 n467 n464 n981 n866 n623 n629 n109 n626 n869";

Deno.test("String.hashCode and Long.hashCode as the JVM computes them", () => {
  assert.equal(javaStringHash("zookeeper"), 1600681804);
  assert.equal(javaStringHash(""), 0);
  assert.equal(javaStringHash("名前"), 688096);
  assert.equal(javaLongHash(5n), 5);
  assert.equal(javaLongHash(-1n), 0);
  assert.equal(javaLongHash(1n << 40n), 256);
});

Deno.test("HashSet<String>(8) iteration order after growing from 8 to 256 buckets", () => {
  const names: string[] = [];
  for (let i = 0; i < 100; i++) names.push("n" + (i * 7919 % 1000));
  assert.equal(javaHashOrder(names, javaStringHash, 8).join(" "), JAVA_SET_OF_100);
  assert.deepEqual(javaHashOrder(["quota", "config"], javaStringHash, 8), ["config", "quota"]);
  assert.deepEqual(javaHashOrder(["a", "a", "b"], javaStringHash, 8), ["a", "b"]);
});

// 13 names in one bucket of 32 (split in two at 64) among others; order printed by OpenJDK 17.
const CROWDED = "x1 y2 k70 k0 k92 k81 k609 k719 k708 k818 k807 k917 k829 z3 k906 k939 w4";
const JAVA_CROWDED = "k70 k92 k609 k708 k807 k829 k906 y2 w4 k0 k81 k719 k818 k917 k939 x1 z3";

Deno.test("HashSet<String>(8) doubling for a crowded bucket (treeifyBin below 64 buckets)", () => {
  assert.equal(javaHashOrder(CROWDED.split(" "), javaStringHash, 8).join(" "), JAVA_CROWDED);
});

Deno.test("HashMap<Long, …>() iteration order of session ids", () => {
  const ids = [
    0x100003f9ebc0000n,
    0x100003f9ebc0001n,
    -0x7ffffffffffffff1n,
    0x1a213a4eb4d0000n,
    5n,
    1n << 40n,
  ];
  assert.deepEqual(javaHashOrder(ids, javaLongHash, 16), [
    1n << 40n,
    0x100003f9ebc0001n,
    0x100003f9ebc0000n,
    5n,
    0x1a213a4eb4d0000n,
    -0x7ffffffffffffff1n,
  ]);
});
