/**
 * Records inside a v2 batch (Kafka's DefaultRecord):
 *
 * ```
 * length varint | attributes int8 | timestampDelta varlong | offsetDelta varint
 * keyLength varint | key | valueLength varint | value | headerCount varint
 * [headerKeyLength varint | headerKey utf8 | headerValueLength varint | headerValue]*
 * ```
 *
 * {@link RecordCursor} walks a records section without allocating: after `next()` its fields
 * describe the current record and `key()`/`value()` hand out views into the same bytes. The
 * checks and messages are Apache 2.8.2's (`DefaultRecord.readFrom`).
 *
 * @module
 */

import { type Cursor, readVarint, readVarlong } from "./_varint.ts";
import { invalidRecord } from "./errors.ts";

/** A record header; keys are UTF-8 strings, values bytes or null. */
export interface RecordHeader {
  key: string;
  value: Uint8Array | null;
}

/** A record as a consumer sees it: absolute offset and timestamp, views for key and value. */
export interface Record {
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: RecordHeader[];
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * Walks the records of an uncompressed records section (`bytes[start, end)`, `count` records as
 * the batch header declares), checking each record's structure.
 *
 * @example
 * ```ts
 * import { buildRecordBatch } from "./batch_builder.ts";
 * import { RecordCursor } from "./record.ts";
 * const batch = buildRecordBatch({
 *   records: [{ timestamp: 5, key: null, value: new Uint8Array([1, 2]) }],
 * });
 * const c = new RecordCursor(batch, 61, batch.length, 1);
 * while (c.next()) console.log(c.offsetDelta, c.valueLength); // 0 2
 * ```
 */
export class RecordCursor {
  /** Position of the current record's length varint. */
  start = 0;
  /** The current record's total size, length varint included. */
  sizeInBytes = 0;
  attributes = 0;
  timestampDelta = 0;
  offsetDelta = 0;
  /** Start of the key bytes; `keyLength` is -1 for a null key. */
  keyStart = 0;
  keyLength = -1;
  valueStart = 0;
  valueLength = -1;
  headersStart = 0;
  headerCount = 0;
  /** Records read so far. */
  index = 0;

  readonly #c: Cursor;
  readonly #count: number;

  constructor(readonly bytes: Uint8Array, start: number, end: number, count: number) {
    this.#c = { bytes, pos: start, end };
    this.#count = count;
  }

  /**
   * Moves to the next record; false after the declared count, when the section must also be used
   * up. Throws INVALID_RECORD for a malformed record or a count that does not match.
   */
  next(): boolean {
    const c = this.#c;
    if (this.index === this.#count) {
      if (c.pos !== c.end) {
        throw invalidRecord("Incorrect declared batch size, records still remaining in file");
      }
      return false;
    }
    this.start = c.pos;
    const body = readVarint(c);
    const remaining = c.end - c.pos;
    if (body < 0 || remaining < body) {
      throw invalidRecord(
        `Invalid record size: expected ${body} bytes in record payload, but instead the buffer has only ${remaining} remaining bytes.`,
      );
    }
    const bodyStart = c.pos;
    this.attributes = c.bytes[c.pos++];
    this.timestampDelta = readVarlong(c);
    this.offsetDelta = readVarint(c);
    this.keyLength = this.#readBytes();
    this.keyStart = c.pos - Math.max(this.keyLength, 0);
    this.valueLength = this.#readBytes();
    this.valueStart = c.pos - Math.max(this.valueLength, 0);
    const headerCount = readVarint(c);
    if (headerCount < 0) {
      throw invalidRecord(`Found invalid number of record headers ${headerCount}`);
    }
    this.headerCount = headerCount;
    this.headersStart = c.pos;
    for (let i = 0; i < headerCount; i++) {
      const keyLength = readVarint(c);
      if (keyLength < 0) throw invalidRecord(`Invalid negative header key size ${keyLength}`);
      this.#skip(keyLength);
      this.#readBytes();
    }
    if (c.pos - bodyStart !== body) {
      throw invalidRecord(
        `Invalid record size: expected to read ${body} bytes in record payload, but instead read ${
          c.pos - bodyStart
        }`,
      );
    }
    this.sizeInBytes = c.pos - this.start;
    this.index++;
    return true;
  }

  /** Reads a varint length and skips that many bytes; returns the length (< 0 means null). */
  #readBytes(): number {
    const n = readVarint(this.#c);
    if (n > 0) this.#skip(n);
    return n;
  }

  #skip(n: number): void {
    const c = this.#c;
    if (c.end - c.pos < n) throw invalidRecord("Found invalid record structure");
    c.pos += n;
  }

  /** The current record's key as a view into the section, or null. */
  key(): Uint8Array | null {
    return this.keyLength < 0
      ? null
      : this.bytes.subarray(this.keyStart, this.keyStart + this.keyLength);
  }

  /** The current record's value as a view, or null (a tombstone). */
  value(): Uint8Array | null {
    return this.valueLength < 0
      ? null
      : this.bytes.subarray(this.valueStart, this.valueStart + this.valueLength);
  }

  /** The current record's headers (allocates: keys are decoded). */
  headers(): RecordHeader[] {
    if (this.headerCount === 0) return [];
    const c: Cursor = { bytes: this.bytes, pos: this.headersStart, end: this.bytes.length };
    const out: RecordHeader[] = [];
    for (let i = 0; i < this.headerCount; i++) {
      const kl = readVarint(c);
      const key = decoder.decode(this.bytes.subarray(c.pos, c.pos + kl));
      c.pos += kl;
      const vl = readVarint(c);
      const value = vl < 0 ? null : this.bytes.subarray(c.pos, c.pos + vl);
      if (vl > 0) c.pos += vl;
      out.push({ key, value });
    }
    return out;
  }
}
