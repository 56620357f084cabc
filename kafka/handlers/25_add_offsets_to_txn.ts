/**
 * AddOffsetsToTxn (key 25), v0–v3, as Kafka 2.8.2 answers it: the group's partition of
 * `__consumer_offsets` joins the transaction, so the TxnOffsetCommit that follows is committed or
 * aborted with it.
 *
 * @module
 */
import type {
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnResponse,
} from "../protocol/messages/add_offsets_to_txn.ts";
import type { TransactionCoordinator } from "../txn/coordinator.ts";
import type { Handler } from "./handler.ts";
import { fencedForOldClients } from "./_txn_common.ts";

/** The offsets topic. */
const OFFSETS_TOPIC = "__consumer_offsets";

/**
 * The AddOffsetsToTxn handler; `partitionFor` is the group coordinator's.
 *
 * @example
 * ```ts ignore
 * registry.register(25, addOffsetsToTxnHandler(txns, (g) => groups.partitionFor(g)));
 * ```
 */
export function addOffsetsToTxnHandler(
  txns: TransactionCoordinator,
  partitionFor: (groupId: string) => number,
): Handler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> {
  return async (req, ctx) => ({
    throttleTimeMs: 0,
    errorCode: fencedForOldClients(
      await txns.addPartitions(req.transactionalId, req.producerId, req.producerEpoch, [
        { topic: OFFSETS_TOPIC, partition: partitionFor(req.groupId) },
      ]),
      ctx.apiVersion < 2,
    ),
  });
}
