import assert from "node:assert/strict";
import { ConfigError } from "./config_error.ts";
import { lexProperties } from "./properties.ts";

const pairs = (text: string) => lexProperties(text, "x.properties").map((p) => [p.key, p.value]);

Deno.test("lexProperties: the three separators, comments, blanks and trimming", () => {
  assert.deepEqual(
    pairs("\uFEFF# c\n! c\n\n  a=1\r\nb: 2\rc 3\nd\t =  4  \ne=\nf\ng:=h\n"),
    [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"], ["e", ""], ["f", ""], ["g", "=h"]],
  );
});

Deno.test("lexProperties: continuation lines, escapes, and the line a key starts on", () => {
  const lines = lexProperties(
    "listeners=PLAINTEXT://:9092,\\\n    SSL://:9093\nk\\ ey=t\\tab\\u00e9\\\\\nlast=1\n",
    "server.properties",
  );
  assert.deepEqual(lines, [
    { key: "listeners", value: "PLAINTEXT://:9092,SSL://:9093", line: 1 },
    { key: "k ey", value: "t\tabé\\", line: 3 },
    { key: "last", value: "1", line: 4 },
  ]);
  // A duplicate key is kept twice: whether the last one wins is the caller's rule.
  assert.deepEqual(pairs("a=1\na=2"), [["a", "1"], ["a", "2"]]);
});

Deno.test("lexProperties: a malformed \\u escape names the file and line", () => {
  assert.throws(
    () => lexProperties("ok=1\nbad=\\u12g4\n", "server.properties"),
    (e: unknown) =>
      e instanceof ConfigError && e.line === 2 &&
      e.message === 'server.properties line 2: malformed \\uxxxx escape: "\\u12g4"',
  );
});

Deno.test("lexProperties with trim: false gives what Properties.getProperty returns", () => {
  const text = "a\\ key=\\ lead\\=x \nversion=0 \t\n";
  assert.deepEqual(
    lexProperties(text, "meta.properties", { trim: false }).map((p) => [p.key, p.value]),
    [["a key", " lead=x "], ["version", "0 \t"]],
  );
  assert.deepEqual(pairs(text), [["a key", "lead=x"], ["version", "0"]]);
});
