/**
 * zk-cli: herd's zkCli.sh, a drop-in for Apache ZooKeeper 3.8's.
 *
 * Usage: `zk-cli [-server host:port[,host:port…][/chroot]] [-timeout ms] [-r]
 * [-client-configuration file] [-waitforconnection] [cmd args…]`
 *
 * With a command it runs it and exits (0, or the command's failure code). Without, it reads
 * commands: with a line editor and a `[zk: host:port(CONNECTED) 0] ` prompt on a terminal, line
 * by line otherwise ("JLine support is disabled", as zkCli says when fed a file). Output,
 * streams and exit codes are zkCli's.
 *
 * @module
 */
import "../task_cwd.ts";
import { parseMainArgs } from "./args.ts";
import { crashOnNumber, JavaCrash } from "./errors.ts";
import { parseJavaInt } from "./java.ts";
import { type Completion, DenoTerminal, LineEditor } from "./line_editor.ts";
import { readLines } from "./lines.ts";
import { type Output, StdOutput } from "./output.ts";
import { Shell, usageLines } from "./shell.ts";

const HELP = `Usage: zk-cli [-server host:port[,host:port...][/chroot]] [-timeout ms] [-r]
              [-client-configuration file] [-waitforconnection] [cmd args...]

herd's zkCli.sh. Default server localhost:2181, session timeout 30000 ms. With a command, runs
it and exits with its status; otherwise reads commands from stdin (interactively on a terminal).
`;

/** Tab completion as zkCli's JLine completer does it: command names first, then znode paths. */
async function complete(shell: Shell, line: string, cursor: number): Promise<Completion> {
  const before = line.slice(0, cursor);
  const start = before.search(/\S*$/);
  const word = before.slice(start);
  if (before.slice(0, start).trim() === "") {
    const names = usageLines().slice(1).map((l) => l.trim().split(" ")[0]);
    return { start, candidates: names.filter((n) => n.startsWith(word)) };
  }
  const zk = shell.session.connected;
  if (!word.startsWith("/") || zk === null) return { start, candidates: [] };
  const slash = word.lastIndexOf("/");
  const dir = slash === 0 ? "/" : word.slice(0, slash);
  const children = await zk.getChildren(dir).catch(() => [] as string[]);
  const candidates = children.filter((c) => c.startsWith(word.slice(slash + 1))).sort()
    .map((c) => (dir === "/" ? "/" : `${dir}/`) + c);
  return { start, candidates };
}

async function interactive(shell: Shell, output: StdOutput): Promise<void> {
  const editor = new LineEditor(new DenoTerminal(), (l, c) => complete(shell, l, c));
  output.fence = editor;
  while (true) {
    const line = await editor.readLine(() => shell.prompt());
    if (line === null) return;
    await shell.executeLine(line);
  }
}

/** Runs zk-cli with `argv`; returns the exit code (quit exits directly). */
export async function main(argv: string[], output: StdOutput = new StdOutput()): Promise<number> {
  if (argv.length === 1 && argv[0] === "--help") {
    output.out(HELP + "\nCommands:\n" + usageLines().slice(1).join("\n") + "\n");
    return 0;
  }
  const opts = parseMainArgs(argv);
  for (const e of opts.errors) output.err(`${e}\n`);
  output.out(`Connecting to ${opts.server}\n`);
  if (opts.clientConfiguration !== undefined && !readable(opts.clientConfiguration)) {
    output.err(
      "org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: " +
        `Error while processing ${opts.clientConfiguration}\n`,
    );
    return 2;
  }
  const timeout = crashOnNumber(() => parseJavaInt(opts.timeout));
  const exit = (code: number): never => Deno.exit(code);
  const shell = new Shell({ host: opts.server, timeout, readOnly: opts.readOnly, output, exit });
  if (opts.waitForConnection && !await shell.session.waitConnected(timeout)) {
    await shell.session.close();
    throw new JavaCrash(
      "java.io.IOException: org.apache.zookeeper.KeeperException$ConnectionLossException: " +
        "KeeperErrorCode = ConnectionLoss",
    );
  }
  if (opts.command !== undefined) {
    await shell.processCmd(opts.command);
    return shell.exitCode;
  }
  output.out("Welcome to ZooKeeper!\n");
  if (Deno.stdin.isTerminal()) {
    output.out("JLine support is enabled\n");
    await interactive(shell, output);
  } else {
    output.out("JLine support is disabled\n");
    for await (const line of readLines(Deno.stdin.readable)) await shell.executeLine(line);
  }
  return shell.exitCode;
}

function readable(path: string): boolean {
  try {
    Deno.readTextFileSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Prints a crash as the JVM does (its first line) and gives the JVM's exit code. */
export function crashed(e: unknown, output: Output): number {
  if (!(e instanceof JavaCrash)) throw e;
  output.err(`${e.line}\n`);
  return 1;
}

if (import.meta.main) {
  const output = new StdOutput();
  let code: number;
  try {
    code = await main(Deno.args, output);
  } catch (e) {
    code = crashed(e, output);
  }
  Deno.exit(code);
}
