/**
 * DeleteAcls (key 31, v0–v2): SECURITY_DISABLED for every filter, as a broker without an
 * authorizer answers (`kafka-acls.sh --remove`). See `_no_authorizer.ts`.
 *
 * @module
 */
import type { DeleteAclsRequest, DeleteAclsResponse } from "../protocol/messages/delete_acls.ts";
import { NO_AUTHORIZER, SECURITY_DISABLED } from "./_no_authorizer.ts";

/** Answers DeleteAcls with SECURITY_DISABLED per filter. */
export function handleDeleteAcls(request: DeleteAclsRequest): DeleteAclsResponse {
  return {
    throttleTimeMs: 0,
    filterResults: request.filters.map(() => ({
      errorCode: SECURITY_DISABLED,
      errorMessage: NO_AUTHORIZER,
      matchingAcls: [],
    })),
  };
}
