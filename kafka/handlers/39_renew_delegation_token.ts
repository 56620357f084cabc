/**
 * RenewDelegationToken (key 39, v0–v2): refused on plaintext, see `_delegation_token.ts`.
 *
 * @module
 */
import type {
  RenewDelegationTokenRequest,
  RenewDelegationTokenResponse,
} from "../protocol/messages/renew_delegation_token.ts";
import { TOKEN_REQUEST_NOT_ALLOWED } from "./_delegation_token.ts";

/** Answers RenewDelegationToken with DELEGATION_TOKEN_REQUEST_NOT_ALLOWED. */
export function handleRenewDelegationToken(
  _request: RenewDelegationTokenRequest,
): RenewDelegationTokenResponse {
  return { errorCode: TOKEN_REQUEST_NOT_ALLOWED, expiryTimestampMs: -1, throttleTimeMs: 0 };
}
