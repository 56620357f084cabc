/**
 * Compress and decompress a batch's records section with its codec. gzip and zstd come from
 * node:zlib (native in Deno); snappy and LZ4 from snappy.ts and lz4.ts.
 *
 * A codec failure on read answers UNKNOWN_SERVER_ERROR (-1), as Apache 2.8.2 does: the batch
 * passed its CRC but its payload is not what the codec allows, and Apache lets that exception
 * escape as an unknown error (a garbled gzip stream and a bad LZ4 frame header both answered -1
 * on this machine, with "Error processing append operation" in its server.log).
 *
 * @module
 */

import * as zlib from "node:zlib";
import { Compression, COMPRESSION_NAMES } from "./attributes.ts";
import { RecordsError, RecordsErrorCode } from "./errors.ts";
import { lz4Compress, lz4Decompress } from "./lz4.ts";
import { snappyCompress, snappyDecompress } from "./snappy.ts";

/** zstd level Apache's client uses (ZSTD_CLEVEL_DEFAULT). */
const ZSTD_LEVEL = 3;

function asBytes(b: Uint8Array): Uint8Array {
  // node:zlib answers with a Buffer; keep the type plain for callers.
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Decompresses `data` written with `codec` (a batch's attribute bits 0-2). `legacyMagic0` selects
 * LZ4's Kafka 0.8 header checksum rule for magic 0 message sets.
 *
 * @example
 * ```ts
 * import { compress, decompress } from "./compression.ts";
 * import { Compression } from "./attributes.ts";
 * const data = new TextEncoder().encode("a record, a record, a record");
 * for (const c of [Compression.GZIP, Compression.SNAPPY, Compression.LZ4, Compression.ZSTD]) {
 *   console.log(decompress(c, compress(c, data)).length); // 28
 * }
 * ```
 */
export function decompress(codec: number, data: Uint8Array, legacyMagic0 = false): Uint8Array {
  try {
    switch (codec) {
      case Compression.NONE:
        return data;
      case Compression.GZIP:
        return asBytes(zlib.gunzipSync(data));
      case Compression.SNAPPY:
        return snappyDecompress(data);
      case Compression.LZ4:
        return lz4Decompress(data, legacyMagic0);
      case Compression.ZSTD:
        return asBytes(zlib.zstdDecompressSync(data));
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new RecordsError(
      RecordsErrorCode.UNKNOWN_SERVER_ERROR,
      `Failed to decompress ${COMPRESSION_NAMES[codec]} records: ${why}`,
    );
  }
  throw unsupported(codec);
}

/** Compresses `data` with `codec` as Apache's producer and broker write it. */
export function compress(codec: number, data: Uint8Array, legacyMagic0 = false): Uint8Array {
  switch (codec) {
    case Compression.NONE:
      return data;
    case Compression.GZIP:
      return asBytes(zlib.gzipSync(data));
    case Compression.SNAPPY:
      return snappyCompress(data);
    case Compression.LZ4:
      return lz4Compress(data, legacyMagic0);
    case Compression.ZSTD:
      return asBytes(zlib.zstdCompressSync(data, {
        params: { [zlib.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL },
      }));
  }
  throw unsupported(codec);
}

function unsupported(codec: number): RecordsError {
  return new RecordsError(
    RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    `Unknown compression type id: ${codec}`,
  );
}
