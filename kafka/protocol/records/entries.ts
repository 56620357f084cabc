/**
 * Splits a records buffer (a Produce request's records, a Fetch response's, or a segment file's
 * bytes) into its entries: v2 batches or legacy (magic 0/1) messages, all of which start with
 * `offset int64 | size int32` and keep the magic byte at position 16. The rules and messages are
 * Apache 2.8.2's ByteBufferLogInputStream: an impossible size or magic is CORRUPT_MESSAGE, an
 * incomplete entry at the end is not an error but ends the scan (`validBytes` stops before it).
 *
 * @module
 */

import { LOG_OVERHEAD } from "./batch_header.ts";
import { corruptMessage } from "./errors.ts";
import { RECORD_OVERHEAD_V0 } from "./legacy.ts";
import { viewOf } from "./_int64.ts";

/** Where one entry sits in the buffer. */
export interface LogEntry {
  position: number;
  /** Whole entry, offset and size fields included. */
  sizeInBytes: number;
  magic: number;
}

/** The result of {@link scanEntries}. */
export interface EntryScan {
  entries: LogEntry[];
  /** Bytes covered by complete entries (a torn tail is left out). */
  validBytes: number;
}

/** The magic byte's position in any entry: offset(8) + size(4) + epoch or crc (4). */
const MAGIC_OFFSET = 16;
const HEADER_UP_TO_MAGIC = MAGIC_OFFSET + 1;

/**
 * Lists the complete entries of `bytes`. `maxEntrySize` bounds an entry's size field (Apache
 * passes Integer.MAX_VALUE for produce and the segment size for log reads).
 *
 * @example
 * ```ts
 * import { buildRecordBatch } from "./batch_builder.ts";
 * import { scanEntries } from "./entries.ts";
 * const b = buildRecordBatch({ records: [{ timestamp: 0, key: null, value: null }] });
 * const torn = new Uint8Array(b.length * 2 - 5);
 * torn.set(b);
 * torn.set(b.subarray(0, b.length - 5), b.length);
 * const scan = scanEntries(torn);
 * console.log(scan.entries.length, scan.validBytes === b.length); // 1 true
 * ```
 */
export function scanEntries(bytes: Uint8Array, maxEntrySize = 0x7fffffff): EntryScan {
  const view = viewOf(bytes);
  const entries: LogEntry[] = [];
  let pos = 0;
  for (;;) {
    const remaining = bytes.length - pos;
    if (remaining < LOG_OVERHEAD) break;
    const size = view.getInt32(pos + 8);
    if (size < RECORD_OVERHEAD_V0) {
      throw corruptMessage(
        `Record size ${size} is less than the minimum record overhead (${RECORD_OVERHEAD_V0})`,
      );
    }
    if (size > maxEntrySize) {
      throw corruptMessage(
        `Record size ${size} exceeds the largest allowable message size (${maxEntrySize}).`,
      );
    }
    if (remaining < HEADER_UP_TO_MAGIC) break;
    const magic = view.getInt8(pos + MAGIC_OFFSET);
    if (magic < 0 || magic > 2) throw corruptMessage(`Invalid magic found in record: ${magic}`);
    if (remaining < LOG_OVERHEAD + size) break;
    entries.push({ position: pos, sizeInBytes: LOG_OVERHEAD + size, magic });
    pos += LOG_OVERHEAD + size;
  }
  return { entries, validBytes: pos };
}
