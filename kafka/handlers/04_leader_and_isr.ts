/**
 * LeaderAndIsr (key 4, v0–v5) from another process: refused as from a stale controller, every
 * partition of the request with the same error (LeaderAndIsrRequest.getErrorResponse). See
 * `_foreign_controller.ts`.
 *
 * @module
 */
import type {
  LeaderAndIsrRequest,
  LeaderAndIsrResponse,
} from "../protocol/messages/leader_and_isr.ts";
import type { RequestContext } from "./handler.ts";
import { foreignControllerError } from "./_foreign_controller.ts";

/** Answers a LeaderAndIsr this broker did not send itself. */
export function handleLeaderAndIsr(
  request: LeaderAndIsrRequest,
  ctx: RequestContext,
): LeaderAndIsrResponse {
  const errorCode = foreignControllerError(request.brokerEpoch, undefined);
  if (ctx.apiVersion >= 5) {
    return {
      errorCode,
      topics: (request.topicStates ?? []).map((t) => ({
        topicId: t.topicId ?? "AAAAAAAAAAAAAAAAAAAAAA",
        partitionErrors: t.partitionStates.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode,
        })),
      })),
    };
  }
  const states = request.ungroupedPartitionStates ??
    (request.topicStates ?? []).flatMap((t) =>
      t.partitionStates.map((p) => ({ ...p, topicName: t.topicName }))
    );
  return {
    errorCode,
    partitionErrors: states.map((p) => ({
      topicName: p.topicName,
      partitionIndex: p.partitionIndex,
      errorCode,
    })),
  };
}
