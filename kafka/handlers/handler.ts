/**
 * What a request handler is: a function of the decoded request and the broker's state to the
 * response body. One file per API key in this folder (`03_metadata.ts`), registered by key in a
 * {@link HandlerRegistry}.
 *
 * @module
 */
import type { RequestHeader } from "../protocol/messages/headers.ts";
import type { BrokerState } from "../server/broker_state.ts";

/** What a handler knows besides the request body. */
export interface RequestContext {
  /** The request's API version (within the API's served range). */
  readonly apiVersion: number;
  /** The request header (client id, correlation id). */
  readonly header: RequestHeader;
  /** The broker's view of the cluster. */
  readonly broker: BrokerState;
  /**
   * The client's address as Apache prints it (`InetAddress.toString()`: "/127.0.0.1"); the group
   * coordinator records it as each member's client host. Optional until the listener fills it.
   */
  readonly clientHost?: string;
}

/**
 * What a handler returns to send no answer at all: a Produce with acks=0, which Kafka never
 * answers (the client does not read one).
 */
export const NO_RESPONSE: unique symbol = Symbol("no response");

/**
 * A response body may carry a function under this key: the connection calls it once the body is
 * encoded into its output, so what the body pointed into (a Fetch's pooled read buffers) can be
 * reused.
 */
export const AFTER_ENCODE: unique symbol = Symbol("after encode");

/** A body with an {@link AFTER_ENCODE} hook. */
export interface WithAfterEncode {
  [AFTER_ENCODE]?: () => void;
}

/**
 * A handler: request body → response body, both as the API's codec types. A handler that waits
 * (a Produce for its flush, a JoinGroup for its rebalance) returns a promise; the connection
 * still answers in request order (Kafka's clients rely on it), holding later answers back.
 * Handlers needing broker services (logs, the group coordinator, the controller) are built by a
 * factory that closes over them (`produceHandler(logs)`), so this type stays small.
 *
 * Byte fields of a request (Produce's records) are views of the connection's read buffer, valid
 * until the handler returns: a handler that answers later copies what it keeps past its first
 * `await`.
 */
export type Handler<Req = unknown, Res = unknown> = (
  request: Req,
  ctx: RequestContext,
) => Res | typeof NO_RESPONSE | Promise<Res | typeof NO_RESPONSE>;
