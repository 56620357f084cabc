/**
 * TxnLogToolkit's dump and recovery modes over one log file: the entries exactly as Apache reads
 * them (crc, length-prefixed txn, 'B'; an empty txn or the end of the file is EOF), printed with
 * {@linkcode formatTxnEntry}; in recovery mode a `<file>.fixed` copy with recomputed checksums.
 * The file is read through one window up to its last entry, never whole: a log is preallocated in
 * 64 MiB blocks however few txns it holds.
 *
 * @module
 */
import { Adler32 } from "../../zk/persist/checksum.ts";
import { formatTxnEntry } from "./format.ts";
import type { ReadWindow } from "./read_window.ts";

/** jute.maxbuffer's default (0xfffff) plus the 1024 bytes of slack BinaryInputArchive allows. */
const MAX_ENTRY = 0xfffff + 1024;
const LOG_MAGIC = 0x5a4b4c47;
const EOR = 0x42;

/** Where output goes: stdout and stderr text. */
export interface Sink {
  out(text: string): void;
  err(text: string): void;
}

/** What the caller wants done besides printing. */
export interface DumpOptions {
  /** `-r`: write `<name>.fixed` with every checksum recomputed (or those the user agrees to). */
  recover?: boolean;
  /** `-v`: in recovery mode print every entry, not just the broken ones. */
  verbose?: boolean;
  /** `-y`: fix every CRC error without asking. */
  yes?: boolean;
  /** Asks "Would you like to fix it (Yes/No/Abort) ?"; returns the first letter typed. */
  ask?: () => string | null;
}

/** The file's FileHeader fields, or why there is none. */
export function fileHeader(bytes: Uint8Array): { magic: number; version: number; dbid: bigint } {
  if (bytes.length < 16) throw new Error("java.io.EOFException: file shorter than its FileHeader");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { magic: v.getInt32(0), version: v.getInt32(4), dbid: v.getBigInt64(8) };
}

/** A recovery file being built: the header, then entries with their kept or fixed checksums. */
class FixedFile {
  parts: Uint8Array[] = [];
  size = 0;
  add(b: Uint8Array) {
    this.parts.push(b);
    this.size += b.length;
  }
  entry(crc: bigint, body: Uint8Array) {
    const b = new Uint8Array(13 + body.length);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, crc);
    v.setInt32(8, body.length);
    b.set(body, 12);
    b[12 + body.length] = EOR;
    this.add(b);
  }
}

/**
 * Dumps (or recovers) one log file as TxnLogToolkit does, reading it from `win`. Returns the exit
 * code; `fixed` is the recovery file's content (padded to 64 MiB blocks as FilePadding does) when
 * `opts.recover`.
 */
export function dumpTxnLog(
  win: ReadWindow,
  name: string,
  sink: Sink,
  opts: DumpOptions = {},
): { code: number; fixed?: Uint8Array; crcFixed: number } {
  if (!win.ensure(16)) throw new Error("java.io.EOFException: file shorter than its FileHeader");
  const h = fileHeader(win.buf.subarray(win.pos, win.pos + 16));
  if (h.magic !== LOG_MAGIC) {
    sink.err(`Invalid magic number for ${name}\n`);
    return { code: 2, crcFixed: 0 };
  }
  sink.out(
    `ZooKeeper Transactional Log File with dbid ${h.dbid} txnlog format version ${h.version}\n`,
  );
  const fixed = opts.recover ? new FixedFile() : null;
  fixed?.add(win.buf.slice(win.pos, win.pos + 16));
  win.pos += 16;
  let crcFixed = 0;
  let count = 0;
  const done = (code: number) => ({ code, crcFixed, fixed: fixed ? pad(fixed) : undefined });
  for (;;) {
    if (!win.ensure(12)) return eof();
    const len = win.view.getInt32(win.pos + 8);
    if (len < 0 || len > MAX_ENTRY) {
      sink.err(`java.io.IOException: Unreasonable length = ${len}\n`);
      return done(1);
    }
    if (len === 0 || !win.ensure(12 + len)) return eof();
    let at = win.pos;
    const actual = Adler32.of(win.buf, at + 12, at + 12 + len);
    // The stored crc is a long: it matches only with a zero high half.
    let crcOk = win.view.getInt32(at) === 0 && win.view.getUint32(at + 4) === actual;
    let crcFixedHere = false;
    if (!crcOk) {
      const body = win.buf.subarray(at + 12, at + 12 + len);
      if (!opts.recover) sink.out(`CRC ERROR - ${formatTxnEntry(body)}`);
      else if (opts.yes) {
        crcFixedHere = true;
        sink.out(`CRC FIXED - ${formatTxnEntry(body)}`);
      } else {
        sink.out(`CRC ERROR - ${formatTxnEntry(body)}`);
        const answer = askForFix(sink, opts.ask);
        if (answer === null) return done(0);
        crcFixedHere = answer;
      }
    }
    if (crcFixedHere) {
      crcOk = true;
      crcFixed++;
    }
    if (!opts.recover || opts.verbose) {
      sink.out(formatTxnEntry(win.buf.subarray(at + 12, at + 12 + len)));
    }
    if (!win.ensure(13 + len)) {
      sink.err("java.io.EOFException\n");
      return done(1);
    }
    at = win.pos; // the window may have moved to take in the 'B'
    if (win.buf[at + 12 + len] !== EOR) {
      sink.err("Last transaction was partial.\n");
      return done(1);
    }
    if (fixed !== null) {
      const crc = crcOk ? BigInt(actual) : win.view.getBigInt64(at);
      fixed.entry(crc, win.buf.subarray(at + 12, at + 12 + len));
    }
    count++;
    win.pos = at + 13 + len;
  }
  function eof() {
    sink.out(`EOF reached after ${count} txns.\n`);
    return done(0);
  }
}

/** True to fix, false to keep, null when the user aborts ("Recovery aborted." on stderr). */
function askForFix(sink: Sink, ask: DumpOptions["ask"]): boolean | null {
  for (;;) {
    sink.out("Would you like to fix it (Yes/No/Abort) ? ");
    const answer = (ask?.() ?? "A").toUpperCase();
    if (answer === "Y") return true;
    if (answer === "N") return false;
    if (answer === "A") {
      sink.err("Recovery aborted.\n");
      return null;
    }
  }
}

/** FilePadding with the default preAllocSize: whole 64 MiB blocks after the header. */
function pad(f: FixedFile): Uint8Array {
  const block = 64 * 1024 * 1024;
  let size = 16;
  while (f.size + 4096 >= size) size += block;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of f.parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
