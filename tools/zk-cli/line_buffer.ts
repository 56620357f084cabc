/**
 * The pure half of the line editor: decoding terminal input into keys, and the line being
 * edited with its cursor and history browsing. No I/O, so it is tested directly.
 *
 * @module
 */

/** The keys the editor acts on. */
export type KeyKind =
  | "enter"
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "wordLeft"
  | "wordRight"
  | "home"
  | "end"
  | "up"
  | "down"
  | "killEnd"
  | "killStart"
  | "killWord"
  | "clear"
  | "eof"
  | "interrupt"
  | "tab"
  | "ignore";

/** One decoded key press, or typed text. */
export type Key = { kind: "text"; text: string } | { kind: KeyKind };

const CONTROL: Record<number, KeyKind> = {
  0x01: "home",
  0x02: "left",
  0x03: "interrupt",
  0x04: "eof",
  0x05: "end",
  0x06: "right",
  0x08: "backspace",
  0x09: "tab",
  0x0a: "enter",
  0x0b: "killEnd",
  0x0c: "clear",
  0x0d: "enter",
  0x0e: "down",
  0x10: "up",
  0x15: "killStart",
  0x17: "killWord",
  0x7f: "backspace",
};

const ESCAPES: Record<string, KeyKind> = {
  "[A": "up",
  "[B": "down",
  "[C": "right",
  "[D": "left",
  "[H": "home",
  "[F": "end",
  "OA": "up",
  "OB": "down",
  "OC": "right",
  "OD": "left",
  "OH": "home",
  "OF": "end",
  "[1~": "home",
  "[7~": "home",
  "[4~": "end",
  "[8~": "end",
  "[3~": "delete",
  "[1;5C": "wordRight",
  "[1;5D": "wordLeft",
  "b": "wordLeft",
  "f": "wordRight",
};

/**
 * Splits terminal input into keys. Returns the keys and any incomplete escape sequence left at
 * the end, to be prefixed to the next chunk.
 *
 * @example
 * ```ts
 * decodeKeys("ab\x1b[D").keys; // [{kind:"text",text:"ab"}, {kind:"left"}]
 * ```
 */
export function decodeKeys(input: string): { keys: Key[]; rest: string } {
  const keys: Key[] = [];
  let text = "";
  const flush = () => {
    if (text !== "") keys.push({ kind: "text", text });
    text = "";
  };
  let i = 0;
  while (i < input.length) {
    const code = input.charCodeAt(i);
    if (code === 0x1b) {
      flush();
      const after = input.slice(i + 1);
      const m = /^(\[[0-9;]*[A-Za-z~]|O[A-Za-z]|[bf])/.exec(after);
      if (m === null) {
        // An escape sequence cut at the end of the chunk waits for the rest.
        if (/^(\[[0-9;]*|O)?$/.test(after)) return { keys, rest: input.slice(i) };
        keys.push({ kind: "ignore" });
        i++;
        continue;
      }
      keys.push({ kind: ESCAPES[m[1]] ?? "ignore" });
      i += 1 + m[0].length;
    } else if (code < 0x20 || code === 0x7f) {
      flush();
      keys.push({ kind: CONTROL[code] ?? "ignore" });
      // "\r\n" from a paste is one enter.
      i += code === 0x0d && input.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    } else {
      text += input[i++];
    }
  }
  flush();
  return { keys, rest: "" };
}

/** The line being edited: its text, the cursor, and the history being browsed. */
export class LineBuffer {
  text = "";
  cursor = 0;
  #history: string[];
  #index: number;
  #draft = "";

  constructor(history: string[]) {
    this.#history = history;
    this.#index = history.length;
  }

  /** Applies an editing key; returns false for keys it does not handle. */
  apply(key: Key): boolean {
    const t = this.text;
    const c = this.cursor;
    switch (key.kind) {
      case "text":
        this.#set(t.slice(0, c) + key.text + t.slice(c), c + key.text.length);
        return true;
      case "backspace":
        if (c > 0) this.#set(t.slice(0, c - 1) + t.slice(c), c - 1);
        return true;
      case "delete":
        if (c < t.length) this.#set(t.slice(0, c) + t.slice(c + 1), c);
        return true;
      case "left":
        this.cursor = Math.max(0, c - 1);
        return true;
      case "right":
        this.cursor = Math.min(t.length, c + 1);
        return true;
      case "home":
        this.cursor = 0;
        return true;
      case "end":
        this.cursor = t.length;
        return true;
      case "wordLeft":
        this.cursor = wordStart(t, c);
        return true;
      case "wordRight": {
        const m = /^\s*\S*/.exec(t.slice(c))!;
        this.cursor = c + m[0].length;
        return true;
      }
      case "killEnd":
        this.#set(t.slice(0, c), c);
        return true;
      case "killStart":
        this.#set(t.slice(c), 0);
        return true;
      case "killWord": {
        const start = wordStart(t, c);
        this.#set(t.slice(0, start) + t.slice(c), start);
        return true;
      }
      case "up":
      case "down":
        this.#browse(key.kind === "up" ? -1 : 1);
        return true;
      default:
        return false;
    }
  }

  #set(text: string, cursor: number): void {
    this.text = text;
    this.cursor = cursor;
  }

  #browse(step: number): void {
    const next = this.#index + step;
    if (next < 0 || next > this.#history.length) return;
    if (this.#index === this.#history.length) this.#draft = this.text;
    this.#index = next;
    const text = next === this.#history.length ? this.#draft : this.#history[next];
    this.#set(text, text.length);
  }
}

function wordStart(t: string, c: number): number {
  const m = /\S*\s*$/.exec(t.slice(0, c))!;
  return c - m[0].length;
}
