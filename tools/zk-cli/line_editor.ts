/**
 * A small line editor for the interactive prompt, standing in for the JLine that zkCli uses on
 * a terminal: arrows and Home/End, ctrl-a/e/b/f, backspace/delete, ctrl-k/u/w, ctrl-l, history
 * with up/down (ctrl-p/n), tab completion, ctrl-d on an empty line to leave. The terminal is in
 * raw mode only while a line is being read, so ctrl-c during a command stops zkCli as it does
 * in Apache's. Text that arrives while editing (watch events) is printed above a redrawn prompt.
 *
 * @module
 */
import { decodeKeys, LineBuffer } from "./line_buffer.ts";
import type { AsyncFence } from "./output.ts";

/** What completion offers: the candidates for the word that starts at `start`. */
export interface Completion {
  start: number;
  candidates: string[];
}

/** The terminal the editor drives. */
export interface Terminal {
  /** Reads raw input; null at end of input. */
  read(): Promise<string | null>;
  write(text: string): void;
  setRaw(raw: boolean): void;
  /** Terminal width in columns. */
  columns(): number;
}

/** Reads lines from a terminal with editing and history. */
export class LineEditor implements AsyncFence {
  readonly history: string[] = [];
  #term: Terminal;
  #complete: (line: string, cursor: number) => Promise<Completion>;
  #active: { prompt: () => string; buf: LineBuffer } | null = null;
  /** Row of the cursor within the drawn prompt + line, to get back to its start. */
  #cursorRow = 0;
  #pending = "";

  constructor(term: Terminal, complete: (line: string, cursor: number) => Promise<Completion>) {
    this.#term = term;
    this.#complete = complete;
  }

  /**
   * Reads one line; null at ctrl-d on an empty line or end of input. Exits on ctrl-c. The
   * prompt is asked for again at each redraw, so it can show a state that changed meanwhile.
   */
  async readLine(prompt: () => string): Promise<string | null> {
    const buf = new LineBuffer(this.history);
    this.#active = { prompt, buf };
    this.#cursorRow = 0;
    this.#term.setRaw(true);
    this.#refresh();
    try {
      while (true) {
        const chunk = await this.#term.read();
        if (chunk === null) return this.#finish(null);
        const { keys, rest } = decodeKeys(this.#pending + chunk);
        this.#pending = rest;
        for (const key of keys) {
          if (key.kind === "enter") return this.#finish(buf.text);
          if (key.kind === "eof" && buf.text === "") return this.#finish(null);
          if (key.kind === "eof") buf.apply({ kind: "delete" });
          else if (key.kind === "interrupt") this.#interrupt();
          else if (key.kind === "clear") {
            this.#term.write("\x1b[H\x1b[2J");
            this.#cursorRow = 0;
          } else if (key.kind === "tab") await this.#tab(buf);
          else buf.apply(key);
        }
        this.#refresh();
      }
    } finally {
      this.#term.setRaw(false);
      this.#active = null;
    }
  }

  #finish(line: string | null): string | null {
    this.#refresh(true);
    this.#term.write("\r\n");
    if (line !== null && line.trim() !== "") this.history.push(line);
    return line;
  }

  #interrupt(): never {
    this.#refresh(true);
    this.#term.write("^C\r\n");
    this.#term.setRaw(false);
    Deno.exit(130);
  }

  async #tab(buf: LineBuffer): Promise<void> {
    const { start, candidates } = await this.#complete(buf.text, buf.cursor);
    if (candidates.length === 0) return;
    const word = buf.text.slice(start, buf.cursor);
    let common = candidates[0];
    for (const c of candidates) {
      while (!c.startsWith(common)) common = common.slice(0, -1);
    }
    if (candidates.length === 1 && !common.endsWith("/")) common += " ";
    if (common.length > word.length) {
      buf.apply({ kind: "text", text: common.slice(word.length) });
      return;
    }
    this.before();
    this.#term.write(candidates.join("  ") + "\r\n");
    this.after();
  }

  /** Clears the prompt so that other text can be printed (AsyncFence). */
  before(): void {
    if (this.#active === null) return;
    this.#toStart();
    this.#term.write("\x1b[J");
    this.#term.setRaw(false);
  }

  /** Redraws the prompt after other text (AsyncFence). */
  after(): void {
    if (this.#active === null) return;
    this.#term.setRaw(true);
    this.#cursorRow = 0;
    this.#refresh();
  }

  #toStart(): void {
    if (this.#cursorRow > 0) this.#term.write(`\x1b[${this.#cursorRow}A`);
    this.#term.write("\r");
    this.#cursorRow = 0;
  }

  /** Redraws prompt and line; with `atEnd` leaves the cursor after the text. */
  #refresh(atEnd = false): void {
    if (this.#active === null) return;
    const prompt = this.#active.prompt();
    const buf = this.#active.buf;
    const cols = Math.max(1, this.#term.columns());
    const len = (s: string) => [...s].length;
    const total = len(prompt) + len(buf.text);
    const cursor = atEnd ? total : len(prompt) + len(buf.text.slice(0, buf.cursor));
    this.#toStart();
    let out = `\x1b[J${prompt}${buf.text}`;
    // A line that fills its last column leaves the cursor there: move to the next row.
    if (total > 0 && total % cols === 0) out += "\r\n";
    const row = Math.floor(total / cols);
    const targetRow = Math.floor(cursor / cols);
    if (row > targetRow) out += `\x1b[${row - targetRow}A`;
    out += "\r";
    if (cursor % cols > 0) out += `\x1b[${cursor % cols}C`;
    this.#term.write(out);
    this.#cursorRow = targetRow;
  }
}

/** The process's terminal (stdin in raw mode, stdout). */
export class DenoTerminal implements Terminal {
  #buf = new Uint8Array(4096);
  #decoder = new TextDecoder();
  #encoder = new TextEncoder();

  async read(): Promise<string | null> {
    const n = await Deno.stdin.read(this.#buf);
    if (n === null) return null;
    return this.#decoder.decode(this.#buf.subarray(0, n), { stream: true });
  }
  write(text: string): void {
    const bytes = this.#encoder.encode(text);
    for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
  }
  setRaw(raw: boolean): void {
    Deno.stdin.setRaw(raw);
  }
  columns(): number {
    try {
      return Deno.consoleSize().columns;
    } catch {
      return 80;
    }
  }
}
