import assert from "node:assert/strict";
import { parseMainArgs, splitLine } from "./args.ts";

Deno.test("parseMainArgs: defaults, options and the one-shot command", () => {
  const d = parseMainArgs([]);
  assert.equal(d.server, "localhost:2181");
  assert.equal(d.timeout, "30000");
  assert.equal(d.command, undefined);
  const o = parseMainArgs(["-server", "a:1,b:2/app", "-timeout", "5000", "-r", "get", "-s", "/x"]);
  assert.equal(o.server, "a:1,b:2/app");
  assert.equal(o.timeout, "5000");
  assert.equal(o.readOnly, true);
  assert.deepEqual(o.command, ["get", "-s", "/x"]);
  // Options after the command belong to it; unknown ones before it are ignored.
  assert.deepEqual(parseMainArgs(["-foo", "ls", "/", "-server", "x"]).command, [
    "ls",
    "/",
    "-server",
    "x",
  ]);
  assert.equal(parseMainArgs(["-waitforconnection"]).waitForConnection, true);
  assert.equal(parseMainArgs(["-client-configuration", "f"]).clientConfiguration, "f");
});

Deno.test("parseMainArgs: an option without its value is reported, the rest kept", () => {
  const o = parseMainArgs(["-server", "h:1", "-timeout"]);
  assert.deepEqual(o.errors, ["Error: no argument found for option -timeout"]);
  assert.equal(o.server, "h:1");
  assert.equal(o.timeout, "30000");
});

Deno.test("splitLine: words, quotes only at a word's start, blanks", () => {
  assert.deepEqual(splitLine("create /a data"), ["create", "/a", "data"]);
  assert.deepEqual(splitLine("  ls    /   "), ["ls", "/"]);
  assert.deepEqual(splitLine(`create /a "two words" 'and more'`), [
    "create",
    "/a",
    "two words",
    "and more",
  ]);
  assert.deepEqual(splitLine(`create /q1 "a'b"`), ["create", "/q1", "a'b"]);
  // An unmatched quote is skipped; a quote inside a word is kept.
  assert.deepEqual(splitLine(`create /q2 'x"y`), ["create", "/q2", 'x"y']);
  assert.deepEqual(splitLine(`create /q3 a"b"c`), ["create", "/q3", 'a"b"c']);
  assert.deepEqual(splitLine(`get ""`), ["get", ""]);
  // A line of blanks: zkCli takes its last blank as the command.
  assert.deepEqual(splitLine("   "), [" "]);
  assert.deepEqual(splitLine("\t"), ["\t"]);
});
