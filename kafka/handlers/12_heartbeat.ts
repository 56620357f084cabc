/**
 * Heartbeat (key 12), v0–v4: answered at once; REBALANCE_IN_PROGRESS tells a member to rejoin.
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import type { HeartbeatRequest, HeartbeatResponse } from "../protocol/messages/heartbeat.ts";
import type { Handler } from "./handler.ts";

/**
 * The Heartbeat handler.
 *
 * @example
 * ```ts ignore
 * registry.register(12, heartbeatHandler(groups));
 * ```
 */
export function heartbeatHandler(
  groups: GroupCoordinator,
): Handler<HeartbeatRequest, HeartbeatResponse> {
  return (req, ctx) => ({
    throttleTimeMs: 0,
    errorCode: groups.heartbeat({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: ctx.apiVersion >= 3 ? req.groupInstanceId ?? null : null,
    }),
  });
}
