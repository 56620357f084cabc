/**
 * What the transaction handlers share.
 *
 * @module
 */
import { ErrorCode } from "../protocol/error_codes.ts";

/**
 * PRODUCER_FENCED (90, KIP-588) as clients of a request version before it know it: Kafka 2.8.2
 * answers INVALID_PRODUCER_EPOCH (47) to AddPartitionsToTxn, AddOffsetsToTxn and EndTxn below v2.
 */
export function fencedForOldClients(code: number, old: boolean): number {
  return old && code === ErrorCode.PRODUCER_FENCED ? ErrorCode.INVALID_PRODUCER_EPOCH : code;
}
