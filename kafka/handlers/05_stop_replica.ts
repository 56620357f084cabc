/**
 * StopReplica (key 5, v0–v3) from another process: refused as from a stale controller, with no
 * partition stopped or deleted (2.8.2 answers a stale epoch with the error and no partitions).
 * See `_foreign_controller.ts`.
 *
 * @module
 */
import type { StopReplicaRequest, StopReplicaResponse } from "../protocol/messages/stop_replica.ts";
import { foreignControllerError } from "./_foreign_controller.ts";

/** Answers a StopReplica this broker did not send itself. */
export function handleStopReplica(request: StopReplicaRequest): StopReplicaResponse {
  return { errorCode: foreignControllerError(request.brokerEpoch, undefined), partitionErrors: [] };
}
