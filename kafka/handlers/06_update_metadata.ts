/**
 * UpdateMetadata (key 6, v0–v7) from another process: refused (NOT_CONTROLLER, the code of the
 * ControllerMovedException 2.8.2 throws for a stale controller epoch), the metadata cache
 * unchanged. See `_foreign_controller.ts`.
 *
 * @module
 */
import type {
  UpdateMetadataRequest,
  UpdateMetadataResponse,
} from "../protocol/messages/update_metadata.ts";
import { foreignControllerError, NOT_CONTROLLER } from "./_foreign_controller.ts";

/** Answers an UpdateMetadata this broker did not send itself. */
export function handleUpdateMetadata(request: UpdateMetadataRequest): UpdateMetadataResponse {
  return { errorCode: foreignControllerError(request.brokerEpoch, undefined, NOT_CONTROLLER) };
}
