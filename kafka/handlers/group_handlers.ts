/**
 * The group coordinator's eleven APIs, registered together: OffsetCommit (8), OffsetFetch (9),
 * FindCoordinator (10), JoinGroup (11), Heartbeat (12), LeaveGroup (13), SyncGroup (14),
 * DescribeGroups (15), ListGroups (16), DeleteGroups (42), OffsetDelete (47).
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import type { HandlerRegistry } from "./registry.ts";
import { offsetCommitHandler } from "./08_offset_commit.ts";
import { offsetFetchHandler } from "./09_offset_fetch.ts";
import { findCoordinatorHandler } from "./10_find_coordinator.ts";
import { joinGroupHandler } from "./11_join_group.ts";
import { heartbeatHandler } from "./12_heartbeat.ts";
import { leaveGroupHandler } from "./13_leave_group.ts";
import { syncGroupHandler } from "./14_sync_group.ts";
import { describeGroupsHandler } from "./15_describe_groups.ts";
import { listGroupsHandler } from "./16_list_groups.ts";
import { deleteGroupsHandler } from "./42_delete_groups.ts";
import { offsetDeleteHandler } from "./47_offset_delete.ts";

/**
 * Registers the group APIs over `groups`; `transactions` answers FindCoordinator for a
 * transactional id (key type 1) once the transaction coordinator exists.
 */
export function registerGroupHandlers(
  registry: HandlerRegistry,
  groups: GroupCoordinator,
  transactions?: (transactionalId: string) => Promise<boolean>,
): HandlerRegistry {
  return registry
    .register(8, offsetCommitHandler(groups))
    .register(9, offsetFetchHandler(groups))
    .register(10, findCoordinatorHandler(groups, transactions))
    .register(11, joinGroupHandler(groups))
    .register(12, heartbeatHandler(groups))
    .register(13, leaveGroupHandler(groups))
    .register(14, syncGroupHandler(groups))
    .register(15, describeGroupsHandler(groups))
    .register(16, listGroupsHandler(groups))
    .register(42, deleteGroupsHandler(groups))
    .register(47, offsetDeleteHandler(groups));
}
