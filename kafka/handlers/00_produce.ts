/**
 * Produce (key 0), v0–v9, as a single Apache Kafka 2.8.2 broker answers it: each partition's
 * records are validated and appended by the partition's log (offsets assigned, CRCs checked,
 * timestamps per the topic), and the answer says where they went or Kafka's error for them,
 * per partition. acks=0 gets no answer at all; acks=1 and acks=all are answered once the log
 * holds the records as its flush settings promise (on one broker the two are the same wait);
 * any other acks is INVALID_REQUIRED_ACKS for every partition.
 *
 * @module
 */
import type {
  PartitionProduceResponse,
  ProduceRequest,
  ProduceResponse,
  TopicProduceResponse,
} from "../protocol/messages/produce.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { AppendOutcome, ReplicaManager } from "../server/replica_manager.ts";
import { type Handler, NO_RESPONSE } from "./handler.ts";

/**
 * The Produce handler over `replicas`.
 *
 * @example
 * ```ts ignore
 * registry.register(0, produceHandler(replicaManager));
 * ```
 */
export function produceHandler(replicas: ReplicaManager): Handler<ProduceRequest, ProduceResponse> {
  return (request) => {
    const acks = request.acks;
    if (acks !== 0 && acks !== 1 && acks !== -1) {
      return answer(request, () => failed(ErrorCode.INVALID_REQUIRED_ACKS));
    }
    // Appends start now, in request order. Records are views of the connection's read buffer,
    // which the next read reuses (and moves a partial frame into) before a log's queued write
    // runs: each partition's records are copied once here, the only copy on the way to disk.
    const outcomes: (Promise<AppendOutcome> | AppendOutcome)[] = [];
    for (const t of request.topicData) {
      for (const p of t.partitionData) {
        outcomes.push(
          p.records === null || p.records.length === 0
            ? failed(ErrorCode.INVALID_RECORD, "Produce request has no records")
            : replicas.append(t.name, p.index, p.records.slice(), acks).catch(storageError),
        );
      }
    }
    const done = Promise.all(outcomes);
    if (acks === 0) {
      // Kafka sends nothing back; a failed append closes nothing either (2.8 would close the
      // connection to tell the client, which cannot read an answer: herd logs it in the log).
      return done.then(() => NO_RESPONSE);
    }
    return done.then((results) => {
      let i = 0;
      return answer(request, () => results[i++]);
    });
  };
}

/** Builds the response in request order, taking each partition's outcome from `next`. */
function answer(request: ProduceRequest, next: () => AppendOutcome): ProduceResponse {
  const responses: TopicProduceResponse[] = [];
  for (const t of request.topicData) {
    const partitionResponses: PartitionProduceResponse[] = [];
    for (const p of t.partitionData) {
      const o = next();
      partitionResponses.push(
        o.ok
          ? {
            index: p.index,
            errorCode: ErrorCode.NONE,
            baseOffset: o.info.baseOffset,
            logAppendTimeMs: o.info.logAppendTime,
            logStartOffset: o.info.logStartOffset,
            recordErrors: [],
            errorMessage: null,
          }
          : {
            index: p.index,
            errorCode: o.errorCode,
            baseOffset: -1,
            logAppendTimeMs: -1,
            logStartOffset: -1,
            recordErrors: o.recordErrors.map((r) => ({
              batchIndex: r.batchIndex,
              batchIndexErrorMessage: r.message,
            })),
            errorMessage: o.errorMessage,
          },
      );
    }
    responses.push({ name: t.name, partitionResponses });
  }
  return { responses, throttleTimeMs: 0 };
}

function failed(errorCode: number, errorMessage: string | null = null): AppendOutcome {
  return { ok: false, errorCode, errorMessage, recordErrors: [] };
}

/** A log that cannot write (disk gone) answers KAFKA_STORAGE_ERROR, as Kafka does. */
function storageError(e: unknown): AppendOutcome {
  return failed(ErrorCode.KAFKA_STORAGE_ERROR, e instanceof Error ? e.message : String(e));
}
