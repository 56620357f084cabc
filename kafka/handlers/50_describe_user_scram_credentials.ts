/**
 * DescribeUserScramCredentials (key 50, v0): the SCRAM credentials stored in
 * `/config/users/<user>` (mechanism and iterations, never the keys), as 2.8.2 answers; see
 * ../config/scram_credentials.ts. Empty error messages on success, as Apache sends them. herd
 * has no SASL listener: the credentials are kept, not used.
 *
 * @module
 */
import type {
  DescribeUserScramCredentialsRequest,
  DescribeUserScramCredentialsResponse,
} from "../protocol/messages/describe_user_scram_credentials.ts";
import type { EntityConfigStore } from "../config/client_quotas.ts";
import { describeScram } from "../config/scram_credentials.ts";
import type { Handler } from "./handler.ts";

/** The handler over the entity configs in ZooKeeper. */
export function describeUserScramCredentialsHandler(
  store: EntityConfigStore,
): Handler<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse> {
  return async (request) => ({
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: "",
    results: (await describeScram(store, request.users?.map((u) => u.name) ?? null)).map((r) => ({
      ...r,
      credentialInfos: r.credentialInfos ?? [],
    })),
  });
}
