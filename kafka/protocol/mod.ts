/**
 * herd's Kafka wire protocol: primitives, one generated codec per API Apache Kafka 2.8.2
 * advertises (at exactly its version ranges), request/response headers, and the registry the
 * ApiVersions answer is derived from.
 *
 * @example
 * ```ts
 * import { API_CODECS, KafkaReader, KafkaWriter } from "./mod.ts";
 * const w = new KafkaWriter();
 * API_CODECS[3].encodeRequest(w, { topics: null }, 1); // Metadata v1: all topics
 * const back = API_CODECS[3].decodeRequest(new KafkaReader(w.written()), 1);
 * ```
 *
 * @module
 */
export { KafkaProtocolError } from "./errors.ts";
export { KafkaReader } from "./reader.ts";
export { KafkaWriter, utf8Length, uvarintSize } from "./writer.ts";
export { uuidToBytes, uuidToString, ZERO_UUID } from "./uuid.ts";
export { type RawTaggedField, writeRawTags } from "./tagged.ts";
export type { ApiCodec } from "./codec.ts";
export { APACHE_2_8_2_APIS, type ApiVersionRange } from "./versions.ts";
export {
  API_ENTRIES,
  API_VERSIONS_KEY,
  type ApiEntry,
  apiEntry,
  type ApiVersionsOptions,
  apiVersionsResponse,
  classifyRequest,
  CONTROLLED_SHUTDOWN_KEY,
  isFlexible,
  type RequestDisposition,
  requestHeaderVersion,
  responseHeaderVersion,
  UNSUPPORTED_VERSION,
  unsupportedApiVersionsResponse,
} from "./registry.ts";
export {
  type IncomingRequest,
  readRequest,
  readResponse,
  writeRequest,
  writeResponse,
  writeUnsupportedApiVersions,
} from "./frame.ts";
export { API_CODECS, type ApiCodecs } from "./messages/apis.ts";
export type { RequestHeader, ResponseHeader } from "./messages/headers.ts";
