/**
 * herd's Kafka request handlers, one file per API key, and the registry the broker dispatches
 * through.
 *
 * @module
 */
import { handleApiVersions } from "./18_api_versions.ts";
import { handleMetadata } from "./03_metadata.ts";
import { HandlerRegistry } from "./registry.ts";
import { handleDescribeCluster } from "./60_describe_cluster.ts";
import { handleListPartitionReassignments } from "./46_list_partition_reassignments.ts";
import { handleLeaderAndIsr } from "./04_leader_and_isr.ts";
import { handleStopReplica } from "./05_stop_replica.ts";
import { handleUpdateMetadata } from "./06_update_metadata.ts";
import { handleControlledShutdown } from "./07_controlled_shutdown.ts";
import { handleDescribeAcls } from "./29_describe_acls.ts";
import { handleCreateAcls } from "./30_create_acls.ts";
import { handleDeleteAcls } from "./31_delete_acls.ts";

export { type Handler, NO_RESPONSE, type RequestContext } from "./handler.ts";
export { HandlerRegistry } from "./registry.ts";
export { handleApiVersions } from "./18_api_versions.ts";
export { handleDescribeCluster } from "./60_describe_cluster.ts";
export { handleListPartitionReassignments } from "./46_list_partition_reassignments.ts";
export { handleMetadata, LEADER_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION } from "./03_metadata.ts";

/**
 * The registry of every handler built so far.
 *
 * @example
 * ```ts
 * defaultHandlers().keys(); // [3, 4, 5, 6, 7, 18, 29, 30, 31, 46, 60]
 * ```
 */
export function defaultHandlers(): HandlerRegistry {
  return new HandlerRegistry()
    .register(3, handleMetadata)
    .register(4, handleLeaderAndIsr)
    .register(5, handleStopReplica)
    .register(6, handleUpdateMetadata)
    .register(7, handleControlledShutdown)
    .register(18, handleApiVersions)
    .register(29, handleDescribeAcls)
    .register(30, handleCreateAcls)
    .register(31, handleDeleteAcls)
    .register(46, handleListPartitionReassignments)
    .register(60, handleDescribeCluster);
}
