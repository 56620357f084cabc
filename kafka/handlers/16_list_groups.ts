/**
 * ListGroups (key 16), v0–v4: every group this broker coordinates, in Apache's (hash) order;
 * v4 filters by state and reports each group's state.
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import type { ListGroupsRequest, ListGroupsResponse } from "../protocol/messages/list_groups.ts";
import type { Handler } from "./handler.ts";

/**
 * The ListGroups handler.
 *
 * @example
 * ```ts ignore
 * registry.register(16, listGroupsHandler(groups));
 * ```
 */
export function listGroupsHandler(
  groups: GroupCoordinator,
): Handler<ListGroupsRequest, ListGroupsResponse> {
  return (req, ctx) => {
    const r = groups.listGroups(ctx.apiVersion >= 4 ? req.statesFilter ?? [] : []);
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      groups: r.groups.map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType,
        groupState: g.state,
      })),
    };
  };
}
