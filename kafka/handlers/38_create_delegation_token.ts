/**
 * CreateDelegationToken (key 38, v0–v2): refused on plaintext, see `_delegation_token.ts`.
 *
 * @module
 */
import type {
  CreateDelegationTokenRequest,
  CreateDelegationTokenResponse,
} from "../protocol/messages/create_delegation_token.ts";
import { ANONYMOUS, TOKEN_REQUEST_NOT_ALLOWED } from "./_delegation_token.ts";

/** Answers CreateDelegationToken with DELEGATION_TOKEN_REQUEST_NOT_ALLOWED. */
export function handleCreateDelegationToken(
  _request: CreateDelegationTokenRequest,
): CreateDelegationTokenResponse {
  return {
    errorCode: TOKEN_REQUEST_NOT_ALLOWED,
    ...ANONYMOUS,
    issueTimestampMs: -1,
    expiryTimestampMs: -1,
    maxTimestampMs: -1,
    tokenId: "",
    hmac: new Uint8Array(0),
    throttleTimeMs: 0,
  };
}
