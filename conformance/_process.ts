/**
 * A server process the suite started: its output captured line by line (stdout and stderr never
 * interleave inside a line), stopped with SIGTERM and, if it lingers, SIGKILL.
 *
 * @module
 */

/** A running child process with its captured output. */
export class ServerProcess {
  readonly #chunks: string[] = [];
  readonly #child: Deno.ChildProcess;
  readonly #drained: Promise<unknown>;
  #status?: Deno.CommandStatus;
  readonly exited: Promise<Deno.CommandStatus>;

  constructor(
    command: string,
    args: string[],
    opts: { cwd?: string; env?: Record<string, string> },
  ) {
    this.#child = new Deno.Command(command, {
      args,
      cwd: opts.cwd,
      env: opts.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#drained = Promise.all([
      this.#capture(this.#child.stdout),
      this.#capture(this.#child.stderr),
    ]);
    this.exited = this.#child.status.then((s) => (this.#status = s));
  }

  /** The exit status, once the process has exited. */
  get status(): Deno.CommandStatus | undefined {
    return this.#status;
  }

  /** Everything it printed so far. */
  output(): string {
    return this.#chunks.join("");
  }

  async #capture(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let partial = "";
    for await (const chunk of stream) {
      partial += decoder.decode(chunk, { stream: true });
      const end = partial.lastIndexOf("\n");
      if (end < 0) continue;
      this.#chunks.push(partial.slice(0, end + 1));
      partial = partial.slice(end + 1);
    }
    partial += decoder.decode();
    if (partial !== "") this.#chunks.push(`${partial}\n`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone and drained. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#status === undefined) {
      try {
        this.#child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          this.#child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await this.#drained;
  }
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Send a four-letter word as `echo WORD | nc` does and read until the server closes; "" when
 * the server cannot be reached.
 */
export async function fourLetterWord(
  hostname: string,
  port: number,
  word: string,
  timeoutMs = 3_000,
): Promise<string> {
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname, port });
  } catch {
    return "";
  }
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    await conn.write(new TextEncoder().encode(word));
    const parts: string[] = [];
    const buf = new Uint8Array(16 * 1024);
    const decoder = new TextDecoder();
    for (let n; (n = await conn.read(buf)) !== null;) {
      parts.push(decoder.decode(buf.subarray(0, n), { stream: true }));
    }
    return parts.join("") + decoder.decode();
  } catch {
    return "";
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed by the timer */ }
  }
}

/** Poll `ready` every 100 ms until it holds; throws `what` after `timeoutMs` or when `dead()`. */
export async function waitFor(
  ready: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  dead: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    const why = dead();
    if (why !== undefined) throw new Error(`${what}: ${why}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
