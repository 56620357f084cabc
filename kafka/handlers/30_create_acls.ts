/**
 * CreateAcls (key 30, v0–v2): SECURITY_DISABLED for every creation, as a broker without an
 * authorizer answers (`kafka-acls.sh --add`). See `_no_authorizer.ts`.
 *
 * @module
 */
import type { CreateAclsRequest, CreateAclsResponse } from "../protocol/messages/create_acls.ts";
import { NO_AUTHORIZER, SECURITY_DISABLED } from "./_no_authorizer.ts";

/** Answers CreateAcls with SECURITY_DISABLED per creation. */
export function handleCreateAcls(request: CreateAclsRequest): CreateAclsResponse {
  return {
    throttleTimeMs: 0,
    results: request.creations.map(() => ({
      errorCode: SECURITY_DISABLED,
      errorMessage: NO_AUTHORIZER,
    })),
  };
}
