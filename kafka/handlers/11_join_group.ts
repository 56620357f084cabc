/**
 * JoinGroup (key 11), v0–v7: answered when the group's rebalance completes. v0 has no rebalance
 * timeout (the session timeout serves), v4+ clients are first handed a member id
 * (MEMBER_ID_REQUIRED), v5+ may be static members, and before v7 a missing protocol name is
 * written as "" (KafkaApis does the same).
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import type { JoinGroupRequest, JoinGroupResponse } from "../protocol/messages/join_group.ts";
import { clientHostOf } from "./_group_common.ts";
import type { Handler } from "./handler.ts";

/**
 * The JoinGroup handler.
 *
 * @example
 * ```ts ignore
 * registry.register(11, joinGroupHandler(groups));
 * ```
 */
export function joinGroupHandler(
  groups: GroupCoordinator,
): Handler<JoinGroupRequest, JoinGroupResponse> {
  return async (req, ctx) => {
    const v = ctx.apiVersion;
    const r = await groups.joinGroup({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: v >= 5 ? req.groupInstanceId ?? null : null,
      clientId: ctx.header.clientId ?? "",
      clientHost: clientHostOf(ctx),
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: v === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs ?? -1,
      protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      requireKnownMemberId: v >= 4,
    });
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      generationId: r.generationId,
      protocolType: r.protocolType,
      protocolName: v >= 7 ? r.protocolName : r.protocolName ?? "",
      leader: r.leader,
      memberId: r.memberId,
      members: r.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        metadata: m.metadata,
      })),
    };
  };
}
