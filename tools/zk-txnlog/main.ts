/**
 * zk-txnlog: herd's zkTxnLogToolkit.sh. Prints a transaction log file one txn a line, exactly as
 * Apache 3.8's TxnLogToolkit does; `-r` rewrites broken checksums into `<file>.fixed`, `-c -z`
 * chops the log at a zxid.
 *
 * Usage: `deno run --allow-read --allow-write tools/zk-txnlog/main.ts [-dhrvyc] <log> (-z <zxid>)`
 *
 * @module
 */
import "../task_cwd.ts";
import { parseArgs } from "node:util";
import { basename } from "node:path";
import { dumpTxnLog, type Sink } from "./dump.ts";
import { chopTxnLog, javaLongDecode } from "./chop.ts";
import { OutBuffer } from "./out_buffer.ts";
import { ReadWindow } from "./read_window.ts";

const USAGE = `usage: zk-txnlog [-dhrvc] <txn_log_file_name> (-z <zxid>)
 -c,--chop         Chop mode. Chop txn file to a zxid.
 -d,--dump         Dump mode. Dump all entries of the log file with printing the content of a nodepath (default)
 -h,--help         Print help message
 -r,--recover      Recovery mode. Re-calculate CRC for broken entries.
 -v,--verbose      Be verbose in recovery mode: print all entries, not just fixed ones.
 -y,--yes          Non-interactive mode: repair all CRC errors without asking
 -z,--zxid <arg>   Used with chop. Zxid to which to chop.
`;

const encoder = new TextEncoder();

function writeAll(f: { writeSync(b: Uint8Array): number }, text: string): void {
  const b = encoder.encode(text);
  for (let off = 0; off < b.length;) off += f.writeSync(b.subarray(off));
}

/** stdout gathered into large writes (a dump is a line per txn); stderr written at once. */
const stdout = new OutBuffer(Deno.stdout);
const sink: Sink = {
  out: (t) => stdout.text(t),
  err: (t) => {
    stdout.flush();
    writeAll(Deno.stderr, t);
  },
};

/** The first non-blank character typed on stdin (java.util.Scanner.next().charAt(0)). */
function readAnswer(): string | null {
  stdout.flush(); // the question
  const buf = new Uint8Array(1);
  let c: string | null = null;
  for (;;) {
    const n = Deno.stdin.readSync(buf);
    if (n === null || n === 0) return c;
    const ch = String.fromCharCode(buf[0]);
    if (c === null && !/\s/.test(ch)) c = ch;
    if (c !== null && /\s/.test(ch)) return c;
  }
}

function open(path: string): Deno.FsFile | null {
  try {
    return Deno.openSync(path);
  } catch {
    return null;
  }
}

/** Runs the tool; returns the exit code. */
export function main(args: string[]): number {
  try {
    return run(args);
  } finally {
    stdout.flush();
  }
}

function run(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        help: { type: "boolean", short: "h" },
        dump: { type: "boolean", short: "d" },
        recover: { type: "boolean", short: "r" },
        verbose: { type: "boolean", short: "v" },
        yes: { type: "boolean", short: "y" },
        chop: { type: "boolean", short: "c" },
        zxid: { type: "string", short: "z" },
      },
      allowPositionals: true,
    });
  } catch (e) {
    sink.err(`${(e as Error).message}\n\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    sink.out(USAGE);
    return 0;
  }
  if (positionals.length < 1) {
    sink.out(USAGE);
    return 1;
  }
  const file = positionals[0];
  using f = open(file);
  if (f === null) {
    sink.err(`File doesn't exist or not readable: ${file}\n`);
    return 1;
  }
  if (values.chop && values.zxid !== undefined) {
    let zxid: bigint;
    try {
      zxid = javaLongDecode(values.zxid);
    } catch (e) {
      sink.err(`java.lang.NumberFormatException: ${(e as Error).message}\n`);
      return 1;
    }
    // Chopping copies the entries it keeps: it reads the file whole, as rarely as it runs.
    const r = chopTxnLog(Deno.readFileSync(file), zxid, sink);
    Deno.writeFileSync(`${file}.chopped${zxid}`, r.chopped);
    if (r.error !== undefined) sink.out(`Got exception: ${r.error}\n`);
    else if (!r.ok) sink.out(`Got exception: Failed to chop ${basename(file)}\n`);
    return 0;
  }
  const fixedPath = `${file}.fixed`;
  if (values.recover && exists(fixedPath)) {
    sink.err(`Recovery file ${fixedPath} already exists or not writable\n`);
    return 1;
  }
  let result;
  try {
    result = dumpTxnLog(ReadWindow.ofFile(f), basename(file), sink, {
      recover: values.recover,
      verbose: values.verbose,
      yes: values.yes,
      ask: readAnswer,
    });
  } catch (e) {
    sink.err(`${(e as Error).message}\n`);
    return 1;
  }
  if (result.fixed) {
    Deno.writeFileSync(fixedPath, result.fixed);
    sink.out(
      `Recovery file ${fixedPath} has been written with ${result.crcFixed} fixed CRC error(s)\n`,
    );
  }
  return result.code;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) Deno.exit(main(Deno.args));
