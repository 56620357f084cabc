/**
 * UpdateFeatures (key 57, v0) as a 2.8.2 broker in ZooKeeper mode answers it: a 2.8 broker
 * supports no feature flags (BrokerFeatures' supported set is empty) and none are finalized in
 * `/feature`, so every update fails its validation with INVALID_REQUEST (42) and Kafka's
 * message, checked in Kafka's order (empty name; a level below 1 without allowDowngrade; a
 * deletion of a feature that is not finalized; an unsupported feature). Top-level error NONE.
 * Measured against Apache 2.8.2. Results in request order (Apache's follow a hash map's).
 *
 * @module
 */
import type {
  FeatureUpdateKey,
  UpdateFeaturesRequest,
  UpdateFeaturesResponse,
} from "../protocol/messages/update_features.ts";
import { ErrorCode } from "../protocol/error_codes.ts";

function invalid(u: FeatureUpdateKey): string {
  if (u.feature === "") return "Feature name can not be empty.";
  if (u.maxVersionLevel < 1) {
    if (!u.allowDowngrade) {
      return `Can not provide maxVersionLevel: ${u.maxVersionLevel} less than 1 without setting ` +
        "the allowDowngrade flag to true in the request.";
    }
    return "Can not delete non-existing finalized feature.";
  }
  return "Could not apply finalized feature update because the provided feature is not supported.";
}

/** Answers UpdateFeatures: every update refused, nothing written. */
export function handleUpdateFeatures(request: UpdateFeaturesRequest): UpdateFeaturesResponse {
  const byName = new Map<string, FeatureUpdateKey>();
  for (const u of request.featureUpdates) byName.set(u.feature, u);
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    results: [...byName.values()].map((u) => ({
      feature: u.feature,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: invalid(u),
    })),
  };
}
