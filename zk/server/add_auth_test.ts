import assert from "node:assert/strict";
import type { Id } from "../jute/records.ts";
import { digestOf } from "../tree/acl.ts";
import { addAuth } from "./add_auth.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("addAuth: digest adds its id once, super for the superDigest, ip passes, others fail", () => {
  const info: Id[] = [{ scheme: "ip", id: "127.0.0.1" }];
  const superDigest = digestOf("root:secret");
  assert.ok(addAuth(info, "digest", enc("alice:pw"), superDigest));
  assert.ok(addAuth(info, "digest", enc("alice:pw"), superDigest));
  assert.deepEqual(info, [{ scheme: "ip", id: "127.0.0.1" }, {
    scheme: "digest",
    id: digestOf("alice:pw"),
  }]);
  assert.ok(addAuth(info, "digest", enc("root:secret"), superDigest));
  assert.ok(info.some((a) => a.scheme === "super"));
  assert.ok(addAuth(info, "ip", null, superDigest));
  assert.ok(!addAuth(info, "digest", enc("no-colon"), superDigest));
  assert.ok(!addAuth(info, "digest", null, superDigest));
  assert.ok(!addAuth(info, "kerberos", enc("x"), superDigest));
  assert.equal(info.length, 4);
});
