/**
 * FindCoordinator (key 10), v0–v3: this broker coordinates every group (it is the only one), once
 * `__consumer_offsets` exists; until then COORDINATOR_NOT_AVAILABLE with node -1, as Apache
 * answers while it creates the topic. Transaction coordinators (key type 1) are answered by an
 * optional lookup the transaction coordinator provides, else COORDINATOR_NOT_AVAILABLE.
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import { ErrorCode, errorMessage } from "../group/errors.ts";
import type {
  FindCoordinatorRequest,
  FindCoordinatorResponse,
} from "../protocol/messages/find_coordinator.ts";
import type { Handler, RequestContext } from "./handler.ts";

/**
 * The FindCoordinator handler over the group coordinator; `transactions` says whether the
 * transaction coordinator is ready (transactional ids).
 *
 * @example
 * ```ts ignore
 * registry.register(10, findCoordinatorHandler(groups));
 * ```
 */
export function findCoordinatorHandler(
  groups: GroupCoordinator,
  transactions?: (transactionalId: string) => Promise<boolean>,
): Handler<FindCoordinatorRequest, FindCoordinatorResponse> {
  return async (req, ctx) => {
    const keyType = req.keyType ?? 0;
    if (keyType !== 0 && keyType !== 1) return answer(ctx, ErrorCode.INVALID_REQUEST);
    const ready = keyType === 0
      ? await groups.coordinatorReady()
      : (await transactions?.(req.key)) ?? false;
    return answer(ctx, ready ? ErrorCode.NONE : ErrorCode.COORDINATOR_NOT_AVAILABLE);
  };
}

function answer(ctx: RequestContext, errorCode: number): FindCoordinatorResponse {
  const me = ctx.broker.brokers.find((b) => b.id === ctx.broker.brokerId);
  const ok = errorCode === ErrorCode.NONE && me !== undefined;
  const code = errorCode === ErrorCode.NONE && !ok
    ? ErrorCode.COORDINATOR_NOT_AVAILABLE
    : errorCode;
  return {
    throttleTimeMs: 0,
    errorCode: code,
    errorMessage: errorMessage(code),
    nodeId: ok ? me.id : -1,
    host: ok ? me.host : "",
    port: ok ? me.port : -1,
  };
}
