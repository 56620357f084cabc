/**
 * SaslHandshake (key 17, v0–v1) on a PLAINTEXT listener: herd has no SASL listener, and a 2.8.2
 * broker answers a handshake that reaches KafkaApis (one on a listener that does not
 * authenticate) with ILLEGAL_SASL_STATE (34) and no mechanisms, keeping the connection open
 * (measured against Apache 2.8.2: a Metadata request on the same connection is answered after).
 *
 * @module
 */
import type {
  SaslHandshakeRequest,
  SaslHandshakeResponse,
} from "../protocol/messages/sasl_handshake.ts";
import { ErrorCode } from "../protocol/error_codes.ts";

/** Answers SaslHandshake with ILLEGAL_SASL_STATE. */
export function handleSaslHandshake(_request: SaslHandshakeRequest): SaslHandshakeResponse {
  return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
}
