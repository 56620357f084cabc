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
 * defaultHandlers().keys(); // [3, 18, 46, 60]
 * ```
 */
export function defaultHandlers(): HandlerRegistry {
  return new HandlerRegistry()
    .register(3, handleMetadata)
    .register(18, handleApiVersions)
    .register(46, handleListPartitionReassignments)
    .register(60, handleDescribeCluster);
}
