/**
 * ControlledShutdown (key 7, v0–v3): what 2.8.2's controller answers on one broker. For its own
 * broker id: NONE and no remaining partitions (every partition has one replica, so there is no
 * leadership to move: Kafka's doControlledShutdown acts only on replication factor > 1); for any
 * other id: BROKER_NOT_AVAILABLE (that broker is not registered). Nothing changes: the broker
 * shuts down only when told to by its own process. See `_foreign_controller.ts`.
 *
 * @module
 */
import type {
  ControlledShutdownRequest,
  ControlledShutdownResponse,
} from "../protocol/messages/controlled_shutdown.ts";
import type { RequestContext } from "./handler.ts";
import { BROKER_NOT_AVAILABLE } from "./_foreign_controller.ts";

/** Answers a ControlledShutdown. */
export function handleControlledShutdown(
  request: ControlledShutdownRequest,
  ctx: RequestContext,
): ControlledShutdownResponse {
  const known = ctx.broker.brokers.some((b) => b.id === request.brokerId);
  return { errorCode: known ? 0 : BROKER_NOT_AVAILABLE, remainingPartitions: [] };
}
