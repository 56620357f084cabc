/**
 * AddPartitionsToTxn (key 24), v0–v3, as Kafka 2.8.2's KafkaApis answers it: every partition must
 * exist and not be internal, else the whole request fails, those partitions with
 * UNKNOWN_TOPIC_OR_PARTITION (TOPIC_AUTHORIZATION_FAILED for an internal topic, as Kafka's
 * authorizer check answers) and the others with OPERATION_NOT_ATTEMPTED; otherwise the transaction
 * coordinator adds them and every partition gets its one answer.
 *
 * @module
 */
import { ErrorCode } from "../protocol/error_codes.ts";
import type {
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
} from "../protocol/messages/add_partitions_to_txn.ts";
import type { TransactionCoordinator } from "../txn/coordinator.ts";
import { byTopic, partitionExists } from "./_group_common.ts";
import type { Handler } from "./handler.ts";
import { fencedForOldClients } from "./_txn_common.ts";

/** Kafka's TOPIC_AUTHORIZATION_FAILED and OPERATION_NOT_ATTEMPTED. */
const TOPIC_AUTHORIZATION_FAILED = 29;
const OPERATION_NOT_ATTEMPTED = 55;

/**
 * The AddPartitionsToTxn handler over the transaction coordinator.
 *
 * @example
 * ```ts ignore
 * registry.register(24, addPartitionsToTxnHandler(txns));
 * ```
 */
export function addPartitionsToTxnHandler(
  txns: TransactionCoordinator,
): Handler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> {
  return async (req, ctx) => {
    const all: { topic: string; partition: number; errorCode: number }[] = [];
    let failed = false;
    for (const t of req.v3AndBelowTopics) {
      for (const partition of t.partitions) {
        let errorCode: number = ErrorCode.NONE;
        if (ctx.broker.topics.get(t.name)?.isInternal) errorCode = TOPIC_AUTHORIZATION_FAILED;
        else if (!partitionExists(ctx, t.name, partition)) {
          errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (errorCode !== ErrorCode.NONE) failed = true;
        all.push({ topic: t.name, partition, errorCode });
      }
    }
    if (failed) {
      for (const p of all) {
        if (p.errorCode === ErrorCode.NONE) p.errorCode = OPERATION_NOT_ATTEMPTED;
      }
    } else {
      const code = await txns.addPartitions(
        req.v3AndBelowTransactionalId,
        req.v3AndBelowProducerId,
        req.v3AndBelowProducerEpoch,
        all,
      );
      for (const p of all) p.errorCode = fencedForOldClients(code, ctx.apiVersion < 2);
    }
    return {
      throttleTimeMs: 0,
      resultsByTopicV3AndBelow: [...byTopic(all)].map(([name, ps]) => ({
        name,
        resultsByPartition: ps.map((p) => ({
          partitionIndex: p.partition,
          partitionErrorCode: p.errorCode,
        })),
      })),
    };
  };
}
