import assert from "node:assert/strict";
import { prependChroot, stripChroot, validatePath } from "./path.ts";

Deno.test("validatePath accepts valid paths", () => {
  for (const p of ["/", "/a", "/a/b.c", "/a/..b", "/zookeeper/quota", "/ü"]) validatePath(p);
  validatePath("/seq/", true);
});

Deno.test("validatePath rejects with Apache's reasons", () => {
  const cases: Array<[string, string]> = [
    ["", "Path length must be > 0"],
    ["a", "Path must start with / character"],
    ["/a/", "Path must not end with / character"],
    ["/a//b", "empty node name specified @3"],
    ["/a/./b", "relative paths not allowed @3"],
    ["/a/../b", "relative paths not allowed @4"],
    ["/..", "relative paths not allowed @2"],
    ["/a\u0000", "null character not allowed @2"],
    ["/a\u0001", "invalid character @2"],
  ];
  for (const [p, reason] of cases) {
    assert.throws(() => validatePath(p), {
      name: "InvalidPathError",
      message: `Invalid path string "${p}" caused by ${reason}`,
    });
  }
});

Deno.test("chroot mapping", () => {
  assert.deepEqual(prependChroot(null, "/a"), "/a");
  assert.deepEqual(prependChroot("/app", "/"), "/app");
  assert.deepEqual(prependChroot("/app", "/a"), "/app/a");
  assert.deepEqual(stripChroot("/app", "/app"), "/");
  assert.deepEqual(stripChroot("/app", "/app/a/b"), "/a/b");
  assert.deepEqual(stripChroot("/app", "/apple"), "/apple");
  assert.deepEqual(stripChroot(null, "/x"), "/x");
});
