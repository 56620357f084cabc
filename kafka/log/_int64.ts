/**
 * Big-endian int64 fields of the log's own files (producer snapshots, the transaction index) as
 * JS numbers: exact below 2^53, which holds every offset, timestamp and producer id Kafka writes.
 *
 * @module
 */

const TWO32 = 4294967296;

/** Reads a big-endian int64 at `pos`. */
export function getInt64(view: DataView, pos: number): number {
  return view.getInt32(pos) * TWO32 + view.getUint32(pos + 4);
}

/** Writes `v` as a big-endian int64 at `pos`. */
export function setInt64(view: DataView, pos: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  view.setInt32(pos, hi);
  view.setUint32(pos + 4, v - hi * TWO32);
}

/** A DataView over exactly the bytes of `b`. */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
