import assert from "node:assert/strict";
import { FakeView } from "./_test_view.ts";
import { watchesByPathReport, watchesBySessionReport, wchc, wchp, wchs } from "./watch_words.ts";
import { referenceSection } from "./_reference.ts";

const s0 = 0x100000cac7d0000n;
const s1 = 0x100000cac7d0001n;

/** The tables of a live Apache 3.8.0 run: exists/getData/persistent watches of two sessions. */
function watched(): FakeView {
  const v = new FakeView();
  v.data = new Map([
    ["/eph", [s0]],
    ["/nonexist", [s0]],
    ["/p", [s1, s0]],
    ["/q", [s1]],
  ]);
  v.child = new Map([["/q", [s0, s1]], ["/p", [s1]]]);
  return v;
}

Deno.test("watch words with no watches match 4lw.out", async () => {
  const v = new FakeView();
  assert.deepStrictEqual(wchs(v) + "\n", await referenceSection("4lw.out", "wchs"));
  assert.deepStrictEqual(wchc(v) + "\n", await referenceSection("4lw.out", "wchc"));
  assert.deepStrictEqual(wchp(v) + "\n", await referenceSection("4lw.out", "wchp"));
});

Deno.test("wchs counts data watches only", () => {
  assert.deepStrictEqual(wchs(watched()), "2 connections watching 4 paths\nTotal watches:5\n");
});

Deno.test("wchp lists paths in Java HashMap order, as Apache printed them", () => {
  assert.deepStrictEqual(
    wchp(watched()),
    "/p\n\t0x100000cac7d0001\n\t0x100000cac7d0000\n/q\n\t0x100000cac7d0001\n" +
      "/eph\n\t0x100000cac7d0000\n/nonexist\n\t0x100000cac7d0000\n\n",
  );
});

Deno.test("wchc lists each session's paths in Java HashSet order", () => {
  assert.deepStrictEqual(
    wchc(watched()),
    "0x100000cac7d0000\n\t/p\n\t/eph\n\t/nonexist\n0x100000cac7d0001\n\t/p\n\t/q\n\n",
  );
});

Deno.test("admin reports order sessions and paths as Apache's HashMap copies do", () => {
  const v = new FakeView();
  v.data = new Map([["/eph", [72058217997008896n]], ["/p", [72058217997008896n]]]);
  assert.deepStrictEqual([...watchesBySessionReport(v)], [[72058217997008896n, ["/p", "/eph"]]]);
  assert.deepStrictEqual([...watchesByPathReport(v).keys()], ["/p", "/eph"]);
});
