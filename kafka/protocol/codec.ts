/**
 * The shape every generated API codec (messages/*.ts) exports, so the registry can hold them in
 * one table keyed by API key.
 *
 * @module
 */
import type { KafkaReader } from "./reader.ts";
import type { KafkaWriter } from "./writer.ts";

/** One API's request and response codecs, with the versions herd serves. */
export interface ApiCodec<Req, Res> {
  /** The API key. */
  readonly apiKey: number;
  /** Kafka 2.8.2's name for the API. */
  readonly name: string;
  /** Lowest version served. */
  readonly minVersion: number;
  /** Highest version served. */
  readonly maxVersion: number;
  /** First flexible version (compact types, tagged fields, header v2/v1), or null if none. */
  readonly firstFlexibleVersion: number | null;
  /** Decodes a request body (after the request header). */
  decodeRequest(r: KafkaReader, version: number): Req;
  /** Encodes a request body. */
  encodeRequest(w: KafkaWriter, message: Req, version: number): void;
  /** Decodes a response body (after the response header). */
  decodeResponse(r: KafkaReader, version: number): Res;
  /** Encodes a response body. */
  encodeResponse(w: KafkaWriter, message: Res, version: number): void;
}
