/**
 * stdin as Java's BufferedReader.readLine reads it: lines end at `\n`, `\r\n` or `\r`, the last
 * line may lack its end, input is UTF-8 (malformed bytes become U+FFFD). `beforeEach` runs before
 * every read, the last one that finds the end of input included, which is when ConsoleProducer
 * prints its prompt.
 *
 * @module
 */

/**
 * The lines of `stream`.
 *
 * @example
 * ```ts
 * import { readLines } from "./lines.ts";
 * const s = ReadableStream.from([new TextEncoder().encode("a\r\nb\rc")]);
 * const got: string[] = [];
 * for await (const l of readLines(s)) got.push(l);
 * console.log(got); // ["a", "b", "c"]
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  beforeEach: () => void = () => {},
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let text = "";
  let done = false;
  // A `\r` at the end of what we have may be the first half of `\r\n`.
  let skipLf = false;
  try {
    for (;;) {
      beforeEach();
      for (;;) {
        if (skipLf && text.length > 0) {
          if (text[0] === "\n") text = text.slice(1);
          skipLf = false;
        }
        const m = text.search(/[\r\n]/);
        if (m >= 0) {
          const line = text.slice(0, m);
          if (text[m] === "\r") {
            if (m + 1 < text.length) text = text.slice(text[m + 1] === "\n" ? m + 2 : m + 1);
            else {
              text = "";
              skipLf = true;
            }
          } else text = text.slice(m + 1);
          yield line;
          break;
        }
        if (done) {
          if (text.length > 0) {
            const line = text;
            text = "";
            yield line;
            break;
          }
          return;
        }
        const r = await reader.read();
        if (r.done) {
          text += decoder.decode();
          done = true;
        } else text += decoder.decode(r.value, { stream: true });
      }
    }
  } finally {
    reader.releaseLock();
  }
}
