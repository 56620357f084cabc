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
import { handleSaslHandshake } from "./17_sasl_handshake.ts";
import { handleSaslAuthenticate } from "./36_sasl_authenticate.ts";
import { handleCreateDelegationToken } from "./38_create_delegation_token.ts";
import { handleRenewDelegationToken } from "./39_renew_delegation_token.ts";
import { handleExpireDelegationToken } from "./40_expire_delegation_token.ts";
import { handleDescribeDelegationToken } from "./41_describe_delegation_token.ts";
import { handleElectLeaders } from "./43_elect_leaders.ts";
import { handleAlterPartitionReassignments } from "./45_alter_partition_reassignments.ts";
import { handleUpdateFeatures } from "./57_update_features.ts";

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
 * defaultHandlers().keys(); // [3, 4, 5, 6, 7, 17, 18, 29, 30, 31, 36, 38, 39, 40, 41, 43, 45, 46, 57, 60]
 * ```
 */
export function defaultHandlers(): HandlerRegistry {
  return new HandlerRegistry()
    .register(3, handleMetadata)
    .register(4, handleLeaderAndIsr)
    .register(5, handleStopReplica)
    .register(6, handleUpdateMetadata)
    .register(7, handleControlledShutdown)
    .register(17, handleSaslHandshake)
    .register(18, handleApiVersions)
    .register(29, handleDescribeAcls)
    .register(30, handleCreateAcls)
    .register(31, handleDeleteAcls)
    .register(36, handleSaslAuthenticate)
    .register(38, handleCreateDelegationToken)
    .register(39, handleRenewDelegationToken)
    .register(40, handleExpireDelegationToken)
    .register(41, handleDescribeDelegationToken)
    .register(43, handleElectLeaders)
    .register(45, handleAlterPartitionReassignments)
    .register(46, handleListPartitionReassignments)
    .register(57, handleUpdateFeatures)
    .register(60, handleDescribeCluster);
}
