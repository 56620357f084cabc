/**
 * DumpLogSegments' dumps of producer state `.snapshot` files and aborted-transaction `.txnindex`
 * files, as Kafka 2.8.2 prints them. A snapshot is read whole (it is 46 bytes per producer) and
 * checked as ProducerStateManager.readSnapshot checks it: version 1, CRC-32C over the entries; a
 * bad one prints the CorruptSnapshotException's message on stderr and the run goes on. An entry
 * with an offset prints its one batch, `currentTxnFirstOffset` shows as a Scala Option.
 *
 * @module
 */
import type { OutBuffer } from "../zk-txnlog/out_buffer.ts";
import { crc32c } from "../../kafka/protocol/records/crc32c.ts";
import { getInt64 } from "../../kafka/protocol/records/_int64.ts";
import { javaAbsolutePath, JavaException, javaFileName, parseJavaLong } from "./java_exception.ts";

const ENTRIES_OFFSET = 6;
const ENTRY_SIZE = 46;
const TXN_ENTRY_SIZE = 34;

/** DefaultRecordBatch.decrementSequence. */
function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return 0x7fffffff - (decrement - sequence) + 1;
  return sequence - decrement;
}

/** The fields of one snapshot entry, as ProducerStateManager's schema names them, and sizes. */
const ENTRY_FIELDS: [string, number][] = [
  ["producer_id", 8],
  ["epoch", 2],
  ["last_sequence", 4],
  ["last_offset", 8],
  ["offset_delta", 4],
  ["timestamp", 8],
  ["coordinator_epoch", 4],
  ["current_txn_first_offset", 8],
];

/**
 * Why a snapshot is unreadable, as Kafka's CorruptSnapshotException says it: the schema read
 * first (the field that ran out of bytes, `Error reading array of size N` when the count exceeds
 * the bytes left), then the version, then the CRC over everything after the header.
 */
function snapshotProblem(bytes: Uint8Array): string | null {
  const schema = (what: string) => `Snapshot failed schema validation: ${what}`;
  const underflow = (field: string) =>
    `Error reading field '${field}': java.nio.BufferUnderflowException`;
  if (bytes.length < 2) return schema(underflow("version"));
  if (bytes.length < ENTRIES_OFFSET) return schema(underflow("crc"));
  if (bytes.length < ENTRIES_OFFSET + 4) return schema(underflow("producer_entries"));
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getInt32(ENTRIES_OFFSET);
  let p = ENTRIES_OFFSET + 4;
  if (count > bytes.length - p) {
    return schema(
      `Error reading field 'producer_entries': Error reading array of size ${count}, only ${
        bytes.length - p
      } bytes available`,
    );
  }
  for (let i = 0; i < count; i++) {
    for (const [field, size] of ENTRY_FIELDS) {
      if (p + size > bytes.length) {
        return schema(`Error reading field 'producer_entries': ${underflow(field)}`);
      }
      p += size;
    }
  }
  const version = v.getInt16(0);
  if (version !== 1) return `Snapshot contained an unknown file version ${version}`;
  const stored = v.getUint32(2);
  const computed = crc32c(bytes, ENTRIES_OFFSET, bytes.length);
  if (stored !== computed) {
    return `Snapshot is corrupt (CRC is no longer valid). Stored crc: ${stored}. Computed crc: ${computed}`;
  }
  return null;
}

/**
 * Dumps a `.snapshot`; returns the CorruptSnapshotException message to print on stderr, if any.
 */
export function dumpProducerSnapshot(path: string, out: OutBuffer): string | null {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new JavaException("java.nio.file.NoSuchFileException", path);
    }
    throw e;
  }
  const problem = snapshotProblem(bytes);
  if (problem !== null) return problem;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getInt32(ENTRIES_OFFSET);
  for (let i = 0, p = ENTRIES_OFFSET + 4; i < count; i++, p += ENTRY_SIZE) {
    const lastSeq = v.getInt32(p + 10);
    const offsetDelta = v.getInt32(p + 22);
    const txnFirst = getInt64(v, p + 38);
    const lastOffset = getInt64(v, p + 14);
    let line = `producerId: ${getInt64(v, p)} producerEpoch: ${v.getInt16(p + 8)} ` +
      `coordinatorEpoch: ${v.getInt32(p + 34)} currentTxnFirstOffset: ${
        txnFirst >= 0 ? `Some(${txnFirst})` : "None"
      } `;
    // Kafka's reader keeps a batch only for an entry with an offset.
    if (lastOffset >= 0) {
      line +=
        `firstSequence: ${decrementSequence(lastSeq, offsetDelta)} lastSequence: ${lastSeq} ` +
        `lastOffset: ${lastOffset} offsetDelta: ${offsetDelta} timestamp: ${getInt64(v, p + 26)}`;
    }
    out.text(`${line}\n`);
  }
  return null;
}

/** Dumps a `.txnindex` (Kafka reads whole 34-byte entries; a torn tail is not shown). */
export function dumpTxnIndex(path: string, out: OutBuffer): void {
  const name = javaFileName(path);
  const dot = name.indexOf(".");
  parseJavaLong(dot < 0 ? name : name.slice(0, dot));
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (e) {
    // TransactionIndex opens only a file that exists: a missing one has no entries.
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 0; p + TXN_ENTRY_SIZE <= bytes.length; p += TXN_ENTRY_SIZE) {
    const version = v.getInt16(p);
    if (version > 0) {
      throw new JavaException(
        "org.apache.kafka.common.KafkaException",
        `Unexpected aborted transaction version ${version} in transaction index ${
          javaAbsolutePath(path)
        }, current version is 0`,
      );
    }
    out.text(
      `version: ${version} producerId: ${getInt64(v, p + 2)} firstOffset: ${getInt64(v, p + 10)} ` +
        `lastOffset: ${getInt64(v, p + 18)} lastStableOffset: ${getInt64(v, p + 26)}\n`,
    );
  }
}
