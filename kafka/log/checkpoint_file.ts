/**
 * Kafka's checkpoint text format (kafka.server.checkpoints.CheckpointFile in 2.8.2): a version
 * line, a count line, then one line per entry with fields separated by spaces, every line ended
 * by "\n", UTF-8. Written as Kafka writes it: to `<file>.tmp`, fsync, then renamed over the file
 * (and herd also fsyncs the directory, so the rename itself survives a power cut).
 *
 * Reading is as lenient as Kafka's where Kafka is lenient (an empty file, or one with only the
 * version line, holds no entries; fields may be separated by any run of whitespace) and stricter
 * where Kafka would take garbage: every number must be a plain decimal in its type's range, and a
 * bad file is reported with its path and line.
 *
 * @module
 */

import { LogFileFormatError } from "./log_errors.ts";

/** How one kind of checkpoint turns entries into lines and back. */
export interface CheckpointFormat<T> {
  /** The version its first line carries (0 for every checkpoint Kafka 2.8 writes). */
  version: number;
  /** The entry's line, without the newline. */
  toLine(entry: T): string;
  /** The entry on a line split at whitespace, or the problem with it. */
  fromFields(fields: string[]): T | string;
}

const INT = /^[+-]?\d+$/;

/** An int32 written as Java's Integer.parseInt reads it, or undefined. */
export function parseInt32(s: string): number | undefined {
  if (!INT.test(s)) return undefined;
  const n = Number(s);
  return n >= -0x8000_0000 && n <= 0x7fff_ffff ? n : undefined;
}

/**
 * An int64 offset as a number, or undefined: JavaScript numbers hold offsets exactly up to
 * 2^53, far beyond any real log, so herd refuses larger ones rather than round them.
 */
export function parseOffset(s: string): number | undefined {
  if (!INT.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The file's text for these entries, exactly as Kafka writes it. */
export function formatCheckpoint<T>(format: CheckpointFormat<T>, entries: readonly T[]): string {
  let out = `${format.version}\n${entries.length}\n`;
  for (const e of entries) out += `${format.toLine(e)}\n`;
  return out;
}

/** Lines as Java's BufferedReader.readLine splits them: at "\n", "\r" or "\r\n". */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Java's Pattern.split("\\s+"): a leading separator gives an empty first field. */
function splitFields(line: string): string[] {
  const fields = line.split(/\s+/);
  while (fields.length > 1 && fields.at(-1) === "") fields.pop();
  return fields;
}

/**
 * Parse a checkpoint's text; `file` names it in errors.
 *
 * @throws LogFileFormatError naming the file and the line
 */
export function parseCheckpoint<T>(format: CheckpointFormat<T>, text: string, file: string): T[] {
  const lines = splitLines(text);
  if (lines.length === 0) return [];
  const version = parseInt32(lines[0]);
  if (version === undefined) {
    throw new LogFileFormatError(file, 1, `the version line is not a number: '${lines[0]}'`);
  }
  if (version !== format.version) {
    throw new LogFileFormatError(
      file,
      1,
      `unrecognized checkpoint version ${version} (expected ${format.version})`,
    );
  }
  if (lines.length === 1) return [];
  const expected = parseInt32(lines[1]);
  if (expected === undefined || expected < 0) {
    throw new LogFileFormatError(file, 2, `the entry count is not a count: '${lines[1]}'`);
  }
  const entries: T[] = [];
  for (let i = 2; i < lines.length; i++) {
    const entry = format.fromFields(splitFields(lines[i]));
    if (typeof entry === "string") {
      throw new LogFileFormatError(file, i + 1, `malformed line '${lines[i]}': ${entry}`);
    }
    entries.push(entry);
  }
  if (entries.length !== expected) {
    throw new LogFileFormatError(
      file,
      0,
      `expected ${expected} entries in checkpoint file, but found ${entries.length}`,
    );
  }
  return entries;
}

/** Read and parse a checkpoint file; a missing file holds no entries (Kafka creates it empty). */
export async function readCheckpointFile<T>(
  format: CheckpointFormat<T>,
  path: string,
): Promise<T[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return parseCheckpoint(format, text, path);
}

/** Write a checkpoint file atomically (see {@linkcode writeFileAtomic}). */
export async function writeCheckpointFile<T>(
  format: CheckpointFormat<T>,
  path: string,
  entries: readonly T[],
): Promise<void> {
  await writeFileAtomic(path, new TextEncoder().encode(formatCheckpoint(format, entries)));
}

/**
 * Replace `path` with `bytes` so a crash leaves either the old file or the new one: write
 * `<path>.tmp`, fsync it, rename it over `path` (Kafka's Utils.atomicMoveWithFallback), then
 * fsync the directory so the rename is durable too.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    let done = 0;
    while (done < bytes.length) done += await file.write(bytes.subarray(done));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
  await syncDir(path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".");
}

async function syncDir(dir: string): Promise<void> {
  let f: Deno.FsFile | undefined;
  try {
    f = await Deno.open(dir, { read: true });
    await f.sync();
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic.
  } finally {
    f?.close();
  }
}
