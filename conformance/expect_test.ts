import assert from "node:assert/strict";
import {
  compare,
  compile,
  PLACEHOLDERS,
  splitEvents,
  substitute,
  textLines,
  tokens,
} from "./expect.ts";

const vars = { port: "2181", server: "127.0.0.1:2181" };
const match = (expected: string[], actual: string[]) =>
  compare(compile(expected, vars, PLACEHOLDERS), actual);

Deno.test("variables are substituted, placeholders matched, the rest exactly", () => {
  assert.ok(match(["Client port found: {{port}}."], ["Client port found: 2181."]).ok);
  assert.ok(!match(["Client port found: {{port}}."], ["Client port found: 2182."]).ok);
  assert.ok(match(["ctime = {{date}}"], ["ctime = Tue Nov 24 23:17:30 UTC 2026"]).ok);
  assert.ok(!match(["ctime = {{date}}"], ["ctime = yesterday"]).ok);
  assert.ok(match(["ephemeralOwner = {{session}}"], ["ephemeralOwner = 0x100003ed9260000"]).ok);
  assert.ok(match(["a.b (c) [d] *"], ["a.b (c) [d] *"]).ok, "regex characters are literal");
  assert.ok(!match(["a.b"], ["axb"]).ok);
  assert.ok(match(["\tclose{{space}}"], ["\tclose "]).ok);
  assert.ok(!match(["x"], ["x", "y"]).ok, "an extra line fails");
  assert.ok(!match(["x", "y"], ["x"]).ok, "a missing line fails");
});

Deno.test("a {{...}} line stands for any number of lines", () => {
  const expected = ["SessionTracker dump:", "{{...}}", "ephemeral nodes dump:"];
  assert.ok(match(expected, ["SessionTracker dump:", "ephemeral nodes dump:"]).ok);
  assert.ok(match(expected, ["SessionTracker dump:", "a", "b", "ephemeral nodes dump:"]).ok);
  assert.ok(!match(expected, ["SessionTracker dump:", "a"]).ok);
  assert.ok(
    match(["{{any}}", "{{...}}"], ["x"]).ok,
    "a line a placeholder can take is not swallowed",
  );
});

Deno.test("the diff shows Apache's line with -, the target's with +, and context", () => {
  const expected = ["a", "b", "c", "d", "e", "f", "g", "Zxid: 0x28", "h"];
  const actual = ["a", "b", "c", "d", "e", "f", "g", "Zxid: 0x27", "h"];
  const r = compare(compile(expected, vars, PLACEHOLDERS), actual);
  assert.equal(r.ok, false);
  assert.equal(
    r.diff,
    ["  …", "  e", "  f", "  g", "- Zxid: 0x28", "+ Zxid: 0x27", "  h"].join("\n"),
  );
  const placeholder = match(["Zxid: {{zxid}} on {{port}}"], ["Zxid: 12"]);
  assert.equal(placeholder.diff, "- Zxid: {{zxid}} on 2181\n+ Zxid: 12");
});

Deno.test("zkCli's watch events come out of its output, with their blank lines", () => {
  const lines = [
    "",
    "WATCHER::",
    "Not connected",
    "",
    "WatchedEvent state:Closed type:None path:null",
  ];
  assert.deepEqual(splitEvents(lines), {
    lines: ["Not connected"],
    events: ["WatchedEvent state:Closed type:None path:null"],
  });
});

Deno.test("text blocks, tokens and substitution", () => {
  assert.deepEqual(textLines(""), []);
  assert.deepEqual(textLines("\n"), [""]);
  assert.deepEqual(textLines("a\n\n"), ["a", ""]);
  assert.deepEqual(textLines("imok"), ["imok"]);
  assert.deepEqual(tokens("{{a}} {b} {{n1.port}} {{...}}"), ["a", "n1.port", "..."]);
  assert.equal(substitute("{{server}} {{date}}", vars), "127.0.0.1:2181 {{date}}");
});
