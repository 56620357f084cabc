/**
 * Command option parsing as zkCli's commands do it with Apache commons-cli 1.5's DefaultParser,
 * so that odd input gets the same outcome: options anywhere on the line (`set /a x -v 3`), `-v3`
 * and `-t=5`, bundled flags (`-es`), `--` ending options, a negative number taken as an option's
 * value (`-t -5`) but otherwise refused (`set /a -1`: "Unrecognized option: -1"), option groups
 * (setquota's required one-of), and the exception texts zkCli prints
 * (`org.apache.commons.cli.MissingArgumentException: Missing argument for option: v`).
 *
 * @module
 */
import { CliError } from "./errors.ts";

/** One option of a command (a commons-cli Option without a long name). */
export interface OptionSpec {
  /** The name after the dash: "s", "v", "file". */
  key: string;
  /** Takes one value. */
  hasArg: boolean;
  /** The description (shown in help and in "Missing required option" messages). */
  description: string;
}

/** A command's options, and at most one group of mutually exclusive ones. */
export interface OptionsSpec {
  options: OptionSpec[];
  group?: { keys: string[]; required: boolean };
}

/** The parsed command line: the options seen, with values, and the other arguments. */
export class CommandLine {
  constructor(
    readonly args: string[],
    readonly opts: { key: string; values: string[] }[],
  ) {}

  /** Whether the option was given. */
  has(key: string): boolean {
    return this.opts.some((o) => o.key === key);
  }

  /** The option's first value (of its first occurrence), or undefined. */
  value(key: string): string | undefined {
    return this.opts.find((o) => o.key === key)?.values[0];
  }
}

function parseError(kind: string, message: string): CliError {
  return new CliError(`org.apache.commons.cli.${kind}: ${message}`);
}

/** Double.parseDouble would accept it (commons-cli's isNegativeNumber). */
function isNegativeNumber(token: string): boolean {
  return /^-(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?|Infinity|NaN)$/.test(token);
}

function stripQuotes(s: string): string {
  if (s.length > 1 && s.startsWith('"') && s.endsWith('"') && !s.slice(1, -1).includes('"')) {
    return s.slice(1, -1);
  }
  return s;
}

/**
 * Parses `argv` (the whole line: command name first) against `spec`, as DefaultParser does.
 * Throws a CliError with commons-cli's exception text on a bad option.
 *
 * @example
 * ```ts
 * const cl = parseCommandLine({ options: [{ key: "v", hasArg: true, description: "version" }] },
 *   ["set", "/a", "x", "-v", "3"]);
 * cl.args; // ["set", "/a", "x"]
 * cl.value("v"); // "3"
 * ```
 */
export function parseCommandLine(spec: OptionsSpec, argv: readonly string[]): CommandLine {
  const byKey = new Map(spec.options.map((o) => [o.key, o]));
  const args: string[] = [];
  type Entry = { key: string; values: string[]; spec: OptionSpec };
  const opts: Entry[] = [];
  // The option still waiting for its value (typed wide: TypeScript cannot follow the closures).
  let current = null as Entry | null;
  let groupSelected: string | null = null;
  let groupMissing = spec.group?.required ?? false;
  let skipParsing = false;

  const acceptsArg = (o: Entry) => o.spec.hasArg && o.values.length < 1;
  const isShortOption = (token: string) => {
    if (!token.startsWith("-") || token.length === 1) return false;
    const eq = token.indexOf("=");
    const name = eq === -1 ? token.slice(1) : token.slice(1, eq);
    return byKey.has(name) || (name.length > 0 && byKey.has(name[0]));
  };
  const isArgument = (token: string) => !isShortOption(token) || isNegativeNumber(token);

  const checkRequiredArgs = () => {
    if (current !== null && current.spec.hasArg && current.values.length === 0) {
      throw parseError("MissingArgumentException", `Missing argument for option: ${current.key}`);
    }
  };
  const handleOption = (o: OptionSpec) => {
    checkRequiredArgs();
    if (spec.group?.keys.includes(o.key)) {
      groupMissing = false;
      if (groupSelected !== null && groupSelected !== o.key) {
        throw parseError(
          "AlreadySelectedException",
          `The option '${o.key}' was specified but an option from this group has already been ` +
            `selected: '${groupSelected}'`,
        );
      }
      groupSelected = o.key;
    }
    const entry: Entry = { key: o.key, values: [], spec: o };
    opts.push(entry);
    current = o.hasArg ? entry : null;
  };
  const handleUnknown = (token: string) => {
    if (token.startsWith("-") && token.length > 1) {
      throw parseError("UnrecognizedOptionException", `Unrecognized option: ${token}`);
    }
    args.push(token);
  };
  const handleConcatenated = (token: string) => {
    for (let i = 1; i < token.length; i++) {
      const o = byKey.get(token[i]);
      if (o === undefined) return handleUnknown(token);
      handleOption(o);
      if (current !== null && token.length !== i + 1) {
        current.values.push(token.slice(i + 1));
        return;
      }
    }
  };
  const handleShort = (token: string) => {
    const t = token.replace(/^--?/, "");
    const eq = t.indexOf("=");
    if (t.length === 1 || eq === -1) {
      const o = byKey.get(t);
      if (o !== undefined) return handleOption(o);
      if (t.length === 1) return handleUnknown(token);
      return handleConcatenated(token);
    }
    const o = byKey.get(t.slice(0, eq));
    if (eq === 1 && o !== undefined && o.hasArg) {
      handleOption(o);
      current!.values.push(t.slice(eq + 1));
      current = null;
      return;
    }
    handleUnknown(token);
  };

  for (const token of argv) {
    if (skipParsing) {
      args.push(token);
    } else if (token === "--") {
      skipParsing = true;
    } else if (current !== null && acceptsArg(current) && isArgument(token)) {
      current.values.push(stripQuotes(token));
    } else if (token.startsWith("--")) {
      // No zkCli command has long options: every `--x` is unknown.
      handleUnknown(token);
    } else if (token.startsWith("-") && token !== "-") {
      handleShort(token);
    } else {
      handleUnknown(token);
    }
    if (current !== null && !acceptsArg(current)) current = null;
  }
  checkRequiredArgs();
  if (groupMissing) {
    const members = spec.group!.keys.map((k) => `-${k} ${byKey.get(k)!.description}`);
    throw parseError("MissingOptionException", `Missing required option: [${members.join(", ")}]`);
  }
  return new CommandLine(args, opts.map(({ key, values }) => ({ key, values })));
}

/**
 * commons-cli's HelpFormatter for `ls -?`: "usage: <syntax>" then one line per option, sorted.
 */
export function helpText(syntax: string, options: OptionSpec[]): string[] {
  const lower = (o: OptionSpec) => o.key.toLowerCase();
  const sorted = [...options].sort((a, b) =>
    lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0
  );
  const width = Math.max(...sorted.map((o) => o.key.length + 1));
  return [
    `usage: ${syntax}`,
    ...sorted.map((o) => ` -${o.key.padEnd(width - 1)}   ${o.description}`),
  ];
}
