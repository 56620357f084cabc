/**
 * The error a codec throws on bytes it cannot read or values it cannot write. A broker answers
 * it as Apache 2.8.2 does a request it cannot parse: by closing that one connection (see
 * registry.ts), never by failing its neighbours.
 *
 * @module
 */

/** A frame that is truncated, malformed, or asks for something the protocol cannot carry. */
export class KafkaProtocolError extends Error {
  override name = "KafkaProtocolError";
}
