/**
 * ApiVersions (key 18): the versions of every API Kafka 2.8.2 advertises, derived from the one
 * protocol registry, so the answer is byte for byte Apache's (kafka/protocol/frame_test.ts checks
 * the derivation against Apache's recorded v0 and v3 answers). Versions outside 0–3 never get
 * here: the connection answers them with error 35 in a v0 body, as Apache does.
 *
 * @module
 */
import type { ApiVersionsRequest, ApiVersionsResponse } from "../protocol/messages/api_versions.ts";
import { apiVersionsResponse } from "../protocol/registry.ts";
import type { RequestContext } from "./handler.ts";

const ANSWER = apiVersionsResponse();

/**
 * Answers ApiVersions. The answer does not depend on the request (client software name and
 * version, v3+, are only reported by Apache in its metrics), so it is built once.
 *
 * @example
 * ```ts ignore
 * registry.register(18, handleApiVersions);
 * ```
 */
export function handleApiVersions(
  _request: ApiVersionsRequest,
  _ctx: RequestContext,
): ApiVersionsResponse {
  return ANSWER;
}
