/**
 * EndTxn (key 26), v0–v3, as Kafka 2.8.2 answers it: the transaction coordinator writes
 * PrepareCommit or PrepareAbort, answers, then writes the markers and the Complete state.
 *
 * @module
 */
import type { EndTxnRequest, EndTxnResponse } from "../protocol/messages/end_txn.ts";
import type { TransactionCoordinator } from "../txn/coordinator.ts";
import type { Handler } from "./handler.ts";
import { fencedForOldClients } from "./_txn_common.ts";

/**
 * The EndTxn handler.
 *
 * @example
 * ```ts ignore
 * registry.register(26, endTxnHandler(txns));
 * ```
 */
export function endTxnHandler(
  txns: TransactionCoordinator,
): Handler<EndTxnRequest, EndTxnResponse> {
  return async (req, ctx) => ({
    throttleTimeMs: 0,
    errorCode: fencedForOldClients(
      await txns.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed),
      ctx.apiVersion < 2,
    ),
  });
}
