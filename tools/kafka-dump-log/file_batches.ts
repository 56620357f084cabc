/**
 * The batches of a segment file as Kafka 2.8.2's `FileRecords.batches()` walks them
 * (FileLogInputStream.nextBatch), read front to back through one reused buffer so a 1 GiB segment
 * never sits in memory whole:
 *
 * - the walk ends when fewer than 17 bytes (offset, size, magic) are left before the end;
 * - a size field below 14 (a v0 message's overhead) is a CorruptRecordException naming the file;
 * - a batch that does not fit before the end ends the walk (the caller reports the rest as
 *   invalid bytes);
 * - magic 2 and above is a v2 batch, below a legacy message (set).
 *
 * @module
 */
import { JavaException } from "./java_exception.ts";

/** Bytes of the log header up to and including the magic byte. */
const HEADER_SIZE_UP_TO_MAGIC = 17;
/** Offset and size fields. */
export const LOG_OVERHEAD = 12;
/** Kafka's LegacyRecord.RECORD_OVERHEAD_V0: the smallest size field a batch may declare. */
const MIN_SIZE = 14;
/** A v2 batch header's size: Kafka loads this much even for a batch declaring less. */
export const V2_HEADER_SIZE = 61;

/** One batch: where it is and its bytes (valid until the next call to `next`). */
export interface FileBatch {
  /** Position in the file. */
  position: number;
  /** The offset field (v2: base offset; legacy: the message's, a wrapper's last offset). */
  offset: number;
  /** 12 + the size field. */
  sizeInBytes: number;
  magic: number;
  /** The batch's bytes (at least its header for a v2 batch declaring fewer than 61 bytes). */
  bytes: Uint8Array;
  view: DataView;
}

/**
 * A forward walk over the batches of `file` between `start` and `end` (file positions).
 *
 * @example
 * ```ts ignore
 * using f = Deno.openSync("00000000000000000000.log");
 * const batches = new FileBatches(f, "00000000000000000000.log", 0, f.statSync().size);
 * for (let b = batches.next(); b !== null; b = batches.next()) console.log(b.offset);
 * ```
 */
export class FileBatches {
  #buf: Uint8Array;
  #view: DataView;
  /** File position of `#buf[0]`. */
  #bufStart = 0;
  /** How many bytes of `#buf` hold file data. */
  #bufLen = 0;
  #position: number;
  #fileSize: number;

  constructor(
    private readonly file: Deno.FsFile,
    /** The file as Java's File.toString prints it, for error messages. */
    private readonly fileName: string,
    start: number,
    private readonly end: number,
    bufferSize = 4 << 20,
  ) {
    this.#buf = new Uint8Array(bufferSize);
    this.#view = new DataView(this.#buf.buffer);
    this.#position = start;
    this.#bufStart = start;
    this.#fileSize = file.statSync().size;
  }

  /** The position after the last batch returned. */
  get position(): number {
    return this.#position;
  }

  /** The next batch, or null at the end. Throws JavaException(CorruptRecordException). */
  next(): FileBatch | null {
    const pos = this.#position;
    if (pos >= this.end - HEADER_SIZE_UP_TO_MAGIC) return null;
    let at = this.#ensure(pos, HEADER_SIZE_UP_TO_MAGIC);
    const offset = this.#view.getInt32(at) * 4294967296 + this.#view.getUint32(at + 4);
    const size = this.#view.getInt32(at + 8);
    if (size < MIN_SIZE) {
      throw new JavaException(
        "org.apache.kafka.common.errors.CorruptRecordException",
        `Found record size ${size} smaller than minimum record overhead (${MIN_SIZE}) in file ${this.fileName}.`,
      );
    }
    if (pos > this.end - LOG_OVERHEAD - size) return null;
    const magic = this.#view.getInt8(at + 16);
    const sizeInBytes = LOG_OVERHEAD + size;
    let want = sizeInBytes;
    if (magic >= 2 && want < V2_HEADER_SIZE) {
      want = Math.min(V2_HEADER_SIZE, this.#fileSize - pos);
      if (want < V2_HEADER_SIZE) {
        throw new JavaException(
          "java.io.EOFException",
          `Failed to read \`record batch header\` from file channel \`${this.fileName}\`. Expected to read ` +
            `${V2_HEADER_SIZE} bytes, but reached end of file after reading ${want} bytes. Started read from position ${pos}.`,
        );
      }
    }
    at = this.#ensure(pos, want);
    this.#position = pos + sizeInBytes;
    const bytes = this.#buf.subarray(at, at + want);
    return {
      position: pos,
      offset,
      sizeInBytes,
      magic,
      bytes,
      view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  }

  /** Makes file bytes [pos, pos + n) sit in the buffer; returns where pos is in it. */
  #ensure(pos: number, n: number): number {
    if (pos >= this.#bufStart && pos + n <= this.#bufStart + this.#bufLen) {
      return pos - this.#bufStart;
    }
    if (n > this.#buf.length) {
      this.#buf = new Uint8Array(Math.max(n, this.#buf.length * 2));
      this.#view = new DataView(this.#buf.buffer);
      this.#bufLen = 0;
    }
    // Keep what is already read from pos on, then fill the rest of the buffer.
    let kept = 0;
    if (pos >= this.#bufStart && pos < this.#bufStart + this.#bufLen) {
      kept = this.#bufStart + this.#bufLen - pos;
      this.#buf.copyWithin(0, pos - this.#bufStart, this.#bufLen);
    }
    this.#bufStart = pos;
    this.#bufLen = kept;
    this.file.seekSync(pos + kept, Deno.SeekMode.Start);
    while (this.#bufLen < this.#buf.length) {
      const got = this.file.readSync(this.#buf.subarray(this.#bufLen));
      if (got === null || got === 0) break;
      this.#bufLen += got;
    }
    if (this.#bufLen < n) {
      throw new JavaException(
        "java.io.EOFException",
        `Failed to read \`log header\` from file channel \`${this.fileName}\`. Expected to read ${n} bytes, ` +
          `but reached end of file after reading ${this.#bufLen} bytes. Started read from position ${pos}.`,
      );
    }
    return 0;
  }
}
