/**
 * DescribeProducers (key 61, v0): the active producers of partitions this broker leads, from
 * each partition log's producer state (what its `.snapshot` files hold), as 2.8.2 answers
 * (measured): per producer its id, epoch, last sequence, last timestamp, coordinator epoch (-1
 * before any transaction marker) and the first offset of its open transaction (-1 when none),
 * in the order the producer state keeps them (2.8's hash map order, the order a snapshot
 * writes). An unknown partition → UNKNOWN_TOPIC_OR_PARTITION, one led elsewhere →
 * NOT_LEADER_OR_FOLLOWER, both with a null message. Topics and partitions are answered as asked,
 * duplicates included.
 *
 * @module
 */
import type {
  DescribeProducersRequest,
  DescribeProducersResponse,
  PartitionResponse,
} from "../protocol/messages/describe_producers.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { ProducerStateEntry } from "../log/producer_state.ts";
import type { Handler } from "./handler.ts";

/** What the handler needs: a led partition's producers, or why there are none to tell. */
export interface ProducerSource {
  producersOf(topic: string, partition: number): ProducerStateEntry[] | { errorCode: number };
}

/** A producer's last sequence: that of its newest retained batch, -1 with none. */
function lastSequence(e: ProducerStateEntry): number {
  return e.batches.length === 0 ? -1 : e.batches[e.batches.length - 1].lastSeq;
}

/** The handler over `source`. */
export function describeProducersHandler(
  source: ProducerSource,
): Handler<DescribeProducersRequest, DescribeProducersResponse> {
  const partition = (topic: string, partitionIndex: number): PartitionResponse => {
    const got = source.producersOf(topic, partitionIndex);
    if (!Array.isArray(got)) {
      return { partitionIndex, errorCode: got.errorCode, errorMessage: null, activeProducers: [] };
    }
    return {
      partitionIndex,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      activeProducers: got.map((e) => ({
        producerId: e.producerId,
        producerEpoch: e.producerEpoch,
        lastSequence: lastSequence(e),
        lastTimestamp: e.lastTimestamp,
        coordinatorEpoch: e.coordinatorEpoch,
        currentTxnStartOffset: e.currentTxnFirstOffset,
      })),
    };
  };
  return (request) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => partition(t.name, p)),
    })),
  });
}
