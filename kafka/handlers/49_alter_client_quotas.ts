/**
 * AlterClientQuotas (key 49, v0–v1): sets or removes quotas in ZooKeeper as 2.8.2 does
 * (ZkAdminManager.alterClientQuotas; see ../config/client_quotas.ts): per entry, the entity and
 * keys are validated (INVALID_REQUEST with Kafka's message), LONG/INT keys stored as whole
 * numbers and DOUBLE ones as Java prints them (`request_percentage=50.0`), then, unless
 * validate-only, `/config/<type>/<entity>` and a change notification are written. Entries are
 * answered in request order (Apache's follow a hash map's), each entity's parts in Apache's
 * order. herd stores quotas but does not enforce them.
 *
 * @module
 */
import type {
  AlterClientQuotasRequest,
  AlterClientQuotasResponse,
} from "../protocol/messages/alter_client_quotas.ts";
import {
  alterEntityQuotas,
  type EntityConfigStore,
  entityParts,
  InvalidQuotaRequest,
} from "../config/client_quotas.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { Handler } from "./handler.ts";

/** The handler over the entity configs in ZooKeeper. */
export function alterClientQuotasHandler(
  store: EntityConfigStore,
): Handler<AlterClientQuotasRequest, AlterClientQuotasResponse> {
  return async (request) => {
    const entries: AlterClientQuotasResponse["entries"] = [];
    for (const e of request.entries) {
      const entity = new Map(e.entity.map((x) => [x.entityType, x.entityName]));
      let errorCode: number = ErrorCode.NONE;
      let errorMessage: string | null = null;
      try {
        await alterEntityQuotas(
          store,
          entity,
          e.ops.map((o) => ({ key: o.key, value: o.remove ? null : o.value })),
          request.validateOnly,
        );
      } catch (err) {
        if (!(err instanceof InvalidQuotaRequest)) throw err;
        errorCode = ErrorCode.INVALID_REQUEST;
        errorMessage = err.message;
      }
      entries.push({ errorCode, errorMessage, entity: entityParts(entity) });
    }
    return { throttleTimeMs: 0, entries };
  };
}
