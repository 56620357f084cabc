/**
 * Send a four-letter word (`ruok`, `stat`, `dump` …) the way `echo WORD | nc`
 * does, and read the answer until the server closes the connection.
 *
 * @module
 */

/**
 * @example
 * ```ts
 * const answer = await fourLetterWord(2181, "ruok"); // "imok"
 * ```
 */
export async function fourLetterWord(
  port: number,
  word: string,
  timeoutMs = 5_000,
  hostname = "127.0.0.1",
): Promise<string> {
  const conn = await Deno.connect({ hostname, port });
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* already closed */ }
  }, timeoutMs);
  try {
    await conn.write(new TextEncoder().encode(word));
    const parts: Uint8Array[] = [];
    const buf = new Uint8Array(16 * 1024);
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      parts.push(buf.slice(0, n));
    }
    const decoder = new TextDecoder();
    return parts.map((p) => decoder.decode(p, { stream: true })).join("") + decoder.decode();
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}
