/**
 * Lines of a byte stream as Java's BufferedReader.readLine reads them: ended by "\n", "\r" or
 * "\r\n", the last one returned even without an ending, decoded as UTF-8. This is how zkCli
 * reads commands when stdin is not a terminal.
 *
 * @module
 */

/**
 * Yields each line of `stream`, without its ending, as soon as it is complete.
 *
 * @example
 * ```ts
 * for await (const line of readLines(Deno.stdin.readable)) console.log(line);
 * ```
 */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let pending = "";
  // A "\r" ended a line; a "\n" right after it belongs to the same ending.
  let afterCR = false;
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i];
      if (c === "\n" && afterCR && i === start) {
        start = i + 1;
        afterCR = false;
        continue;
      }
      afterCR = false;
      if (c === "\n" || c === "\r") {
        yield pending.slice(start, i);
        start = i + 1;
        afterCR = c === "\r";
      }
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (afterCR && pending.startsWith("\n")) pending = pending.slice(1);
  if (pending !== "") yield pending;
}
