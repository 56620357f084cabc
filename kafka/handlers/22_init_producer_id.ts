/**
 * InitProducerId (key 22), v0–v4, as Kafka 2.8.2 answers it. An idempotent producer (no
 * transactional id) gets the next id of the broker's {@link ProducerIdManager} with epoch 0, from
 * any broker, whatever producer id and epoch it sends (KafkaApis and
 * TransactionCoordinator.handleInitProducerId). A producer id without an epoch, or the reverse,
 * is INVALID_REQUEST (v3+). A transactional id goes to the transaction coordinator when one is
 * given; without one the answer is COORDINATOR_NOT_AVAILABLE, which clients retry.
 *
 * @module
 */
import { ErrorCode } from "../protocol/error_codes.ts";
import type {
  InitProducerIdRequest,
  InitProducerIdResponse,
} from "../protocol/messages/init_producer_id.ts";
import type { ProducerIdManager } from "../txn/producer_id_manager.ts";
import type { Handler } from "./handler.ts";

/** Kafka's RecordBatch.NO_PRODUCER_ID / NO_PRODUCER_EPOCH. */
const NO_PRODUCER_ID = -1;
const NO_PRODUCER_EPOCH = -1;

/** What a transactional InitProducerId is answered with (the transaction coordinator's part). */
export type TransactionalInit = (
  request: InitProducerIdRequest & { transactionalId: string },
  producerIdAndEpoch: { producerId: number; producerEpoch: number } | null,
) => Promise<{ errorCode: number; producerId: number; producerEpoch: number }>;

function answer(errorCode: number, producerId = NO_PRODUCER_ID, producerEpoch = NO_PRODUCER_EPOCH) {
  return { throttleTimeMs: 0, errorCode, producerId, producerEpoch };
}

/**
 * The InitProducerId handler over the broker's producer ids (and its transaction coordinator).
 *
 * @example
 * ```ts ignore
 * const ids = new ProducerIdManager(() => zk.claimProducerIdBlock(brokerId));
 * await ids.start();
 * registry.register(22, initProducerIdHandler(ids));
 * ```
 */
export function initProducerIdHandler(
  ids: ProducerIdManager,
  transactional?: TransactionalInit,
): Handler<InitProducerIdRequest, InitProducerIdResponse> {
  return async (request, ctx) => {
    const producerId = request.producerId ?? NO_PRODUCER_ID;
    const producerEpoch = request.producerEpoch ?? NO_PRODUCER_EPOCH;
    const given = producerId === NO_PRODUCER_ID && producerEpoch === NO_PRODUCER_EPOCH
      ? null
      : producerId === NO_PRODUCER_ID || producerEpoch === NO_PRODUCER_EPOCH
      ? undefined
      : { producerId, producerEpoch };
    if (given === undefined) return answer(ErrorCode.INVALID_REQUEST);
    if (request.transactionalId === null) {
      try {
        return answer(ErrorCode.NONE, await ids.generateProducerId(), 0);
      } catch {
        // ZooKeeper unreachable or ids exhausted: Kafka's exception maps to UNKNOWN_SERVER_ERROR.
        return answer(ErrorCode.UNKNOWN_SERVER_ERROR);
      }
    }
    if (!transactional) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const r = await transactional({ ...request, transactionalId: request.transactionalId }, given);
    // PRODUCER_FENCED (KIP-588) is INVALID_PRODUCER_EPOCH for clients before v4, as in 2.8.2.
    const code = r.errorCode === 90 && ctx.apiVersion < 4 ? 47 : r.errorCode;
    return answer(code, r.producerId, r.producerEpoch);
  };
}
