/**
 * zkCli.sh's own argument handling (ZooKeeperMain.MyCommandOptions): the options before the
 * command (`-server`, `-timeout`, `-r`, `-client-configuration`, `-waitforconnection`), and how a
 * typed line is split into words (whitespace-separated, `"…"` and `'…'` kept whole and unquoted).
 *
 * @module
 */

/** What zkCli.sh was started with. */
export interface MainOptions {
  /** The connect string, "localhost:2181" unless `-server` says otherwise. */
  server: string;
  /** The session timeout as typed ("30000" by default); parsed when connecting, as zkCli does. */
  timeout: string;
  /** `-r`: accept a read-only server. */
  readOnly: boolean;
  /** `-client-configuration file`. */
  clientConfiguration?: string;
  /** `-waitforconnection`: wait for the session before running anything. */
  waitForConnection: boolean;
  /** The command and its arguments when given on the command line (one-shot mode). */
  command?: string[];
  /** Complaints to print on stderr ("Error: no argument found for option -server"). */
  errors: string[];
}

/**
 * Parses zkCli.sh's arguments. Unknown `-x` options are ignored and the first word not starting
 * with "-" begins the command, as in ZooKeeperMain.
 *
 * @example
 * ```ts
 * parseMainArgs(["-server", "127.0.0.1:2181", "get", "/x"]).command; // ["get", "/x"]
 * ```
 */
export function parseMainArgs(argv: readonly string[]): MainOptions {
  const o: MainOptions = {
    server: "localhost:2181",
    timeout: "30000",
    readOnly: false,
    waitForConnection: false,
    errors: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const opt = argv[i];
    const takesValue = opt === "-server" || opt === "-timeout" || opt === "-client-configuration";
    if (takesValue && i + 1 >= argv.length) {
      o.errors.push(`Error: no argument found for option ${opt}`);
      return o;
    }
    if (opt === "-server") o.server = argv[++i];
    else if (opt === "-timeout") o.timeout = argv[++i];
    else if (opt === "-client-configuration") o.clientConfiguration = argv[++i];
    else if (opt === "-r") o.readOnly = true;
    else if (opt === "-waitforconnection") o.waitForConnection = true;
    else if (!opt.startsWith("-")) {
      o.command = argv.slice(i);
      return o;
    }
  }
  return o;
}

// Java's \s and \S: ASCII whitespace only.
const WORD = /[ \t\n\v\f\r]*([^"'][^ \t\n\v\f\r]*|"[^"]*"|'[^']*')[ \t\n\v\f\r]*/g;
const QUOTED = /^(['"])(.*)\1$/;

/**
 * Splits a typed command line into words as zkCli does. Quotes are only special at the start of
 * a word; an unmatched quote is skipped. A line of blanks yields its last blank as the command,
 * as it does in zkCli ("Command not found:  ").
 *
 * @example
 * ```ts
 * splitLine(`create /a "two words" world:anyone:r`); // ["create", "/a", "two words", "world:anyone:r"]
 * ```
 */
export function splitLine(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(WORD)) {
    const word = m[1];
    words.push(QUOTED.test(word) ? word.slice(1, -1) : word);
  }
  return words;
}
