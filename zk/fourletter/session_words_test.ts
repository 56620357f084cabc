import assert from "node:assert/strict";
import { fakeConnection, FakeView } from "./_test_view.ts";
import { dump, ephemeralsBySession, sessionExpiryMap } from "./session_words.ts";
import { javaDate } from "./_java_format.ts";

const DATE = String.raw`\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} \S+ \d{4}`;

Deno.test("dump with only the asking connection has Apache's shape", () => {
  const v = new FakeView();
  const caller = { remote: "/127.0.0.1:33418" };
  v.conns = [fakeConnection({ remote: caller.remote, sessionId: null, sessionTimeout: 0 })];
  const lines = dump(v, caller, 1795568712875).split("\n");
  assert.deepStrictEqual(lines.slice(0, 5), [
    "SessionTracker dump:",
    "Session Sets (0)/(0):",
    "ephemeral nodes dump:",
    "Sessions with Ephemerals (0):",
    "Connections dump:",
  ]);
  assert.deepStrictEqual(lines[5], "Connections Sets (1)/(1):");
  assert.match(lines[6], new RegExp(`^1 expire at ${DATE}:$`));
  assert.deepStrictEqual(lines.slice(7), ["\tip: /127.0.0.1:33418 sessionId: 0x0", ""]);
});

Deno.test("dump groups sessions by expiry and lists ephemerals per session", () => {
  const v = new FakeView();
  const s0 = 0x100000cac7d0000n;
  const s1 = 0x100000cac7d0001n;
  v.sessionList = [
    { id: s1, timeout: 30000, expireAt: 1795625664000, ephemerals: [] },
    { id: s0, timeout: 10000, expireAt: 1795625638000, ephemerals: ["/eph", "/eph2"] },
  ];
  v.conns = [
    fakeConnection({ remote: "/127.0.0.1:35224", sessionId: s0, established: 1795625624039 }),
  ];
  const text = dump(v, undefined, 1795625630000);
  const want = [
    "SessionTracker dump:",
    "Session Sets (2)/(2):",
    `1 expire at ${javaDate(1795625638000)}:`,
    "\t0x100000cac7d0000",
    `1 expire at ${javaDate(1795625664000)}:`,
    "\t0x100000cac7d0001",
    "ephemeral nodes dump:",
    "Sessions with Ephemerals (1):",
    "0x100000cac7d0000:",
    "\t/eph2",
    "\t/eph",
    "Connections dump:",
    "Connections Sets (1)/(1):",
  ];
  assert.deepStrictEqual(text.split("\n").slice(0, want.length), want);
  assert.deepStrictEqual([...sessionExpiryMap(v).keys()], [1795625638000, 1795625664000]);
  assert.deepStrictEqual([...ephemeralsBySession(v)], [[s0, ["/eph2", "/eph"]]]);
});

Deno.test("javaDate prints Java's Date.toString layout", () => {
  assert.match(javaDate(1795568712875), new RegExp(`^${DATE}$`));
  if (new Date(1795568712875).getTimezoneOffset() === 0) {
    assert.deepStrictEqual(javaDate(1795568712875), "Wed Nov 25 01:05:12 UTC 2026");
  }
});
