/**
 * Drive Apache's `zkCli.sh` (Debian's 3.8.0) against a target: all commands on
 * stdin at once, the way the seed session was captured, or one command at a
 * time, the way the `IN|`/`OUT|`/`ERR|` transcripts were.
 *
 * @module
 */

import { ZKCLI } from "./_needs.ts";

const encoder = new TextEncoder();

/** Client log noise the references removed: SLF4J's warnings and log4j lines. */
export function isClientNoise(line: string): boolean {
  return line.startsWith("SLF4J:") || line.startsWith("log4j:") ||
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /.test(line);
}

/** Point every `127.0.0.1:PORT` in a command at the target. */
export function retarget(command: string, connectString: string): string {
  return command.replaceAll(/127\.0\.0\.1:\d+/g, connectString);
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  // With stdout and stderr on one pipe, a client log line (noise, dropped later) written from
  // another JVM thread can land between the two writes of one printed list, splitting
  // `[a, b, c]` after a ", " (seen once under load in CI). No line zkCli prints ends in ", ":
  // such a line and the next output line are one line.
  const joined: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    while (line.endsWith(", ") && i + 1 < lines.length) {
      let j = i + 1;
      while (j < lines.length && isClientNoise(lines[j])) j++;
      if (j >= lines.length) break;
      for (let k = i + 1; k < j; k++) joined.push(lines[k]);
      line += lines[j];
      i = j;
    }
    joined.push(line);
  }
  return joined;
}

/**
 * Run a shell command with stdout and stderr merged into one pipe (so the
 * order is the order the JVM wrote in), client noise removed.
 */
export async function runMerged(
  script: string,
  stdin = "",
  timeoutMs = 90_000,
): Promise<{ code: number; lines: string[] }> {
  const child = new Deno.Command("bash", {
    args: ["-c", `exec 2>&1\n${script}`],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, timeoutMs);
  const writer = child.stdin.getWriter();
  await writer.write(encoder.encode(stdin));
  await writer.close();
  const out = await child.output();
  clearTimeout(timer);
  const lines = splitLines(new TextDecoder().decode(out.stdout)).filter((l) => !isClientNoise(l));
  return { code: out.code, lines };
}

/** `zkCli.sh -server HOST:PORT < commands`, stdout and stderr merged. */
export function zkCliBatch(
  connectString: string,
  commands: string,
): Promise<{ code: number; lines: string[] }> {
  return runMerged(`exec ${ZKCLI} -server ${connectString}`, commands);
}

/** One line of interactive output, with the stream it came on. */
export interface TaggedLine {
  tag: "OUT" | "ERR";
  text: string;
}

/** What one command printed, in arrival order per stream. */
export interface Block {
  command: string;
  lines: TaggedLine[];
}

// zkCli prints this for a bare `printwatches` without touching the server, so
// it marks the end of the previous command's synchronous output. With a dead
// session it is followed by "Not connected" (printwatches falls through to the
// liveness check), which the reader drops too.
const MARKER_COMMAND = "printwatches";
const MARKER_LINE = "printwatches is on";

/**
 * An interactive zkCli: each `send` writes one command, then waits until the
 * marker shows the command has finished. Lines that arrive later (watch events,
 * output during a sleep) land in the most recent block.
 */
export class ZkCliSession {
  readonly blocks: Block[] = [{ command: "", lines: [] }];
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #markers = 0;
  #afterMarker = false;
  #waiters: (() => void)[] = [];
  #readers: Promise<void>[];
  #exit?: Deno.CommandStatus;

  constructor(connectString: string) {
    this.#child = new Deno.Command(ZKCLI, {
      args: ["-server", connectString],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#readers = [
      this.#read(this.#child.stdout, "OUT"),
      this.#read(this.#child.stderr, "ERR"),
    ];
    this.#child.status.then((s) => {
      this.#exit = s;
      this.#wake();
    });
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  async #read(stream: ReadableStream<Uint8Array>, tag: "OUT" | "ERR") {
    const decoder = new TextDecoder();
    let partial = "";
    const take = (text: string) => {
      if (isClientNoise(text)) return;
      if (tag === "OUT") {
        if (text === MARKER_LINE) {
          this.#markers++;
          this.#afterMarker = true;
          this.#wake();
          return;
        }
        const afterMarker = this.#afterMarker;
        this.#afterMarker = false;
        if (afterMarker && text === "Not connected") return;
      }
      this.blocks.at(-1)!.lines.push({ tag, text });
      this.#wake();
    };
    for await (const chunk of stream) {
      partial += decoder.decode(chunk, { stream: true });
      const lines = partial.split("\n");
      partial = lines.pop()!;
      for (const line of lines) take(line);
    }
    partial += decoder.decode();
    if (partial !== "") take(partial);
  }

  /** Wait until `ready()` holds, re-checking whenever output arrives. */
  async #until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (this.#exit !== undefined) throw new Error(`zkCli exited while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`zkCli: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Wait for the JVM to read stdin and for the session to connect. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const before = this.#markers;
    await this.#writer.write(encoder.encode(`${MARKER_COMMAND}\n`));
    await this.#until(() => this.#markers > before, timeoutMs, "zkCli to start");
    await this.#until(
      () => this.blocks[0].lines.some((l) => l.text.startsWith("WatchedEvent state:SyncConnected")),
      timeoutMs,
      "the session to connect",
    );
  }

  /** Run one command and wait for its synchronous output. */
  async send(command: string, timeoutMs = 30_000, graceMs = 60): Promise<void> {
    this.blocks.push({ command, lines: [] });
    const before = this.#markers;
    await this.#writer.write(encoder.encode(`${command}\n${MARKER_COMMAND}\n`));
    await this.#until(() => this.#markers > before, timeoutMs, `'${command}' to finish`);
    // Let an event the command triggered (AuthFailed, Closed …) arrive in its block.
    await new Promise((r) => setTimeout(r, graceMs));
  }

  /** Send `quit` (or close stdin) and wait for the JVM to exit. */
  async quit(command = "quit", timeoutMs = 30_000): Promise<number> {
    this.blocks.push({ command, lines: [] });
    await this.#writer.write(encoder.encode(`${command}\n`)).catch(() => {});
    await this.#writer.close().catch(() => {});
    await this.#until(() => this.#exit !== undefined, timeoutMs, "zkCli to exit").catch(
      (e) => {
        this.kill();
        throw e;
      },
    );
    await Promise.all(this.#readers);
    return this.#exit!.code;
  }

  /** Kill the JVM (cleanup after a failure). */
  kill(): void {
    if (this.#exit !== undefined) return;
    try {
      this.#child.kill("SIGKILL");
    } catch { /* gone */ }
  }

  /** Wait for the process to be reaped (after quit or kill). */
  async closed(): Promise<void> {
    await this.#child.status;
    await Promise.all(this.#readers).catch(() => {});
  }
}
