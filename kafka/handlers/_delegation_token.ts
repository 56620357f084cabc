/**
 * What a 2.8.2 broker answers the delegation-token APIs (38–41) on a PLAINTEXT listener:
 * DELEGATION_TOKEN_REQUEST_NOT_ALLOWED (64) — KafkaApis refuses token requests on channels that
 * did not authenticate with SASL before it asks whether tokens are enabled at all, so even
 * DescribeDelegationToken gets 64, not DELEGATION_TOKEN_AUTH_DISABLED (measured against Apache
 * 2.8.2; `kafka-delegation-tokens.sh` prints `UnsupportedByAuthenticationException: Delegation
 * Token requests are not allowed on PLAINTEXT/1-way SSL channels…`). The owner of a refused
 * CreateDelegationToken is the connection's principal, `User:ANONYMOUS` on plaintext.
 *
 * @module
 */
import { ErrorCode } from "../protocol/error_codes.ts";

/** The refusal's error code. */
export const TOKEN_REQUEST_NOT_ALLOWED = ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED;

/** A plaintext connection's principal type and name. */
export const ANONYMOUS = { principalType: "User", principalName: "ANONYMOUS" } as const;
