/**
 * SaslAuthenticate (key 36, v0–v2) on a PLAINTEXT listener: ILLEGAL_SASL_STATE (34) with the
 * message 2.8.2's KafkaApis sends once a connection counts as authenticated (a plaintext one
 * always does), empty auth bytes, session lifetime 0; the connection stays open, as Apache's
 * does. herd has no SASL listener.
 *
 * @module
 */
import type {
  SaslAuthenticateRequest,
  SaslAuthenticateResponse,
} from "../protocol/messages/sasl_authenticate.ts";
import { ErrorCode } from "../protocol/error_codes.ts";

/** The message Apache 2.8.2 sends with it (measured). */
export const AFTER_AUTHENTICATION =
  "SaslAuthenticate request received after successful authentication";

/** Answers SaslAuthenticate with ILLEGAL_SASL_STATE. */
export function handleSaslAuthenticate(
  _request: SaslAuthenticateRequest,
): SaslAuthenticateResponse {
  return {
    errorCode: ErrorCode.ILLEGAL_SASL_STATE,
    errorMessage: AFTER_AUTHENTICATION,
    authBytes: new Uint8Array(0),
    sessionLifetimeMs: 0,
  };
}
