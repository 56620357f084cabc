/**
 * The shell (Apache's ZooKeeperMain): runs typed lines, keeps the history that `history` and
 * `redo` use, the `printwatches` switch, the exit code of the last command, and the session.
 * Like zkCli, every command but the shell's own needs a live session ("Not connected"
 * otherwise), the usage goes to stderr for an unknown command (exit code 127), and a failed
 * command prints its message on stderr (exit code 1).
 *
 * @module
 */
import { splitLine } from "./args.ts";
import { COMMANDS } from "./commands/mod.ts";
import type { CommandContext } from "./commands/mod.ts";
import { CliError, crashOnNumber, toCliError } from "./errors.ts";
import { watcherText } from "./format.ts";
import { decodeJavaInt } from "./java.ts";
import type { Output } from "./output.ts";
import { Session } from "./session.ts";

/** The shell's own commands, with their syntax in the help text. */
const SHELL_COMMANDS: Record<string, string> = {
  connect: "host:port",
  history: "",
  redo: "cmdno",
  printwatches: "on|off",
  quit: "",
};

/** zkCli's help: every command with its syntax, sorted. */
export function usageLines(): string[] {
  const syntax = new Map<string, string>(Object.entries(SHELL_COMMANDS));
  for (const c of COMMANDS.values()) syntax.set(c.name, c.syntax);
  const names = [...syntax.keys()].sort();
  return [
    "ZooKeeper -server host:port -client-configuration properties-file cmd args",
    ...names.map((n) => `\t${n} ${syntax.get(n)}`),
  ];
}

/** How the shell connects and where it writes. */
export interface ShellOptions {
  /** The connect string of the first session. */
  host: string;
  /** Session timeout, ms. */
  timeout: number;
  readOnly: boolean;
  output: Output;
  /** Ends the process (quit); tests pass a function that throws. */
  exit: (code: number) => never;
}

/** One zkCli shell. */
export class Shell {
  #o: ShellOptions;
  #history = new Map<number, string>();
  #count = 0;
  #exitCode = 0;
  #printWatches = true;
  /** The current command's words (ZooKeeperMain's `cl`, which `redo` replaces). */
  #words: string[] = [];
  #host: string;
  #session: Session;

  /** Creates the shell and starts connecting (without waiting, as zkCli does). */
  constructor(opts: ShellOptions) {
    this.#o = opts;
    this.#host = opts.host;
    this.#session = this.#open(opts.host);
  }

  /** The exit code zkCli would exit with now: that of the last command. */
  get exitCode(): number {
    return this.#exitCode;
  }
  /** The session in use. */
  get session(): Session {
    return this.#session;
  }
  /** The number of lines run so far (shown in the prompt). */
  get commandCount(): number {
    return this.#count;
  }

  /** The interactive prompt: `[zk: host:port(CONNECTED) 3] `. */
  prompt(): string {
    return `[zk: ${this.#host}(${this.#session.state}) ${this.#count}] `;
  }

  #open(host: string): Session {
    return new Session(host, {
      timeout: this.#o.timeout,
      readOnly: this.#o.readOnly,
      onEvent: (e) => {
        if (this.#printWatches) this.#o.output.async(watcherText(e));
      },
    });
  }

  /** `connect`: closes a live session, then starts a new one to `host`. */
  async connect(host: string): Promise<void> {
    if (this.#session.alive) await this.#session.close();
    this.#host = host;
    this.#session = this.#open(host);
  }

  #out = (line: string) => this.#o.output.out(`${line}\n`);
  #err = (line: string) => this.#o.output.err(`${line}\n`);

  /** Runs one typed line (an empty one is ignored and not counted). */
  async executeLine(line: string): Promise<void> {
    if (line === "") return;
    const words = splitLine(line);
    if (words.length > 0) this.#words = words;
    this.#history.set(this.#count, line);
    await this.processCmd(this.#words);
    this.#count++;
  }

  /** Runs a command given as words, recording its exit code and printing its failure. */
  async processCmd(words: string[]): Promise<void> {
    try {
      await this.#process(words);
      this.#exitCode = 0;
    } catch (e) {
      const failure = toCliError(e);
      this.#exitCode = failure.exitCode;
      this.#err(failure.message);
    }
  }

  async #process(args: string[]): Promise<void> {
    const cmd = args[0];
    if (!Object.hasOwn(SHELL_COMMANDS, cmd) && !COMMANDS.has(cmd)) {
      usageLines().forEach(this.#err);
      throw new CliError(`Command not found: Command not found ${cmd}`, 127);
    }
    if (cmd === "quit") {
      await this.#session.close();
      this.#o.exit(this.#exitCode);
    } else if (cmd === "redo" && args.length >= 2) {
      await this.#redo(args[1]);
    } else if (cmd === "history") {
      for (let i = Math.max(0, this.#count - 10); i <= this.#count; i++) {
        this.#out(`${i} - ${this.#history.get(i) ?? "null"}`);
      }
    } else if (cmd === "printwatches") {
      if (args.length === 1) this.#out(`printwatches is ${this.#printWatches ? "on" : "off"}`);
      else this.#printWatches = args[1] === "on";
    } else if (cmd === "connect") {
      await this.connect(args.length >= 2 ? args[1] : this.#host);
    }
    // zkCli checks the session even after its own commands.
    if (!this.#session.alive) {
      this.#out("Not connected");
      return;
    }
    await COMMANDS.get(cmd)?.run(args, this.#context());
  }

  async #redo(index: string): Promise<void> {
    const i = crashOnNumber(() => decodeJavaInt(index));
    if (this.#count <= i || i < 0) throw new CliError("Command index out of range");
    const line = this.#history.get(i)!;
    const words = splitLine(line);
    if (words.length > 0) this.#words = words;
    if (this.#words[0] === "redo") throw new CliError("No redoing redos");
    this.#history.set(this.#count, line);
    await this.processCmd(this.#words);
  }

  #context(): CommandContext {
    const session = this.#session;
    return {
      out: this.#out,
      err: this.#err,
      print: (text) => this.#o.output.out(text),
      zk: (path, sequential) => session.client(path, sequential),
      session,
    };
  }
}
