/**
 * What every zkCli command is: a name, the syntax shown in help and usage errors, and a `run`
 * that parses its words and does its work through a {@linkcode CommandContext}. Failures are
 * thrown: CliError (printed, exit code kept), ZkError and InvalidPathError (mapped to Apache's
 * messages by the shell), JavaCrash (ends the process).
 *
 * @module
 */
import type { ZkClient } from "../../../zk/client/mod.ts";
import { CliError } from "../errors.ts";
import {
  type CommandLine,
  type OptionSpec,
  type OptionsSpec,
  parseCommandLine,
} from "../cli_options.ts";
import type { Session } from "../session.ts";

/** What a command may use. */
export interface CommandContext {
  /** Prints a line on stdout. */
  out(line: string): void;
  /** Prints text on stdout without a newline. */
  print(text: string): void;
  /** Prints a line on stderr. */
  err(line: string): void;
  /** The session's client once connected; `path` is validated first (see Session.client). */
  zk(path?: string, sequential?: boolean): Promise<ZkClient>;
  /** The current session (for close). */
  session: Session;
}

/** A zkCli command. */
export interface CliCommand {
  /** The word that runs it. */
  readonly name: string;
  /** The syntax after the name, as in zkCli's help: "[-s] [-w] path". */
  readonly syntax: string;
  /** Parses `argv` (the command's own name first) and runs it. */
  run(argv: string[], ctx: CommandContext): Promise<void>;
}

/** A flag option. */
export function flag(key: string, description: string): OptionSpec {
  return { key, hasArg: false, description };
}

/** An option with a value. */
export function valued(key: string, description: string): OptionSpec {
  return { key, hasArg: true, description };
}

/** The usage error of a command: "get [-s] [-w] path". */
export function usageError(cmd: { name: string; syntax: string }): CliError {
  return new CliError(`${cmd.name} ${cmd.syntax}`);
}

/**
 * Parses options; fails with the command's usage when fewer than `minArgs` words remain
 * (counting the command's name), as most of Apache's commands do in `parse`.
 */
export function parseArgs(
  cmd: { name: string; syntax: string },
  spec: OptionsSpec,
  argv: readonly string[],
  minArgs: number,
): CommandLine {
  const cl = parseCommandLine(spec, argv);
  if (cl.args.length < minArgs) throw usageError(cmd);
  return cl;
}

/**
 * The 3.4-era `get path watch` form (also ls, stat): with a third word, Apache replaces the raw
 * word at index 2 by "-w", warns on stderr and parses again.
 */
export function retainWatchCompatibility(
  spec: OptionsSpec,
  argv: readonly string[],
  cl: CommandLine,
  warning: string,
  ctx: CommandContext,
): CommandLine {
  if (cl.args.length <= 2) return cl;
  const again = [...argv];
  again[2] = "-w";
  ctx.err(warning);
  return parseCommandLine(spec, again);
}

const encoder = new TextEncoder();

/** `String.getBytes(UTF_8)`. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
