/**
 * DumpLogSegments' dumps of `.index` and `.timeindex` files, as Kafka 2.8.2 does them: each entry
 * checked against the segment's `.log` (the batch at an offset entry's position must end at that
 * offset; a time entry's batch must hold that max timestamp), `--index-sanity-check` running the
 * check a broker runs at start (`OffsetIndex.sanityCheck` / `TimeIndex.sanityCheck`, messages
 * included), `--verify-index-only` checking without printing. Entries are read from the file
 * (8 bytes: relative offset, position; 12: timestamp, relative offset); the walk stops at an
 * entry equal to the base offset after the first (a preallocated index's zero tail).
 *
 * Kafka opens a missing index by creating it empty (AbstractIndex calls `createNewFile`) and then
 * fails (`Invalid max index size: -1`), so dumping a `.timeindex` whose `.index` is gone leaves an
 * empty `.index` behind; herd does the same, so the directory looks the same afterwards.
 *
 * @module
 */
import type { OutBuffer } from "../zk-txnlog/out_buffer.ts";
import { batchInfo, forEachRecord } from "./batch_records.ts";
import { FileBatches } from "./file_batches.ts";
import {
  javaAbsoluteParent,
  javaAbsolutePath,
  JavaException,
  javaFileName,
  javaFilePath,
  openForRead,
  parseJavaLong,
} from "./java_exception.ts";
import type { PairsByFile } from "./pairs_by_file.ts";

/** The time index problems, in Kafka's three maps. */
export interface TimeIndexErrors {
  mismatches: PairsByFile;
  outOfOrder: PairsByFile;
  notFound: PairsByFile;
}

/** Index dump switches. */
export interface IndexDumpOptions {
  indexSanityOnly: boolean;
  verifyOnly: boolean;
  maxMessageSize: number;
}

/**
 * An index file's bytes. Kafka creates a missing one (AbstractIndex calls `createNewFile`), then
 * fails sizing it to the tool's max index size of -1: the empty file stays behind.
 */
function readIndexFile(path: string): Uint8Array {
  try {
    return Deno.readFileSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  try {
    Deno.writeFileSync(path, new Uint8Array(0), { createNew: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new JavaException("java.io.IOException", "No such file or directory");
    }
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
  throw new JavaException("java.lang.IllegalArgumentException", "Invalid max index size: -1");
}

function corruptIndex(message: string): JavaException {
  return new JavaException("kafka.log.CorruptIndexException", message);
}

/** The segment's `.log` next to an index, as `new File(getAbsoluteFile.getParent, base + ".log")`. */
function segmentLog(path: string): { base: number; logPath: string; prefix: string } {
  const name = javaFileName(path);
  const prefix = name.split(".")[0];
  const base = parseJavaLong(prefix);
  return { base, logPath: `${javaAbsoluteParent(path)}/${prefix}.log`, prefix };
}

/** FileRecords.slice's checks (IllegalArgumentException texts, FileRecords.toString). */
function sliceEnd(logPath: string, size: number, position: number, length: number): number {
  const desc = `FileRecords(size=${size}, file=${logPath}, start=0, end=${size})`;
  if (position < 0) {
    throw new JavaException(
      "java.lang.IllegalArgumentException",
      `Invalid position: ${position} in read from ${desc}`,
    );
  }
  if (position > size) {
    throw new JavaException(
      "java.lang.IllegalArgumentException",
      `Slice from position ${position} exceeds end position of ${desc}`,
    );
  }
  if (length < 0) {
    throw new JavaException(
      "java.lang.IllegalArgumentException",
      `Invalid size: ${length} in read from ${desc}`,
    );
  }
  const end = position + length;
  return end > size ? size : end;
}

/** Dumps an offset index (`.index`). */
export function dumpIndex(
  path: string,
  o: IndexDumpOptions,
  out: OutBuffer,
  mismatches: PairsByFile,
): void {
  const { base, logPath } = segmentLog(path);
  const log = openForRead(logPath);
  try {
    const bytes = readIndexFile(javaFilePath(path));
    const entries = Math.floor(bytes.length / 8);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (entries === 0) {
      out.text(`${javaFilePath(path)} is empty.\n`);
      return;
    }
    if (o.indexSanityOnly) {
      const lastOffset = base + view.getInt32((entries - 1) * 8);
      if (lastOffset < base) {
        throw corruptIndex(
          `Corrupt index found, index file (${javaAbsolutePath(path)}) has non-zero size but the ` +
            `last offset is ${lastOffset} which is less than the base offset ${base}.`,
        );
      }
      if (bytes.length % 8 !== 0) {
        throw corruptIndex(
          `Index file ${javaAbsolutePath(path)} is corrupt, found ${bytes.length} bytes which is ` +
            `neither positive nor a multiple of 8.`,
        );
      }
      out.text(`${javaFilePath(path)} passed sanity check.\n`);
      return;
    }
    const logSize = log.statSync().size;
    for (let i = 0; i < entries; i++) {
      const offset = base + view.getInt32(i * 8);
      const position = view.getInt32(i * 8 + 4);
      if (offset === base && i > 0) return;
      const end = sliceEnd(logPath, logSize, position, o.maxMessageSize);
      const batch = new FileBatches(log, logPath, position, end, 64 * 1024).next();
      if (batch === null) throw new JavaException("java.util.NoSuchElementException", null);
      const batchLast = batchInfo(batch).lastOffset;
      if (batchLast !== offset) mismatches.add(javaAbsolutePath(path), offset, batchLast);
      if (!o.verifyOnly) out.text(`offset: ${offset} position: ${position}\n`);
    }
  } finally {
    log.close();
  }
}

/** OffsetIndex.lookup: the position of the last entry at or below `target` (0 if none). */
function lookupPosition(index: DataView, entries: number, base: number, target: number): number {
  let lo = 0;
  let hi = entries - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (base + index.getInt32(mid * 8) <= target) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? 0 : index.getInt32(found * 8 + 4);
}

/** Dumps a time index (`.timeindex`). */
export function dumpTimeIndex(
  path: string,
  o: IndexDumpOptions,
  out: OutBuffer,
  errors: TimeIndexErrors,
): void {
  const { base, logPath, prefix } = segmentLog(path);
  const log = openForRead(logPath);
  try {
    const offsetBytes = readIndexFile(`${javaAbsoluteParent(path)}/${prefix}.index`);
    const bytes = readIndexFile(javaFilePath(path));
    const entries = Math.floor(bytes.length / 12);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ts = (i: number) => view.getInt32(i * 12) * 4294967296 + view.getUint32(i * 12 + 4);
    const off = (i: number) => base + view.getInt32(i * 12 + 8);
    if (o.indexSanityOnly) {
      const abs = javaAbsolutePath(path);
      if (entries !== 0 && ts(entries - 1) < ts(0)) {
        throw corruptIndex(
          `Corrupt time index found, time index file (${abs}) has non-zero size but the last ` +
            `timestamp is ${ts(entries - 1)} which is less than the first timestamp ${ts(0)}`,
        );
      }
      if (entries !== 0 && off(entries - 1) < base) {
        throw corruptIndex(
          `Corrupt time index found, time index file (${abs}) has non-zero size but the last ` +
            `offset is ${off(entries - 1)} which is less than the first offset ${base}`,
        );
      }
      if (bytes.length % 12 !== 0) {
        throw corruptIndex(
          `Time index file ${abs} is corrupt, found ${bytes.length} bytes which is neither ` +
            `positive nor a multiple of 12.`,
        );
      }
      out.text(`${javaFilePath(path)} passed sanity check.\n`);
      return;
    }
    const offsetView = new DataView(offsetBytes.buffer, offsetBytes.byteOffset);
    const offsetEntries = Math.floor(offsetBytes.length / 8);
    const logSize = log.statSync().size;
    const abs = javaAbsolutePath(path);
    let prevTimestamp = -1;
    for (let i = 0; i < entries; i++) {
      const timestamp = ts(i);
      const offset = off(i);
      if (offset === base && i > 0) return;
      const position = lookupPosition(offsetView, offsetEntries, base, offset);
      const end = sliceEnd(logPath, logSize, position, 0x7fffffff);
      const batches = new FileBatches(log, logPath, position, end, 256 * 1024);
      let found = null;
      for (let b = batches.next(); b !== null; b = batches.next()) {
        if (batchInfo(b).lastOffset >= offset) {
          found = b;
          break;
        }
      }
      if (found === null) errors.notFound.add(abs, offset, -1);
      else {
        const info = batchInfo(found);
        if (info.lastOffset !== offset) errors.notFound.add(abs, offset, info.lastOffset);
        else {
          let maxTimestamp = -1;
          forEachRecord(found, info, (r) => {
            if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
          });
          if (maxTimestamp !== timestamp) errors.mismatches.add(abs, timestamp, maxTimestamp);
          if (prevTimestamp >= timestamp) errors.outOfOrder.add(abs, timestamp, prevTimestamp);
        }
      }
      if (!o.verifyOnly) out.text(`timestamp: ${timestamp} offset: ${offset}\n`);
      prevTimestamp = timestamp;
    }
  } finally {
    log.close();
  }
}
