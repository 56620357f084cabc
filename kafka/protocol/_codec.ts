/**
 * Small runtime pieces the generated codecs in messages/ share.
 *
 * @module
 */
import { KafkaProtocolError } from "./errors.ts";
import type { KafkaReader } from "./reader.ts";
import type { RawTaggedField } from "./tagged.ts";
import type { KafkaWriter } from "./writer.ts";

export { writeRawTags } from "./tagged.ts";
export { ZERO_UUID } from "./uuid.ts";

/** The default of non-nullable bytes fields; zero-length, so sharing it is safe. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** A known tagged field must fill exactly the size its header announced. */
export function checkTagEnd(r: KafkaReader, end: number, tag: number): void {
  if (r.pos !== end) {
    throw new KafkaProtocolError(
      `tagged field ${tag} ends at offset ${r.pos}, but its size says ${end}`,
    );
  }
}

/** The tagged-field section of a struct with no known tagged fields. */
export function writeUnknownTags(w: KafkaWriter, raw: readonly RawTaggedField[] | undefined): void {
  if (raw === undefined) {
    w.uvarint(0);
    return;
  }
  w.uvarint(raw.length);
  for (const f of raw) {
    w.uvarint(f.tag);
    w.uvarint(f.data.length);
    w.raw(f.data);
  }
}
