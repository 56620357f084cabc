/**
 * AlterIsr (key 56, v0): a partition leader asks the controller to change an ISR. herd's broker
 * is its own controller and never sends one; in a one-broker cluster any other sender is a
 * broker that is not registered, so 2.8.2's answer is STALE_BROKER_EPOCH (77) with no topics
 * (measured: also for broker id 2, or this broker's id with another epoch). With this broker's
 * own id and epoch the controller's per-partition checks apply: unknown partition →
 * UNKNOWN_TOPIC_OR_PARTITION; a leader epoch behind the partition's → FENCED_LEADER_EPOCH; the
 * state it already has (leader = sender, same epoch and ISR) → NONE with that state. A real
 * change (the ISR of a one-replica partition can only shrink to nothing) is not applied: herd's
 * controller writes no ISR change, and answers INVALID_UPDATE_VERSION (95), what Kafka answers
 * when the partition's znode moved under the request, so a sender refreshes and retries.
 *
 * @module
 */
import type {
  AlterIsrRequest,
  AlterIsrResponse,
  AlterIsrResponsePartitionData,
  PartitionData,
} from "../protocol/messages/alter_isr.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { BrokerState } from "../server/broker_state.ts";
import type { Handler } from "./handler.ts";

function partitionAnswer(
  state: BrokerState,
  topic: string,
  brokerId: number,
  d: PartitionData,
): AlterIsrResponsePartitionData {
  const p = state.topics.get(topic)?.partitions.find((x) => x.partition === d.partitionIndex);
  const error = (errorCode: number) => ({
    partitionIndex: d.partitionIndex,
    errorCode,
    leaderId: 0,
    leaderEpoch: 0,
    isr: [],
    partitionEpoch: 0,
  });
  if (!p) return error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (d.leaderEpoch < p.leaderEpoch) return error(ErrorCode.FENCED_LEADER_EPOCH);
  const same = p.leader === brokerId && d.leaderEpoch === p.leaderEpoch &&
    d.newIsr.length === p.isr.length && d.newIsr.every((r, i) => r === p.isr[i]);
  if (!same) return error(ErrorCode.INVALID_UPDATE_VERSION);
  return {
    partitionIndex: d.partitionIndex,
    errorCode: ErrorCode.NONE,
    leaderId: p.leader,
    leaderEpoch: p.leaderEpoch,
    isr: [...p.isr],
    partitionEpoch: d.partitionEpoch,
  };
}

/** The handler; `brokerEpoch()` is this broker's registration czxid (undefined before it). */
export function alterIsrHandler(
  brokerEpoch: () => number | undefined,
): Handler<AlterIsrRequest, AlterIsrResponse> {
  return (request, ctx) => {
    const own = brokerEpoch();
    if (
      request.brokerId !== ctx.broker.brokerId || own === undefined || request.brokerEpoch !== own
    ) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.STALE_BROKER_EPOCH, topics: [] };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      topics: request.topics.map((t) => ({
        topicName: t.topicName,
        partitions: t.partitions.map((d) =>
          partitionAnswer(ctx.broker, t.topicName, request.brokerId, d)
        ),
      })),
    };
  };
}
