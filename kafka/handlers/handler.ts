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
}

/** A handler: request body → response body, both as the API's codec types. */
export type Handler<Req = unknown, Res = unknown> = (request: Req, ctx: RequestContext) => Res;
