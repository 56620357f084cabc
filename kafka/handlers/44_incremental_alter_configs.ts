/**
 * IncrementalAlterConfigs (key 44), v0–v1: SET / DELETE / APPEND / SUBTRACT on a topic's
 * overrides or on this broker's (or the cluster's) dynamic configs, with `validate_only`, as
 * Apache Kafka 2.8.2 answers (kafka/config/config_admin.ts): one answer per resource, in request
 * order.
 *
 * @module
 */
import type { ConfigAdmin } from "../config/mod.ts";
import type {
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse,
} from "../protocol/messages/incremental_alter_configs.ts";
import type { Handler } from "./handler.ts";

/**
 * Builds the IncrementalAlterConfigs handler over `admin`.
 *
 * @example
 * ```ts ignore
 * registry.register(44, incrementalAlterConfigsHandler(new ConfigAdmin({ state, repo, topicExists })));
 * ```
 */
export function incrementalAlterConfigsHandler(
  admin: ConfigAdmin,
): Handler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> {
  return async (request) => {
    const responses = [];
    for (const r of request.resources) {
      const result = await admin.incrementalAlter(
        r.resourceType,
        r.resourceName,
        r.configs,
        request.validateOnly,
      );
      responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
    }
    return { throttleTimeMs: 0, responses };
  };
}
