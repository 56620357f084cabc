/**
 * Tagged fields a codec does not know (KIP-482): kept as raw bytes on decode and written back in
 * tag order on encode, as Kafka's own generated classes keep `_unknownTaggedFields`, so a message
 * passed through herd loses nothing a newer peer put in it.
 *
 * @module
 */
import type { KafkaWriter } from "./writer.ts";

/** One tagged field as it was on the wire: its tag and its value's bytes (a view, not a copy). */
export interface RawTaggedField {
  /** The field's tag. */
  tag: number;
  /** The value's bytes, without the tag and size. */
  data: Uint8Array;
}

/**
 * Writes the unknown fields from index `i` whose tag is below `limit`, so they land between the
 * known fields in ascending tag order. Returns the index of the first field not written.
 */
export function writeRawTags(
  w: KafkaWriter,
  raw: readonly RawTaggedField[] | undefined,
  i: number,
  limit: number,
): number {
  if (raw === undefined) return i;
  for (; i < raw.length && raw[i].tag < limit; i++) {
    w.uvarint(raw[i].tag);
    w.uvarint(raw[i].data.length);
    w.raw(raw[i].data);
  }
  return i;
}
