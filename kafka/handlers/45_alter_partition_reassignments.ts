/**
 * AlterPartitionReassignments (key 45, v0) as the 2.8.2 controller of a one-broker cluster
 * answers it (KafkaController's API reassignment, measured against Apache 2.8.2):
 *
 * - a cancellation (`replicas: null`): NO_REASSIGNMENT_IN_PROGRESS (85), known topic or not —
 *   herd never has a reassignment in progress;
 * - a target list that fails validation, checked in Kafka's order: empty, duplicate ids,
 *   a negative id, a broker that is not alive → INVALID_REPLICA_ASSIGNMENT (39) with Kafka's
 *   message (Scala's `ArrayBuffer(…)`/`Set(…)` renderings included);
 * - an unknown partition: UNKNOWN_TOPIC_OR_PARTITION, "The partition does not exist.";
 * - otherwise the target can only be the partition's current replicas (the one live broker):
 *   NONE. Apache then runs a no-op reassignment that bumps the leader epoch; herd changes
 *   nothing (its controller applies no reassignment), which `kafka-reassign-partitions.sh`
 *   cannot tell apart: `--verify` finds no reassignment in progress and the replicas as asked.
 *
 * A partition named twice counts once, its last entry winning (Kafka reads the request into a
 * map). Results are grouped by topic in request order (Apache's follow a Scala hash map's).
 *
 * @module
 */
import type {
  AlterPartitionReassignmentsRequest,
  AlterPartitionReassignmentsResponse,
  ReassignablePartitionResponse,
} from "../protocol/messages/alter_partition_reassignments.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { BrokerState } from "../server/broker_state.ts";
import type { RequestContext } from "./handler.ts";
import { NO_SUCH_PARTITION } from "./43_elect_leaders.ts";

/** Scala's rendering of the replica list a request carries (`ArrayBuffer(1, 2)`). */
const buffer = (ids: readonly number[]) => `ArrayBuffer(${ids.join(", ")})`;

/** KafkaController.validateReplicas: the error for a target list, or undefined when valid. */
export function validateReplicas(
  replicas: readonly number[],
  live: readonly number[],
): string | undefined {
  if (replicas.length === 0) return "Empty replica list specified in partition reassignment.";
  if (new Set(replicas).size !== replicas.length) {
    return `Duplicate replica ids in partition reassignment replica list: ${buffer(replicas)}`;
  }
  if (replicas.some((r) => r < 0)) return `Invalid broker id in replica list: ${buffer(replicas)}`;
  const dead = replicas.filter((r) => !live.includes(r));
  if (dead.length > 0) {
    // Kafka names only the replicas that are not alive (measured: [1, 2] → ArrayBuffer(2)).
    return `Replica assignment has brokers that are not alive. Replica list: ${
      buffer(dead)
    }, live broker list: Set(${live.join(", ")})`;
  }
  return undefined;
}

function answer(
  state: BrokerState,
  topic: string,
  partitionIndex: number,
  replicas: readonly number[] | null,
): ReassignablePartitionResponse {
  if (replicas === null) {
    return {
      partitionIndex,
      errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
      errorMessage: "No partition reassignment is in progress.",
    };
  }
  const invalid = validateReplicas(replicas, state.brokers.map((b) => b.id));
  if (invalid !== undefined) {
    return {
      partitionIndex,
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      errorMessage: invalid,
    };
  }
  const p = state.topics.get(topic)?.partitions.find((x) => x.partition === partitionIndex);
  if (!p) {
    return {
      partitionIndex,
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: NO_SUCH_PARTITION,
    };
  }
  return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null };
}

/** Answers AlterPartitionReassignments; nothing is reassigned. */
export function handleAlterPartitionReassignments(
  request: AlterPartitionReassignmentsRequest,
  ctx: RequestContext,
): AlterPartitionReassignmentsResponse {
  const byTopic = new Map<string, Map<number, number[] | null>>();
  for (const t of request.topics) {
    const m = byTopic.get(t.name) ?? new Map<number, number[] | null>();
    for (const p of t.partitions) m.set(p.partitionIndex, p.replicas);
    byTopic.set(t.name, m);
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    // Apache sends an empty string here, not null (measured).
    errorMessage: "",
    responses: [...byTopic].map(([name, parts]) => ({
      name,
      partitions: [...parts].map(([i, replicas]) => answer(ctx.broker, name, i, replicas)),
    })),
  };
}
