/**
 * DeleteGroups (key 42), v0–v2: Empty groups are deleted with their offsets (tombstones in
 * `__consumer_offsets`); others get NON_EMPTY_GROUP, unknown ones GROUP_ID_NOT_FOUND.
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
} from "../protocol/messages/delete_groups.ts";
import type { Handler } from "./handler.ts";

/**
 * The DeleteGroups handler.
 *
 * @example
 * ```ts ignore
 * registry.register(42, deleteGroupsHandler(groups));
 * ```
 */
export function deleteGroupsHandler(
  groups: GroupCoordinator,
): Handler<DeleteGroupsRequest, DeleteGroupsResponse> {
  return async (req) => {
    const errors = await groups.deleteGroups(req.groupsNames);
    return {
      throttleTimeMs: 0,
      results: req.groupsNames.map((groupId, i) => ({ groupId, errorCode: errors[i] })),
    };
  };
}
