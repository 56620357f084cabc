/**
 * LeaveGroup (key 13), v0–v4: v0–v2 name one member and carry its error at the top; v3+ name a
 * batch (by member id, or by group.instance.id alone to remove a static member) and answer each.
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import { ErrorCode } from "../group/errors.ts";
import type { LeaveGroupRequest, LeaveGroupResponse } from "../protocol/messages/leave_group.ts";
import type { Handler } from "./handler.ts";

/**
 * The LeaveGroup handler.
 *
 * @example
 * ```ts ignore
 * registry.register(13, leaveGroupHandler(groups));
 * ```
 */
export function leaveGroupHandler(
  groups: GroupCoordinator,
): Handler<LeaveGroupRequest, LeaveGroupResponse> {
  return async (req, ctx) => {
    const batch = ctx.apiVersion >= 3;
    const members = batch
      ? (req.members ?? []).map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
      }))
      : [{ memberId: req.memberId ?? "", groupInstanceId: null }];
    const r = await groups.leaveGroup({ groupId: req.groupId, members });
    if (batch) {
      return {
        throttleTimeMs: 0,
        errorCode: r.errorCode,
        members: r.errorCode !== ErrorCode.NONE ? [] : members.map((m, i) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          errorCode: r.memberErrors[i],
        })),
      };
    }
    const memberError = r.memberErrors.find((e) => e !== ErrorCode.NONE) ?? ErrorCode.NONE;
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode !== ErrorCode.NONE ? r.errorCode : memberError,
    };
  };
}
