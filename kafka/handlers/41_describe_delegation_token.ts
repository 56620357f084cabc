/**
 * DescribeDelegationToken (key 41, v0–v2): refused on plaintext, see `_delegation_token.ts`.
 *
 * @module
 */
import type {
  DescribeDelegationTokenRequest,
  DescribeDelegationTokenResponse,
} from "../protocol/messages/describe_delegation_token.ts";
import { TOKEN_REQUEST_NOT_ALLOWED } from "./_delegation_token.ts";

/** Answers DescribeDelegationToken with DELEGATION_TOKEN_REQUEST_NOT_ALLOWED. */
export function handleDescribeDelegationToken(
  _request: DescribeDelegationTokenRequest,
): DescribeDelegationTokenResponse {
  return { errorCode: TOKEN_REQUEST_NOT_ALLOWED, tokens: [], throttleTimeMs: 0 };
}
