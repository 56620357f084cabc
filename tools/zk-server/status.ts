/**
 * `zk-server status`: find the client port as zkServer.sh does, ask the server `srvr` (the 4lw
 * Apache's script sends through FourLetterWordMain) and print its `Mode:` line.
 *
 * @module
 */
import { findClientPort } from "./client_port.ts";

/** Where status writes; stdout lines as zkServer.sh prints them. */
export interface StatusIo {
  /** Print one line on stdout. */
  out(line: string): void;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/**
 * Send a four-letter word and read the answer until the server closes the connection; throws
 * when the server cannot be reached or the answer takes longer than `timeoutMs`.
 *
 * @example
 * ```ts
 * const answer = await fourLetterWord("127.0.0.1", 2181, "srvr");
 * ```
 */
export async function fourLetterWord(
  hostname: string,
  port: number,
  word: string,
  timeoutMs = 5_000,
): Promise<string> {
  const conn = await Deno.connect({ hostname, port });
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    await conn.write(new TextEncoder().encode(word));
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(8192);
    for (let n; (n = await conn.read(buf)) !== null;) chunks.push(buf.slice(0, n));
    const decoder = new TextDecoder();
    return chunks.map((c) => decoder.decode(c, { stream: true })).join("") + decoder.decode();
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed by the timer */ }
  }
}

// herd's status speaks plain TCP; Apache's tries TLS with CLIENT_JVMFLAGS. Say so instead.
const SSL_NOTE =
  "Note: herd's status cannot use secureClientPort (PORT): it speaks plain TCP only.";

/**
 * Print the server's Mode as `zkServer.sh status` does; returns the exit code (0 when a Mode was
 * read, 1 otherwise).
 *
 * @example
 * ```ts
 * const code = await status(await Deno.readTextFile("zoo.cfg"), { out: console.log });
 * ```
 */
export async function status(cfg: string, io: StatusIo): Promise<number> {
  const found = await findClientPort(cfg, readOptional);
  for (const note of found.notes) io.out(note);
  if (!found.ok) return 1;
  io.out(
    `Client port found: ${found.port}. Client address: ${found.address}. Client SSL: ${found.ssl}.`,
  );
  let mode = "";
  if (!found.ssl) {
    try {
      const answer = await fourLetterWord(found.address, Number(found.port), "srvr");
      // The script greps for Mode and echoes the match unquoted: words joined by single spaces.
      mode = answer.split("\n").filter((l) => l.includes("Mode")).join(" ").trim()
        .split(/\s+/).join(" ");
    } catch { /* not reachable: reported below */ }
  }
  if (mode === "") {
    if (found.ssl) io.out(SSL_NOTE.replace("PORT", found.port));
    io.out("Error contacting service. It is probably not running.");
    return 1;
  }
  io.out(mode);
  return 0;
}
