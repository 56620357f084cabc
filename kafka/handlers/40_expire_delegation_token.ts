/**
 * ExpireDelegationToken (key 40, v0–v2): refused on plaintext, see `_delegation_token.ts`.
 *
 * @module
 */
import type {
  ExpireDelegationTokenRequest,
  ExpireDelegationTokenResponse,
} from "../protocol/messages/expire_delegation_token.ts";
import { TOKEN_REQUEST_NOT_ALLOWED } from "./_delegation_token.ts";

/** Answers ExpireDelegationToken with DELEGATION_TOKEN_REQUEST_NOT_ALLOWED. */
export function handleExpireDelegationToken(
  _request: ExpireDelegationTokenRequest,
): ExpireDelegationTokenResponse {
  return { errorCode: TOKEN_REQUEST_NOT_ALLOWED, expiryTimestampMs: -1, throttleTimeMs: 0 };
}
