/**
 * The transaction index, `<base>.txnindex` beside a segment (Kafka 2.8.2's TransactionIndex): the
 * transactions aborted in that segment, so a read_committed Fetch can tell the consumer which
 * producers' records to drop. Each entry is 34 bytes, big-endian:
 *
 * ```
 * version int16 (0) | producer_id int64 | first_offset int64 | last_offset int64 |
 * last_stable_offset int64
 * ```
 *
 * last_offset is the abort marker's offset; last_stable_offset the LSO once the abort was written,
 * which lets a lookup stop early: no later entry can overlap a fetch ending at or below it. The
 * file is created only by the first abort, so most segments have none (as in the seed's listing).
 *
 * @module
 */
import { getInt64, setInt64, viewOf } from "./_int64.ts";
import { CorruptIndexError } from "./log_errors.ts";
import type { AbortedTxn } from "./producer_state.ts";

/** Bytes per entry. */
export const ABORTED_TXN_SIZE = 34;
/** The entry version 2.8.2 writes. */
export const ABORTED_TXN_VERSION = 0;

/** What a Fetch response lists per aborted transaction. */
export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

/** What a lookup in one segment's index found; complete when later segments need not be read. */
export interface TxnIndexSearchResult {
  readonly abortedTransactions: AbortedTransaction[];
  readonly isComplete: boolean;
}

/** The 34 bytes of an entry. */
export function encodeAbortedTxn(t: AbortedTxn): Uint8Array {
  const b = new Uint8Array(ABORTED_TXN_SIZE);
  const v = viewOf(b);
  v.setInt16(0, ABORTED_TXN_VERSION);
  setInt64(v, 2, t.producerId);
  setInt64(v, 10, t.firstOffset);
  setInt64(v, 18, t.lastOffset);
  setInt64(v, 26, t.lastStableOffset);
  return b;
}

/** The whole entries of a `.txnindex` file's bytes (a torn tail is not read, as in Kafka). */
export function decodeTransactionIndex(bytes: Uint8Array, path = ".txnindex"): AbortedTxn[] {
  const v = viewOf(bytes);
  const out: AbortedTxn[] = [];
  for (let p = 0; p + ABORTED_TXN_SIZE <= bytes.length; p += ABORTED_TXN_SIZE) {
    const version = v.getInt16(p);
    if (version > ABORTED_TXN_VERSION) {
      throw new CorruptIndexError(
        `Unexpected aborted transaction version ${version} in transaction index ${path}, ` +
          `current version is ${ABORTED_TXN_VERSION}`,
      );
    }
    out.push({
      producerId: getInt64(v, p + 2),
      firstOffset: getInt64(v, p + 10),
      lastOffset: getInt64(v, p + 18),
      lastStableOffset: getInt64(v, p + 26),
    });
  }
  return out;
}

/**
 * The aborted transactions of `entries` overlapping a fetch of [fetchOffset, upperBoundOffset)
 * (Kafka's collectAbortedTxns): those ending at or after the fetch offset and starting before the
 * bound; complete once an entry's last stable offset reaches the bound.
 */
export function collectAbortedTxns(
  entries: Iterable<AbortedTxn>,
  fetchOffset: number,
  upperBoundOffset: number,
): TxnIndexSearchResult {
  const abortedTransactions: AbortedTransaction[] = [];
  for (const t of entries) {
    if (t.lastOffset >= fetchOffset && t.firstOffset < upperBoundOffset) {
      abortedTransactions.push({ producerId: t.producerId, firstOffset: t.firstOffset });
    }
    if (t.lastStableOffset >= upperBoundOffset) return { abortedTransactions, isComplete: true };
  }
  return { abortedTransactions, isComplete: false };
}

/**
 * The aborted transactions a read_committed fetch from `fetchOffset` up to `upperBoundOffset`
 * must list, walking segment indexes from the one holding the fetch offset on until one says the
 * rest cannot matter (Kafka's Log.collectAbortedTransactions).
 */
export function collectAbortedTransactions(
  indexesFromFetchSegment: Iterable<TransactionIndex>,
  fetchOffset: number,
  upperBoundOffset: number,
): AbortedTransaction[] {
  const out: AbortedTransaction[] = [];
  for (const index of indexesFromFetchSegment) {
    const r = index.collectAbortedTxns(fetchOffset, upperBoundOffset);
    out.push(...r.abortedTransactions);
    if (r.isComplete) break;
  }
  return out;
}

/**
 * One segment's `.txnindex`: entries kept in memory (a handful per segment), appended to the file,
 * which is created on the first append.
 *
 * @example
 * ```ts ignore
 * const index = await TransactionIndex.open(`${dir}/00000000000000000031.txnindex`, 31);
 * await index.append({ producerId: 2, firstOffset: 32, lastOffset: 35, lastStableOffset: 36 });
 * index.collectAbortedTxns(30, 40); // { abortedTransactions: [{ producerId: 2, firstOffset: 32 }], isComplete: false }
 * ```
 */
export class TransactionIndex {
  #entries: AbortedTxn[];
  #file: Deno.FsFile | undefined;
  #size: number;
  /** Whether the file is on disk (it is created by the first append). */
  #exists: boolean;
  /** The last offset appended since open (2.8.2 checks appends against it only). */
  #lastOffset: number | undefined;

  private constructor(
    public path: string,
    readonly startOffset: number,
    entries: AbortedTxn[],
    size: number,
    exists: boolean,
  ) {
    this.#entries = entries;
    this.#size = size;
    this.#exists = exists;
  }

  /** Opens `path` if it exists (reading its entries); otherwise the file waits for an append. */
  static async open(path: string, startOffset: number): Promise<TransactionIndex> {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        return new TransactionIndex(path, startOffset, [], 0, false);
      }
      throw e;
    }
    return new TransactionIndex(
      path,
      startOffset,
      decodeTransactionIndex(bytes, path),
      bytes.length,
      true,
    );
  }

  /** {@link open} without the promise (a segment opens its files synchronously). */
  static openSync(path: string, startOffset: number): TransactionIndex {
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        return new TransactionIndex(path, startOffset, [], 0, false);
      }
      throw e;
    }
    return new TransactionIndex(
      path,
      startOffset,
      decodeTransactionIndex(bytes, path),
      bytes.length,
      true,
    );
  }

  /** The entries, oldest first. */
  allAbortedTxns(): readonly AbortedTxn[] {
    return this.#entries;
  }

  /** Size of the file in bytes (0 when there is none). */
  get sizeInBytes(): number {
    return this.#size;
  }

  /** See {@link collectAbortedTxns}. */
  collectAbortedTxns(fetchOffset: number, upperBoundOffset: number): TxnIndexSearchResult {
    return collectAbortedTxns(this.#entries, fetchOffset, upperBoundOffset);
  }

  /** Appends an abort; its last offset must be above the previous append's. */
  async append(t: AbortedTxn): Promise<void> {
    if (this.#lastOffset !== undefined && this.#lastOffset >= t.lastOffset) {
      throw new Error(
        `The last offset of appended transactions must increase sequentially, but ` +
          `${t.lastOffset} is not greater than current last offset ${this.#lastOffset} of index ${this.path}`,
      );
    }
    this.#lastOffset = t.lastOffset;
    const f = await this.#channel();
    await f.seek(this.#size, Deno.SeekMode.Start);
    const bytes = encodeAbortedTxn(t);
    for (let n = 0; n < bytes.length;) n += await f.write(bytes.subarray(n));
    this.#size += bytes.length;
    this.#entries.push(t);
  }

  /** fsync, if the file exists. */
  async flush(): Promise<void> {
    await this.#file?.sync();
  }

  /** Drops entries whose abort marker is at or after `offset` (log truncation). */
  async truncateTo(offset: number): Promise<void> {
    const keep = this.#entries.findIndex((t) => t.lastOffset >= offset);
    if (keep < 0) return;
    this.#entries = this.#entries.slice(0, keep);
    this.#size = keep * ABORTED_TXN_SIZE;
    this.#lastOffset = undefined;
    if (this.#exists) await (await this.#channel()).truncate(this.#size);
  }

  /** Empties the index (a segment being recovered rebuilds it). */
  async reset(): Promise<void> {
    this.#entries = [];
    this.#lastOffset = undefined;
    this.#size = 0;
    if (this.#exists) await (await this.#channel()).truncate(0);
  }

  /** Throws CorruptIndexError for a torn file or an entry ending before the segment starts. */
  sanityCheck(): void {
    if (this.#size % ABORTED_TXN_SIZE !== 0) {
      throw new CorruptIndexError(
        `Transaction index file ${this.path} has size ${this.#size}, not a multiple of ${ABORTED_TXN_SIZE}`,
      );
    }
    for (const t of this.#entries) {
      if (t.lastOffset < this.startOffset) {
        throw new CorruptIndexError(
          `Last offset of aborted transaction AbortedTxn(version=0, producerId=${t.producerId}, ` +
            `firstOffset=${t.firstOffset}, lastOffset=${t.lastOffset}, lastStableOffset=` +
            `${t.lastStableOffset}) in index ${this.path} is less than start offset ${this.startOffset}`,
        );
      }
    }
  }

  /** Closes the file (the index stays readable from memory). */
  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }

  /** Closes and deletes the file; whether there was one. */
  async deleteIfExists(): Promise<boolean> {
    this.close();
    try {
      await Deno.remove(this.path);
      this.#exists = false;
      return true;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  }

  async #channel(): Promise<Deno.FsFile> {
    this.#file ??= await Deno.open(this.path, { read: true, write: true, create: true });
    this.#exists = true;
    return this.#file;
  }
}
