import assert from "node:assert/strict";
import {
  compileJavaPattern,
  JavaPatternSyntaxError,
  UnsupportedPatternError,
} from "./java_regex.ts";

Deno.test("java regex: whole topic names match, as Matcher.matches()", () => {
  const m = (p: string, t: string) => compileJavaPattern(p).test(t);
  assert.ok(m("orders-.*", "orders-eu"));
  assert.ok(!m("orders", "orders-eu"));
  assert.ok(!m("eu", "orders-eu"));
  assert.ok(m("a|b.c", "b-c"));
  assert.ok(!m("a|b.c", "ab.c"));
  assert.ok(m("t[0-9]{2}", "t07"));
  assert.ok(!m("t[0-9]{2}", "t7"));
  assert.ok(m("\\Qa.b\\E", "a.b"));
  assert.ok(!m("\\Qa.b\\E", "axb"));
  assert.ok(m("(?i)ORDERS", "orders"));
  assert.ok(m("\\p{Lower}+_\\d", "abc_1"));
  assert.ok(m("[]a]+", "]a"));
  assert.ok(m("x*+y", "xxy"));
  assert.ok(m("(?<n>ab)\\1", "abab"));
  assert.ok(m("a/b", "a/b"));
});

Deno.test("java regex: Java's PatternSyntaxException messages (JDK 17)", () => {
  // Each recorded with java.util.regex.Pattern.compile on OpenJDK 17.0.15.
  const cases: [string, string][] = [
    ["*", "Dangling meta character '*' near index 0\n*\n^"],
    ["x**", "Dangling meta character '*' near index 2\nx**\n  ^"],
    ["a|+", "Dangling meta character '+' near index 2\na|+\n  ^"],
    ["(*a)", "Dangling meta character '*' near index 1\n(*a)\n ^"],
    ["a*+*", "Dangling meta character '*' near index 3\na*+*\n   ^"],
    ["a(b", "Unclosed group near index 3\na(b"],
    ["ab)c", "Unmatched closing ')' near index 1\nab)c\n ^"],
    ["(a))", "Unmatched closing ')' near index 2\n(a))\n  ^"],
    ["[ab", "Unclosed character class near index 2\n[ab\n  ^"],
    ["[]", "Unclosed character class near index 1\n[]\n ^"],
    ["[^]", "Unclosed character class near index 2\n[^]\n  ^"],
    ["a{2", "Unclosed counted closure near index 3\na{2"],
    ["x{", "Illegal repetition near index 2\nx{"],
    ["a{x}", "Illegal repetition near index 2\na{x}\n  ^"],
    ["a{3,2}", "Illegal repetition range near index 5\na{3,2}\n     ^"],
    ["\\y", "Illegal/unsupported escape sequence near index 1\n\\y\n ^"],
    ["ab\\", "Unexpected internal error near index 3\nab\\"],
    ["[b-a]", "Illegal character range near index 3\n[b-a]\n   ^"],
    ["(?z)", "Unknown inline modifier near index 2\n(?z)\n  ^"],
    ["(?<", "capturing group name does not start with a Latin letter near index 3\n(?<"],
    ["a(?<n", "named capturing group is missing trailing '>' near index 5\na(?<n"],
  ];
  for (const [pattern, message] of cases) {
    assert.throws(() => compileJavaPattern(pattern), (e: unknown) => {
      assert.ok(e instanceof JavaPatternSyntaxError, pattern);
      assert.equal(e.message, message, pattern);
      return true;
    });
  }
});

Deno.test("java regex: what herd does not translate is refused, not misread", () => {
  for (const p of ["[a[b]]", "[a-z&&[^b]]", "a(?i)b", "\\Gx", "\\p{L}", "(?x)a b"]) {
    assert.throws(() => compileJavaPattern(p), UnsupportedPatternError, p);
  }
});
