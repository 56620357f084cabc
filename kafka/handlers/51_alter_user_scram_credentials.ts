/**
 * AlterUserScramCredentials (key 51, v0): stores and deletes SCRAM credentials in
 * `/config/users/<user>` as 2.8.2 does (salted password → stored and server keys; validation and
 * answer order of ZkAdminManager), see ../config/scram_credentials.ts. herd has no SASL
 * listener: the credentials are kept, not used.
 *
 * @module
 */
import type {
  AlterUserScramCredentialsRequest,
  AlterUserScramCredentialsResponse,
} from "../protocol/messages/alter_user_scram_credentials.ts";
import type { EntityConfigStore } from "../config/client_quotas.ts";
import { alterScram } from "../config/scram_credentials.ts";
import type { Handler } from "./handler.ts";

/** The handler over the entity configs in ZooKeeper. */
export function alterUserScramCredentialsHandler(
  store: EntityConfigStore,
): Handler<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse> {
  return async (request) => ({
    throttleTimeMs: 0,
    results: (await alterScram(store, request.deletions, request.upsertions)).map((r) => ({
      user: r.user,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
    })),
  });
}
