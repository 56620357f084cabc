import assert from "node:assert/strict";
import { readLines } from "./lines.ts";

async function lines(chunks: string[]): Promise<{ got: string[]; prompts: number }> {
  const s = ReadableStream.from(chunks.map((c) => new TextEncoder().encode(c)));
  let prompts = 0;
  const got: string[] = [];
  for await (const l of readLines(s, () => prompts++)) got.push(l);
  return { got, prompts };
}

Deno.test("lines end as BufferedReader.readLine ends them, across chunk borders", async () => {
  assert.deepEqual(await lines(["a\r", "\nb\n\nc"]), { got: ["a", "b", "", "c"], prompts: 5 });
  assert.deepEqual(await lines(["x\ry\n"]), { got: ["x", "y"], prompts: 3 });
  assert.deepEqual(await lines([]), { got: [], prompts: 1 });
  assert.deepEqual((await lines(["h\u00c3", "\u00a9\n"])).got.length, 1);
  const split = new TextEncoder().encode("é\n");
  const s = ReadableStream.from([split.subarray(0, 1), split.subarray(1)]);
  const got: string[] = [];
  for await (const l of readLines(s)) got.push(l);
  assert.deepEqual(got, ["é"], "a character split between reads");
});
