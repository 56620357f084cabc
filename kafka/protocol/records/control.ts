/**
 * Control records: the transaction markers a coordinator writes to each partition of a
 * transaction when it ends. A control batch (attribute bit 5, and transactional) holds one record
 * whose key is `version int16 (0) | type int16` (0 = ABORT, 1 = COMMIT) and whose value is the
 * EndTxnMarker `version int16 (0) | coordinatorEpoch int32`.
 *
 * @module
 */

import { buildRecordBatch } from "./batch_builder.ts";
import { invalidRecord } from "./errors.ts";
import { viewOf } from "./_int64.ts";

/** Kafka's ControlRecordType ids. */
export const ControlRecordType = { ABORT: 0, COMMIT: 1 } as const;
/** "ABORT" or "COMMIT" (DumpLogSegments prints `endTxnMarker: COMMIT`). */
export type ControlRecordType = keyof typeof ControlRecordType;

/** A decoded transaction marker. */
export interface EndTxnMarker {
  type: ControlRecordType;
  coordinatorEpoch: number;
}

/** Reads a control record's key: its type (Kafka: an unknown type is UNKNOWN, here an error). */
export function readControlKey(key: Uint8Array | null): ControlRecordType {
  if (key === null || key.length < 4) throw invalidRecord("Invalid control record key");
  const view = viewOf(key);
  const version = view.getInt16(0);
  if (version < 0) throw invalidRecord(`Invalid version found for control record: ${version}`);
  const type = view.getInt16(2);
  if (type === ControlRecordType.ABORT) return "ABORT";
  if (type === ControlRecordType.COMMIT) return "COMMIT";
  throw invalidRecord(`Unknown control record type ${type}`);
}

/**
 * Decodes a transaction marker from a control record's key and value.
 *
 * @example
 * ```ts
 * import { buildEndTxnMarkerBatch, decodeEndTxnMarker } from "./control.ts";
 * import { RecordBatch } from "./record_batch.ts";
 * const bytes = buildEndTxnMarkerBatch({
 *   type: "COMMIT", coordinatorEpoch: 3, producerId: 7, producerEpoch: 0, timestamp: 1,
 * });
 * const r = new RecordBatch(bytes).records()[0];
 * console.log(decodeEndTxnMarker(r.key, r.value)); // { type: "COMMIT", coordinatorEpoch: 3 }
 * ```
 */
export function decodeEndTxnMarker(key: Uint8Array | null, value: Uint8Array | null): EndTxnMarker {
  const type = readControlKey(key);
  if (value === null || value.length < 6) throw invalidRecord("Invalid end transaction marker");
  const view = viewOf(value);
  if (view.getInt16(0) < 0) throw invalidRecord("Invalid version for end transaction marker");
  return { type, coordinatorEpoch: view.getInt32(2) };
}

/** The key bytes of a control record of `type`. */
export function encodeControlKey(type: ControlRecordType): Uint8Array {
  const key = new Uint8Array(4);
  viewOf(key).setInt16(2, ControlRecordType[type]);
  return key;
}

/** The value bytes of an EndTxnMarker. */
export function encodeEndTxnMarkerValue(coordinatorEpoch: number): Uint8Array {
  const value = new Uint8Array(6);
  viewOf(value).setInt32(2, coordinatorEpoch);
  return value;
}

/** What a marker batch needs. */
export interface EndTxnMarkerOptions extends EndTxnMarker {
  producerId: number;
  producerEpoch: number;
  timestamp: number;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
}

/** A control batch holding one marker, as Apache's coordinator writes it (uncompressed). */
export function buildEndTxnMarkerBatch(o: EndTxnMarkerOptions): Uint8Array {
  return buildRecordBatch({
    baseOffset: o.baseOffset,
    partitionLeaderEpoch: o.partitionLeaderEpoch,
    isControl: true,
    isTransactional: true,
    producerId: o.producerId,
    producerEpoch: o.producerEpoch,
    records: [{
      timestamp: o.timestamp,
      key: encodeControlKey(o.type),
      value: encodeEndTxnMarkerValue(o.coordinatorEpoch),
    }],
  });
}
