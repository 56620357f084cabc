/**
 * DescribeClientQuotas (key 48, v0–v1): the quotas stored in ZooKeeper that match the filter,
 * as 2.8.2 answers (ZkAdminManager.describeClientQuotas; see ../config/client_quotas.ts).
 * Errors answer with `entries: null`: UNSUPPORTED_VERSION (35) for an entity type other than
 * user/client-id/ip, INVALID_REQUEST for duplicate or mixed components, UNKNOWN_SERVER_ERROR with
 * no message for an EXACT match without a name (Apache's NullPointerException, measured).
 * Success carries an empty error message, as Apache's does. Quotas are not enforced by herd.
 *
 * @module
 */
import type {
  DescribeClientQuotasRequest,
  DescribeClientQuotasResponse,
} from "../protocol/messages/describe_client_quotas.ts";
import {
  describeClientQuotas,
  type EntityConfigStore,
  QuotaFilterError,
} from "../config/client_quotas.ts";
import type { Handler } from "./handler.ts";

/** The handler over the entity configs in ZooKeeper. */
export function describeClientQuotasHandler(
  store: EntityConfigStore,
): Handler<DescribeClientQuotasRequest, DescribeClientQuotasResponse> {
  return async (request) => {
    try {
      const found = await describeClientQuotas(store, request.components, request.strict);
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: "",
        entries: found.map((f) => ({
          entity: [...f.entity].map(([entityType, entityName]) => ({ entityType, entityName })),
          values: f.values.map(([key, value]) => ({ key, value })),
        })),
      };
    } catch (e) {
      if (!(e instanceof QuotaFilterError)) throw e;
      return {
        throttleTimeMs: 0,
        errorCode: e.errorCode,
        errorMessage: e.errorCode === -1 ? null : e.message,
        entries: null,
      };
    }
  };
}
