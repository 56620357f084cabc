/**
 * Where zkCli's text goes. Every write is synchronous and whole, so with stdout and stderr on one
 * pipe (`2>&1`) lines come out in the order they were printed, as they do from the JVM.
 * Asynchronous text (watch events) can be fenced by the line editor, which clears its prompt
 * before and redraws it after.
 *
 * @module
 */

/** The two streams, plus a hook around text that arrives while the user is typing. */
export interface Output {
  /** Writes to stdout (no newline added). */
  out(text: string): void;
  /** Writes to stderr (no newline added). */
  err(text: string): void;
  /** Writes text that was not asked for (a watch event) to stdout. */
  async(text: string): void;
}

/** Something that must step aside while asynchronous text is printed (the prompt). */
export interface AsyncFence {
  before(): void;
  after(): void;
}

const encoder = new TextEncoder();

function writeAll(f: { writeSync(b: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(text);
  for (let off = 0; off < bytes.length;) off += f.writeSync(bytes.subarray(off));
}

/** The process's stdout and stderr. */
export class StdOutput implements Output {
  /** Set by the line editor while it shows a prompt. */
  fence: AsyncFence | null = null;

  out(text: string): void {
    writeAll(Deno.stdout, text);
  }
  err(text: string): void {
    writeAll(Deno.stderr, text);
  }
  async(text: string): void {
    this.fence?.before();
    writeAll(Deno.stdout, text);
    this.fence?.after();
  }
}

/** An Output that records what was written, tagged by stream (for tests). */
export class MemoryOutput implements Output {
  readonly chunks: { stream: "out" | "err"; text: string }[] = [];

  out(text: string): void {
    this.chunks.push({ stream: "out", text });
  }
  err(text: string): void {
    this.chunks.push({ stream: "err", text });
  }
  async(text: string): void {
    this.out(text);
  }
  /** Everything written to one stream, or to both in order. */
  text(stream?: "out" | "err"): string {
    return this.chunks.filter((c) => stream === undefined || c.stream === stream)
      .map((c) => c.text).join("");
  }
}
