/**
 * ElectLeaders (key 43, v0–v2) on one broker. Every partition's only replica is this broker, and
 * it leads, so no election is ever needed: each partition asked for gets ELECTION_NOT_NEEDED
 * (84, "Leader election not needed for topic partition."), an unknown one
 * UNKNOWN_TOPIC_OR_PARTITION ("The partition does not exist."), for preferred and unclean
 * elections alike; `topicPartitions: null` ("every partition", what
 * `kafka-leader-election.sh --all-topic-partitions` sends) answers only the partitions an
 * election would change, which is none. A partition whose leader is not its first replica
 * (replicas on a broker that is gone) gets PREFERRED_LEADER_NOT_AVAILABLE, as the controller
 * answers when the preferred replica is not alive. Measured against Apache 2.8.2.
 *
 * Results are grouped by topic in request order (Apache's follow a Scala hash map's; the Java
 * admin client keys them by partition, so its tools print the same either way).
 *
 * @module
 */
import type {
  ElectLeadersRequest,
  ElectLeadersResponse,
  PartitionResult,
} from "../protocol/messages/elect_leaders.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { BrokerState } from "../server/broker_state.ts";
import type { RequestContext } from "./handler.ts";

/** Kafka's PREFERRED_LEADER_NOT_AVAILABLE. */
const PREFERRED_LEADER_NOT_AVAILABLE = 80;
/** The messages Apache 2.8.2 sends (measured). */
export const NOT_NEEDED = "Leader election not needed for topic partition.";
/** The message for a partition the controller does not know. */
export const NO_SUCH_PARTITION = "The partition does not exist.";

const STRATEGY = [
  "PreferredReplicaPartitionLeaderElectionStrategy",
  "UncleanLeaderElectionStrategy",
];

function result(
  state: BrokerState,
  topic: string,
  partition: number,
  electionType: number,
): PartitionResult {
  const p = state.topics.get(topic)?.partitions.find((x) => x.partition === partition);
  if (!p) {
    return {
      partitionId: partition,
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: NO_SUCH_PARTITION,
    };
  }
  if (p.leader === p.replicas[0] || (electionType === 1 && p.leader >= 0)) {
    return {
      partitionId: partition,
      errorCode: ErrorCode.ELECTION_NOT_NEEDED,
      errorMessage: NOT_NEEDED,
    };
  }
  return {
    partitionId: partition,
    errorCode: PREFERRED_LEADER_NOT_AVAILABLE,
    errorMessage: `Failed to elect leader for partition ${topic}-${partition} under strategy ${
      STRATEGY[electionType] ?? STRATEGY[0]
    }`,
  };
}

/** Answers ElectLeaders from the broker's view of its partitions. */
export function handleElectLeaders(
  request: ElectLeadersRequest,
  ctx: RequestContext,
): ElectLeadersResponse {
  const electionType = request.electionType ?? 0;
  const byTopic = new Map<string, Set<number>>();
  if (request.topicPartitions === null) {
    // Every partition: only those an election would change are answered.
    for (const t of ctx.broker.topics.values()) {
      for (const p of t.partitions) {
        const needed = electionType === 1 ? p.leader < 0 : p.leader !== p.replicas[0];
        if (needed) byTopic.set(t.name, (byTopic.get(t.name) ?? new Set()).add(p.partition));
      }
    }
  } else {
    for (const t of request.topicPartitions) {
      const set = byTopic.get(t.topic) ?? new Set<number>();
      for (const p of t.partitions) set.add(p);
      byTopic.set(t.topic, set);
    }
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    replicaElectionResults: [...byTopic].filter(([, ps]) => ps.size > 0).map(([topic, ps]) => ({
      topic,
      partitionResult: [...ps].map((p) => result(ctx.broker, topic, p, electionType)),
    })),
  };
}
