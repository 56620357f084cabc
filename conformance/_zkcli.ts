/**
 * Drive a zkCli (Apache's zkCli.sh, or a drop-in for it) one command at a time, the way the
 * reference `IN|`/`OUT|`/`ERR|` transcripts were captured: each command is followed by a bare
 * `printwatches`, which zkCli answers locally with `printwatches is on`; that line marks the end
 * of the command's own output.
 *
 * @module
 */

const encoder = new TextEncoder();
const MARKER_COMMAND = "printwatches";
const MARKER_LINE = "printwatches is on";

/** Client log noise the references removed: SLF4J's warnings and log4j lines. */
export function isClientNoise(line: string): boolean {
  return line.startsWith("SLF4J:") || line.startsWith("log4j:") ||
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /.test(line);
}

/** What one command printed, per stream, in arrival order. */
export interface Block {
  out: string[];
  err: string[];
}

/** An interactive zkCli process. */
export class ZkCliSession {
  /** Block 0 is what zkCli printed before the first command (connecting, welcome). */
  readonly blocks: Block[] = [{ out: [], err: [] }];
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #markers = 0;
  #afterMarker = false;
  #waiters: (() => void)[] = [];
  #readers: Promise<void>[];
  #exit?: Deno.CommandStatus;

  /** `zkCli` is a shell word list (`/usr/share/zookeeper/bin/zkCli.sh`). */
  constructor(zkCli: string, connect: string) {
    this.#child = new Deno.Command("bash", {
      args: ["-c", `exec ${zkCli} -server ${connect}`],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#readers = [this.#read(this.#child.stdout, "out"), this.#read(this.#child.stderr, "err")];
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

  async #read(stream: ReadableStream<Uint8Array>, tag: "out" | "err") {
    const decoder = new TextDecoder();
    let partial = "";
    const take = (text: string) => {
      if (isClientNoise(text)) return;
      if (tag === "out") {
        if (text === MARKER_LINE) {
          this.#markers++;
          this.#afterMarker = true;
          this.#wake();
          return;
        }
        // With the session closed, the marker command also prints "Not connected".
        const afterMarker = this.#afterMarker;
        this.#afterMarker = false;
        if (afterMarker && text === "Not connected") return;
      }
      this.blocks.at(-1)![tag].push(text);
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

  /** Wait until zkCli reads stdin and its session has connected. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const before = this.#markers;
    await this.#writer.write(encoder.encode(`${MARKER_COMMAND}\n`));
    await this.#until(() => this.#markers > before, timeoutMs, "zkCli to start");
    await this.#until(
      () => this.blocks[0].out.some((l) => l.startsWith("WatchedEvent state:SyncConnected")),
      timeoutMs,
      "the session to connect",
    );
  }

  /** Run one command; resolves with its block once its synchronous output is in. */
  async send(command: string, graceMs = 60, timeoutMs = 30_000): Promise<Block> {
    const block: Block = { out: [], err: [] };
    this.blocks.push(block);
    const before = this.#markers;
    await this.#writer.write(encoder.encode(`${command}\n${MARKER_COMMAND}\n`));
    await this.#until(() => this.#markers > before, timeoutMs, `'${command}' to finish`);
    // Let an event the command caused (Closed, AuthFailed …) land in its block.
    if (graceMs > 0) await new Promise((r) => setTimeout(r, graceMs));
    return block;
  }

  /** Send `command` (quit), close stdin and wait for the exit code. */
  async quit(command: string, timeoutMs = 30_000): Promise<{ block: Block; code: number }> {
    const block: Block = { out: [], err: [] };
    this.blocks.push(block);
    await this.#writer.write(encoder.encode(`${command}\n`)).catch(() => {});
    await this.#writer.close().catch(() => {});
    await this.#until(() => this.#exit !== undefined, timeoutMs, "zkCli to exit");
    await Promise.all(this.#readers);
    return { block, code: this.#exit!.code };
  }

  /** Kill the process (after a failure) and wait for it. */
  async close(): Promise<void> {
    if (this.#exit === undefined) {
      await this.#writer.close().catch(() => {});
      try {
        this.#child.kill("SIGKILL");
      } catch { /* gone */ }
    }
    await this.#child.status;
    await Promise.all(this.#readers).catch(() => {});
  }
}

/** Run a shell script with stdout and stderr merged, client noise removed. */
export async function runMerged(
  script: string,
  stdin = "",
  timeoutMs = 120_000,
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
  await writer.write(encoder.encode(stdin)).catch(() => {});
  await writer.close().catch(() => {});
  const out = await child.output();
  clearTimeout(timer);
  const lines = new TextDecoder().decode(out.stdout).split("\n");
  if (lines.at(-1) === "") lines.pop();
  return { code: out.code, lines: lines.filter((l) => !isClientNoise(l)) };
}
