/**
 * DescribeAcls (key 29, v0–v2): SECURITY_DISABLED, as a broker without an authorizer answers
 * (`kafka-acls.sh --list`). See `_no_authorizer.ts`.
 *
 * @module
 */
import type {
  DescribeAclsRequest,
  DescribeAclsResponse,
} from "../protocol/messages/describe_acls.ts";
import { NO_AUTHORIZER, SECURITY_DISABLED } from "./_no_authorizer.ts";

/** Answers DescribeAcls with SECURITY_DISABLED. */
export function handleDescribeAcls(_request: DescribeAclsRequest): DescribeAclsResponse {
  return {
    throttleTimeMs: 0,
    errorCode: SECURITY_DISABLED,
    errorMessage: NO_AUTHORIZER,
    resources: [],
  };
}
