// Types for npm:snappyjs@0.7.0 (it ships none): raw Snappy blocks, same array type out as in.
/** Decompresses one raw Snappy block; throws on an invalid bitstream or beyond `maxLength`. */
export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
/** Compresses into one raw Snappy block. */
export function compress(uncompressed: Uint8Array): Uint8Array;
