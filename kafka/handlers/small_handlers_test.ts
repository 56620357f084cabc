import assert from "node:assert/strict";
import { staticBrokerState } from "../server/broker_state.ts";
import { AUTHORIZED_OPERATIONS_OMITTED, handleDescribeCluster } from "./60_describe_cluster.ts";
import { handleListPartitionReassignments } from "./46_list_partition_reassignments.ts";
import { leaderEpochError } from "./_leader_epoch.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { RequestContext } from "./handler.ts";

const ctx = (): RequestContext => ({
  apiVersion: 0,
  header: { requestApiKey: 60, requestApiVersion: 0, correlationId: 1, clientId: "t" },
  broker: staticBrokerState({ brokerId: 3, host: "h", port: 9, clusterId: "cid", topics: {} }),
});

Deno.test("DescribeCluster lists the state's brokers, controller and cluster id", () => {
  const r = handleDescribeCluster({ includeClusterAuthorizedOperations: false }, ctx());
  assert.equal(r.clusterId, "cid");
  assert.equal(r.controllerId, 3);
  assert.deepEqual(r.brokers, [{ brokerId: 3, host: "h", port: 9, rack: null }]);
  assert.equal(r.clusterAuthorizedOperations, AUTHORIZED_OPERATIONS_OMITTED);
  // Asked for: ALTER, CREATE, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS,
  // IDEMPOTENT_WRITE (AclOperation codes 4, 7-12).
  const asked = handleDescribeCluster({ includeClusterAuthorizedOperations: true }, ctx());
  assert.equal(asked.clusterAuthorizedOperations, 0b1_1111_1001_0000);
});

Deno.test("ListPartitionReassignments: none in progress on one broker", () => {
  const r = handleListPartitionReassignments({ timeoutMs: 1, topics: null });
  assert.deepEqual(r.topics, []);
  assert.equal(r.errorCode, 0);
});

Deno.test("the leader-epoch check fences older epochs and flags newer ones", () => {
  assert.equal(leaderEpochError(undefined, 4), ErrorCode.NONE);
  assert.equal(leaderEpochError(-1, 4), ErrorCode.NONE);
  assert.equal(leaderEpochError(4, 4), ErrorCode.NONE);
  assert.equal(leaderEpochError(3, 4), ErrorCode.FENCED_LEADER_EPOCH);
  assert.equal(leaderEpochError(5, 4), ErrorCode.UNKNOWN_LEADER_EPOCH);
});
