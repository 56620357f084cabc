/**
 * The APIs Apache Kafka 2.8.2 advertises in its ApiVersions response (ZooKeeper mode, one broker)
 * and their version ranges, exactly: recorded from Apache 2.8.2 on this machine
 * (`../shared/reference/kafka/apache-2.8.2.md`, "API versions Apache 2.8.2 advertises", and
 * the ApiVersions answers in fixtures/apache-2.8.2-probes.json). The names are 2.8.2's `ApiKeys.name`: key 56 is
 * AlterIsr, which later Kafka renamed AlterPartition. The keys 2.8.2 knows but does not advertise
 * in ZooKeeper mode (52–55 KRaft quorum, 58 Envelope, 59 FetchSnapshot, 62–64) are absent.
 *
 * @module
 */

/** One advertised API: key, Kafka's name for it, and the versions 2.8.2 serves. */
export interface ApiVersionRange {
  /** The API key. */
  readonly apiKey: number;
  /** Kafka 2.8.2's name for it. */
  readonly name: string;
  /** Lowest version served. */
  readonly minVersion: number;
  /** Highest version served. */
  readonly maxVersion: number;
}

const RANGES: ReadonlyArray<readonly [number, string, number]> = [
  [0, "Produce", 9],
  [1, "Fetch", 12],
  [2, "ListOffsets", 6],
  [3, "Metadata", 11],
  [4, "LeaderAndIsr", 5],
  [5, "StopReplica", 3],
  [6, "UpdateMetadata", 7],
  [7, "ControlledShutdown", 3],
  [8, "OffsetCommit", 8],
  [9, "OffsetFetch", 7],
  [10, "FindCoordinator", 3],
  [11, "JoinGroup", 7],
  [12, "Heartbeat", 4],
  [13, "LeaveGroup", 4],
  [14, "SyncGroup", 5],
  [15, "DescribeGroups", 5],
  [16, "ListGroups", 4],
  [17, "SaslHandshake", 1],
  [18, "ApiVersions", 3],
  [19, "CreateTopics", 7],
  [20, "DeleteTopics", 6],
  [21, "DeleteRecords", 2],
  [22, "InitProducerId", 4],
  [23, "OffsetForLeaderEpoch", 4],
  [24, "AddPartitionsToTxn", 3],
  [25, "AddOffsetsToTxn", 3],
  [26, "EndTxn", 3],
  [27, "WriteTxnMarkers", 1],
  [28, "TxnOffsetCommit", 3],
  [29, "DescribeAcls", 2],
  [30, "CreateAcls", 2],
  [31, "DeleteAcls", 2],
  [32, "DescribeConfigs", 4],
  [33, "AlterConfigs", 2],
  [34, "AlterReplicaLogDirs", 2],
  [35, "DescribeLogDirs", 2],
  [36, "SaslAuthenticate", 2],
  [37, "CreatePartitions", 3],
  [38, "CreateDelegationToken", 2],
  [39, "RenewDelegationToken", 2],
  [40, "ExpireDelegationToken", 2],
  [41, "DescribeDelegationToken", 2],
  [42, "DeleteGroups", 2],
  [43, "ElectLeaders", 2],
  [44, "IncrementalAlterConfigs", 1],
  [45, "AlterPartitionReassignments", 0],
  [46, "ListPartitionReassignments", 0],
  [47, "OffsetDelete", 0],
  [48, "DescribeClientQuotas", 1],
  [49, "AlterClientQuotas", 1],
  [50, "DescribeUserScramCredentials", 0],
  [51, "AlterUserScramCredentials", 0],
  [56, "AlterIsr", 0],
  [57, "UpdateFeatures", 0],
  [60, "DescribeCluster", 0],
  [61, "DescribeProducers", 0],
];

/** Apache Kafka 2.8.2's advertised APIs, in key order (the order its ApiVersions lists them). */
export const APACHE_2_8_2_APIS: readonly ApiVersionRange[] = RANGES.map((
  [apiKey, name, maxVersion],
) => ({ apiKey, name, minVersion: 0, maxVersion }));
