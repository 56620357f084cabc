/**
 * DescribeGroups (key 15), v0–v5: each group's state, protocol and members; member metadata and
 * assignments only for a Stable group; a group the coordinator does not know is "Dead".
 * authorizedOperations (v3+) is Integer.MIN_VALUE unless asked for; herd has no authorizer, so
 * asked-for operations are everything a group supports (READ, DESCRIBE, DELETE).
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import type {
  DescribeGroupsRequest,
  DescribeGroupsResponse,
} from "../protocol/messages/describe_groups.ts";
import type { Handler } from "./handler.ts";

/** AclOperation codes READ (3), DELETE (6), DESCRIBE (8) as a bit field. */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

/**
 * The DescribeGroups handler.
 *
 * @example
 * ```ts ignore
 * registry.register(15, describeGroupsHandler(groups));
 * ```
 */
export function describeGroupsHandler(
  groups: GroupCoordinator,
): Handler<DescribeGroupsRequest, DescribeGroupsResponse> {
  return (req) => ({
    throttleTimeMs: 0,
    groups: req.groups.map((id) => {
      const d = groups.describeGroup(id);
      return {
        errorCode: d.errorCode,
        groupId: d.groupId,
        groupState: d.state,
        protocolType: d.protocolType,
        protocolData: d.protocolData,
        members: d.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
        authorizedOperations: req.includeAuthorizedOperations ? GROUP_OPERATIONS : -2147483648,
      };
    }),
  });
}
