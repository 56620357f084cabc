/**
 * The transaction log in Apache's format: `version-2/log.<first zxid hex>` with a FileHeader
 * ("ZKLG", 2, dbid 0), then per txn: Adler-32 (long), length-prefixed txn bytes, and 'B'.
 * Files are preallocated in preAllocSize blocks; the zeros after the last entry read as EOF.
 */
import { JuteWriter } from "../jute/writer.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { Adler32 } from "./checksum.ts";
import { marshalTxnEntry, unmarshalTxnEntry } from "./txn_codec.ts";

export const LOG_MAGIC = 0x5a4b4c47; // "ZKLG"
export const SNAP_MAGIC = 0x5a4b534e; // "ZKSN"
export const FORMAT_VERSION = 2;
const EOR = 0x42; // 'B'
const HEADER_LEN = 16;

export function logName(zxid: number): string {
  return `log.${zxid.toString(16)}`;
}

/** Parses `log.1a` / `snapshot.1a` → 0x1a; null for other names. */
export function zxidOfName(name: string, prefix: "log" | "snapshot"): number | null {
  const m = name.match(prefix === "log" ? /^log\.([0-9a-f]+)$/ : /^snapshot\.([0-9a-f]+)$/);
  return m ? parseInt(m[1], 16) : null;
}

/** A write or fsync of the txn log failed: nothing in the batch may be acknowledged. */
export class TxnLogError extends Error {
  override name = "TxnLogError";
  constructor(what: string, cause: unknown) {
    super(`${(cause as Error)?.message ?? cause} ${what}`, { cause });
  }
}

/** Appends txns to the current log file, rolling and preallocating as Apache's FileTxnLog does. */
export class TxnLogWriter {
  private file: Deno.FsFile | null = null;
  private position = 0;
  private allocated = 0;
  private readonly w = new JuteWriter(64 * 1024);
  private readonly entry = new JuteWriter(1024);
  /**
   * fsyncs under way on the current file, counted on an object per file rather than in a Map:
   * a long-lived Map with an entry added and deleted per fsync churns hash tables that V8's
   * scavenger then keeps alive (see internal/slot_map.ts).
   */
  private syncs: { file: Deno.FsFile; pending: number } | null = null;
  /** Told how many ms each fsync took (Apache's fsynctime metric); none with forceSync off. */
  fsyncTime: { add(ms: number): void } | null = null;
  /** Txns in the current file (Apache rolls on snapshot, counted by the caller). */
  txnsInFile = 0;
  currentFile: string | null = null;

  constructor(
    readonly dir: string,
    readonly preAllocSize = 64 * 1024 * 1024,
    readonly forceSync = true,
  ) {}

  /**
   * Appends a batch and makes it durable with one fsync (group commit). Everything up to the fsync
   * happens before this returns its promise, so appends land in the file in call order, and the
   * caller knows which file a batch went to (a roll right after it starts the next file). A
   * later append may start while an earlier fsync is under way; the file is closed after both.
   */
  append(batch: readonly TxnEntry[]): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    try {
      return this.write(batch);
    } catch (e) {
      throw new TxnLogError(`writing ${this.currentFile ?? this.dir}`, e);
    }
  }

  private write(batch: readonly TxnEntry[]): Promise<void> {
    const w = this.w;
    w.reset();
    if (this.file === null) this.open(batch[0].hdr.zxid);
    const file = this.file!;
    for (const e of batch) {
      const ent = this.entry;
      ent.reset();
      marshalTxnEntry(ent, e);
      w.long(Adler32.of(ent.buf, 0, ent.pos));
      w.int(ent.pos);
      w.raw(ent.buf.subarray(0, ent.pos));
      w.byte(EOR);
    }
    this.preallocate(this.position + w.pos);
    // Written in place: a write into the page cache takes microseconds, less than a hop through
    // the blocking-I/O threads. Only the fsync waits on the disk.
    let off = 0;
    const bytes = w.buf.subarray(0, w.pos);
    while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
    this.position += bytes.length;
    this.txnsInFile += batch.length;
    if (!this.forceSync) return Promise.resolve();
    const syncs = this.syncs!;
    syncs.pending++;
    const path = this.currentFile;
    const syncStart = Date.now();
    return file.syncData().catch((e) => {
      throw new TxnLogError(`syncing ${path}`, e);
    }).finally(() => {
      this.fsyncTime?.add(Date.now() - syncStart);
      if (--syncs.pending === 0 && file !== this.file) file.close();
    });
  }

  private open(firstZxid: number): void {
    const name = logName(firstZxid);
    this.currentFile = `${this.dir}/${name}`;
    // A file of this name can only hold txns that were never applied (a crash right after it was
    // created, or recovery cut its first entry): overwrite it, as Apache's FileOutputStream does.
    this.file = Deno.openSync(this.currentFile, { write: true, create: true, truncate: true });
    this.syncs = { file: this.file, pending: 0 };
    const h = new JuteWriter(HEADER_LEN);
    h.int(LOG_MAGIC);
    h.int(FORMAT_VERSION);
    h.long(0);
    const header = h.bytes();
    let off = 0;
    while (off < header.length) off += this.file.writeSync(header.subarray(off));
    this.position = HEADER_LEN;
    this.allocated = HEADER_LEN;
    this.txnsInFile = 0;
  }

  /** Apache's FilePadding: grow by whole blocks once within 4 KiB of the end. */
  private preallocate(end: number): void {
    if (this.preAllocSize <= 0 || end + 4096 < this.allocated) return;
    let size = this.allocated;
    while (end + 4096 >= size) size += this.preAllocSize;
    this.file!.truncateSync(size);
    this.allocated = size;
  }

  /**
   * The next append starts a new file (after a snapshot). The current one is closed now, or once
   * the fsyncs still under way on it have finished.
   */
  roll(): void {
    const file = this.file;
    this.file = null;
    this.currentFile = null;
    if (file !== null && this.syncs?.pending === 0) file.close();
    this.syncs = null;
  }

  close(): void {
    this.roll();
  }
}

/**
 * The bytes of a log file up to its end-of-log marker: the zeros of preallocation (64 MiB blocks
 * by default) are not read. A torn or corrupt tail is returned as it is, for readLogFile to judge.
 */
export function readLogBytes(path: string): Uint8Array {
  const f = Deno.openSync(path, { read: true });
  try {
    let buf = new Uint8Array(1 << 20);
    let have = 0;
    let off = HEADER_LEN;
    for (;;) {
      if (have === buf.length) {
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      }
      const n = f.readSync(buf.subarray(have));
      if (n === null) return buf.subarray(0, have);
      have += n;
      const view = new DataView(buf.buffer, 0, have);
      // Step over whole entries; stop at the marker (a zero crc and length) or at a bad length.
      while (off + 12 <= have) {
        const len = view.getInt32(off + 8);
        if (len === 0 && view.getInt32(off) === 0 && view.getInt32(off + 4) === 0) {
          return buf.subarray(0, off);
        }
        if (len < 0) return buf.subarray(0, have);
        if (off + 12 + len + 1 > have) break;
        off += 12 + len + 1;
      }
    }
  } finally {
    f.close();
  }
}

/** Why reading a log stopped. */
export type LogEnd =
  | { kind: "eof" }
  | { kind: "torn"; offset: number; reason: string };

export interface LogFileContents {
  entries: TxnEntry[];
  /** Byte offset just after the last good entry. */
  goodEnd: number;
  end: LogEnd;
}

/**
 * Reads every intact entry of one log file. A partial entry, a bad checksum or an undecodable txn
 * ends the read: what follows is a torn or corrupt tail, never applied.
 */
export function readLogFile(bytes: Uint8Array): LogFileContents {
  const entries: TxnEntry[] = [];
  const { goodEnd, end } = scanLogFile(bytes, (e) => void entries.push(e));
  return { entries, goodEnd, end };
}

/**
 * readLogFile without keeping the entries: each intact one is decoded and handed to `visit` in
 * turn, so a long log costs the memory of one txn at a time.
 */
export function scanLogFile(
  bytes: Uint8Array,
  visit: (e: TxnEntry) => void,
): Omit<LogFileContents, "entries"> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER_LEN || view.getInt32(0) !== LOG_MAGIC) {
    return { goodEnd: 0, end: { kind: "torn", offset: 0, reason: "bad file header" } };
  }
  let off = HEADER_LEN;
  const torn = (reason: string): Omit<LogFileContents, "entries"> => ({
    goodEnd: off,
    end: { kind: "torn", offset: off, reason },
  });
  for (;;) {
    if (off + 12 > bytes.length) {
      // Not even a crc and a length: EOF if only zeros (or nothing) remain.
      for (let i = off; i < bytes.length; i++) {
        if (bytes[i] !== 0) return torn("partial entry header");
      }
      return { goodEnd: off, end: { kind: "eof" } };
    }
    const crc = view.getUint32(off + 4);
    const crcHi = view.getInt32(off);
    const len = view.getInt32(off + 8);
    if (len === 0 && crc === 0 && crcHi === 0) {
      return { goodEnd: off, end: { kind: "eof" } };
    }
    if (len < 0 || off + 12 + len + 1 > bytes.length) return torn(`partial entry (length ${len})`);
    const body = bytes.subarray(off + 12, off + 12 + len);
    if (bytes[off + 12 + len] !== EOR) return torn("missing end-of-record marker");
    if (crcHi !== 0 || Adler32.of(body) !== crc) return torn("checksum mismatch");
    let entry: TxnEntry;
    try {
      entry = unmarshalTxnEntry(body);
    } catch (e) {
      return torn(`undecodable txn: ${(e as Error).message}`);
    }
    visit(entry);
    off += 12 + len + 1;
  }
}
