import assert from "node:assert/strict";
import { decodeKeys, type Key, LineBuffer } from "./line_buffer.ts";

Deno.test("decodeKeys: text, control keys, escape sequences, a cut sequence", () => {
  assert.deepEqual(decodeKeys("ls /\r").keys, [{ kind: "text", text: "ls /" }, { kind: "enter" }]);
  assert.deepEqual(
    decodeKeys("\x01\x05\x1b[A\x1b[B\x1b[C\x1b[D\x1b[3~\x7f").keys.map((k) => k.kind),
    [
      "home",
      "end",
      "up",
      "down",
      "right",
      "left",
      "delete",
      "backspace",
    ],
  );
  const cut = decodeKeys("ab\x1b[");
  assert.deepEqual(cut.keys, [{ kind: "text", text: "ab" }]);
  assert.equal(cut.rest, "\x1b[");
  assert.deepEqual(decodeKeys(cut.rest + "D").keys, [{ kind: "left" }]);
});

function type(buf: LineBuffer, ...keys: (Key | string)[]) {
  for (const k of keys) buf.apply(typeof k === "string" ? { kind: "text", text: k } : k);
}

Deno.test("LineBuffer: editing at the cursor", () => {
  const b = new LineBuffer([]);
  type(b, "ls /", { kind: "home" }, "x", { kind: "end" }, "zoo");
  assert.equal(b.text, "xls /zoo");
  type(b, { kind: "backspace" }, { kind: "left" }, { kind: "left" }, { kind: "killEnd" });
  assert.equal(b.text, "xls /");
  type(b, { kind: "home" }, { kind: "delete" });
  assert.equal(b.text, "ls /");
  type(b, { kind: "end" }, { kind: "killWord" });
  assert.equal(b.text, "ls ");
  type(b, "get /a", { kind: "wordLeft" }, { kind: "killStart" });
  assert.deepEqual([b.text, b.cursor], ["/a", 0]);
});

Deno.test("LineBuffer: history with up/down keeps the line being typed", () => {
  const b = new LineBuffer(["ls /", "get /a"]);
  type(b, "draft", { kind: "up" });
  assert.equal(b.text, "get /a");
  type(b, { kind: "up" }, { kind: "up" });
  assert.equal(b.text, "ls /");
  type(b, { kind: "down" }, { kind: "down" });
  assert.deepEqual([b.text, b.cursor], ["draft", 5]);
});
