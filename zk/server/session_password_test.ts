import assert from "node:assert/strict";
import { sessionPassword } from "./session_password.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

// From Java 17: new java.util.Random(id ^ 0xB3415C00L).nextBytes(new byte[16]), as Apache's
// ZooKeeperServer.generatePasswd does.
const JAVA: [bigint, string][] = [
  [0n, "f22acd4a97e69d6d20a49bb638eadb38"],
  [1n, "054cc74a37327db215e702e20c73f005"],
  [0x1a242ea0370abdan, "bed848df2b0005b651c4314a79f67a4b"],
  [0x100000000000001n, "054cc74a37327db215e702e20c73f005"],
  [-1n, "20f62cb5648dc2d771471c8a2486a9ee"],
  [0x7fffffffffffffffn, "20f62cb5648dc2d771471c8a2486a9ee"],
];

Deno.test("session passwords are the bytes Apache's java.util.Random gives", () => {
  for (const [id, want] of JAVA) {
    assert.equal(hex(sessionPassword(id)), want, `0x${id.toString(16)}`);
  }
});
