/**
 * DescribeCluster (key 60), v0: the cluster id, the controller and the live brokers, as the
 * Java AdminClient asks for them (kafka-topics --bootstrap-server and kafka-configs use it).
 * `cluster_authorized_operations` is Int.MinValue unless asked for, as Apache answers; asked,
 * it lists every cluster operation, since herd has no authorizer (Apache without one does too).
 *
 * @module
 */
import type {
  DescribeClusterRequest,
  DescribeClusterResponse,
} from "../protocol/messages/describe_cluster.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { RequestContext } from "./handler.ts";

/** Kafka's "not asked" value for authorized operations. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/**
 * The cluster operations (AclOperation codes ALTER 4, CREATE 7, DESCRIBE 8, CLUSTER_ACTION 9,
 * DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12) as a bit field.
 */
const CLUSTER_OPERATIONS = [4, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0);

/**
 * Answers DescribeCluster from the broker's state.
 *
 * @example
 * ```ts ignore
 * registry.register(60, handleDescribeCluster);
 * ```
 */
export function handleDescribeCluster(
  request: DescribeClusterRequest,
  ctx: RequestContext,
): DescribeClusterResponse {
  const s = ctx.broker;
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    clusterId: s.clusterId ?? "",
    controllerId: s.controllerId,
    brokers: s.brokers.map((b) => ({ brokerId: b.id, host: b.host, port: b.port, rack: b.rack })),
    clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
      ? CLUSTER_OPERATIONS
      : AUTHORIZED_OPERATIONS_OMITTED,
  };
}
