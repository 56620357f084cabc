/**
 * SyncGroup (key 14), v0–v5: the leader sends the assignment; every member's answer waits until
 * it is stored in `__consumer_offsets`. v5 carries the protocol type and name both ways.
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import type { SyncGroupRequest, SyncGroupResponse } from "../protocol/messages/sync_group.ts";
import type { Handler } from "./handler.ts";

/**
 * The SyncGroup handler.
 *
 * @example
 * ```ts ignore
 * registry.register(14, syncGroupHandler(groups));
 * ```
 */
export function syncGroupHandler(
  groups: GroupCoordinator,
): Handler<SyncGroupRequest, SyncGroupResponse> {
  return async (req, ctx) => {
    const v = ctx.apiVersion;
    const r = await groups.syncGroup({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: v >= 3 ? req.groupInstanceId ?? null : null,
      protocolType: v >= 5 ? req.protocolType ?? null : null,
      protocolName: v >= 5 ? req.protocolName ?? null : null,
      assignments: req.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
    });
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      protocolType: r.protocolType,
      protocolName: r.protocolName,
      assignment: r.assignment,
    };
  };
}
