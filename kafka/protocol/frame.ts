/**
 * Whole frames: a request or response as it travels (after the 4-byte size prefix a connection
 * strips), its header at the version its API and version call for, then its body. The broker side
 * reads requests and writes responses; the client side (tools, tests) writes requests and reads
 * responses.
 *
 * @module
 */
import {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  type RequestHeader,
  type ResponseHeader,
} from "./messages/headers.ts";
import type { KafkaReader } from "./reader.ts";
import {
  API_VERSIONS_KEY,
  type ApiEntry,
  apiEntry,
  classifyRequest,
  type RequestDisposition,
  requestHeaderVersion,
  responseHeaderVersion,
  unsupportedApiVersionsResponse,
} from "./registry.ts";
import type { KafkaWriter } from "./writer.ts";
import { KafkaProtocolError } from "./errors.ts";

/** A request frame as the broker reads it. */
export interface IncomingRequest {
  /** The API key, version and correlation id, read before anything else. */
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  /** What Apache 2.8.2 would do with it. */
  readonly disposition: RequestDisposition;
  /** The whole header, when the API is known (undefined when the connection is to be closed). */
  readonly header: RequestHeader | undefined;
  /** The decoded body, when the disposition is "serve". */
  readonly body: unknown;
}

/**
 * Reads one request frame (the reader spans exactly the frame, size prefix excluded). An API key
 * or version 2.8.2 does not serve yields disposition "close" (or "unsupported-api-versions" for
 * ApiVersions) without reading the body; a body that does not parse throws KafkaProtocolError,
 * which Apache 2.8.2 also answers by closing the connection.
 */
export function readRequest(r: KafkaReader): IncomingRequest {
  if (r.remaining < 8) throw new KafkaProtocolError(`request frame of ${r.remaining} bytes`);
  const apiKey = r.view.getInt16(r.pos);
  const apiVersion = r.view.getInt16(r.pos + 2);
  const correlationId = r.view.getInt32(r.pos + 4);
  const disposition = classifyRequest(apiKey, apiVersion);
  if (disposition.kind === "close") {
    return { apiKey, apiVersion, correlationId, disposition, header: undefined, body: undefined };
  }
  const header = decodeRequestHeader(r, requestHeaderVersion(disposition.entry, apiVersion));
  const body = disposition.kind === "serve"
    ? disposition.entry.codec.decodeRequest(r, apiVersion)
    : undefined;
  return { apiKey, apiVersion, correlationId, disposition, header, body };
}

/**
 * Writes one response frame, size prefix included, with the response header version the API and
 * version call for (ApiVersions: always v0).
 */
export function writeResponse(
  w: KafkaWriter,
  entry: ApiEntry,
  apiVersion: number,
  correlationId: number,
  body: unknown,
  header: Omit<ResponseHeader, "correlationId"> = {},
): void {
  const start = w.pos;
  w.int32(0);
  encodeResponseHeader(
    w,
    { ...header, correlationId },
    responseHeaderVersion(entry, apiVersion),
  );
  entry.codec.encodeResponse(w, body, apiVersion);
  w.patchInt32(start, w.pos - start - 4);
}

/**
 * Writes Apache 2.8.2's answer to an ApiVersions request of a version it does not serve: error 35
 * and ApiVersions' own range, as an ApiVersions v0 response with header v0.
 */
export function writeUnsupportedApiVersions(w: KafkaWriter, correlationId: number): void {
  writeResponse(w, apiEntry(API_VERSIONS_KEY)!, 0, correlationId, unsupportedApiVersionsResponse());
}

/** Writes one request frame, size prefix included (for clients and tests). */
export function writeRequest(w: KafkaWriter, header: RequestHeader, body: unknown): void {
  const entry = apiEntry(header.requestApiKey);
  if (!entry) throw new KafkaProtocolError(`API key ${header.requestApiKey} is not served`);
  const start = w.pos;
  w.int32(0);
  encodeRequestHeader(w, header, requestHeaderVersion(entry, header.requestApiVersion));
  entry.codec.encodeRequest(w, body, header.requestApiVersion);
  w.patchInt32(start, w.pos - start - 4);
}

/** Reads one response frame to a request of the given API and version (for clients and tests). */
export function readResponse(
  r: KafkaReader,
  entry: ApiEntry,
  apiVersion: number,
): { header: ResponseHeader; body: unknown } {
  const header = decodeResponseHeader(r, responseHeaderVersion(entry, apiVersion));
  return { header, body: entry.codec.decodeResponse(r, apiVersion) };
}
