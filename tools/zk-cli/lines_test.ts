import assert from "node:assert/strict";
import { readLines } from "./lines.ts";

async function collect(chunks: string[]): Promise<string[]> {
  const enc = new TextEncoder();
  const stream = ReadableStream.from(chunks.map((c) => enc.encode(c)));
  const out: string[] = [];
  for await (const l of readLines(stream)) out.push(l);
  return out;
}

Deno.test("readLines: \\n, \\r and \\r\\n endings, even across chunks; a last line without one", async () => {
  assert.deepEqual(await collect(["a\nb\r\nc\rd"]), ["a", "b", "c", "d"]);
  assert.deepEqual(await collect(["a\r", "\nb\n", "\n"]), ["a", "b", ""]);
  assert.deepEqual(await collect(["ls /\n", "quit"]), ["ls /", "quit"]);
  assert.deepEqual(await collect(["\u00e9", "t\u00e9\n"]), ["\u00e9t\u00e9"]);
  assert.deepEqual(await collect([]), []);
});
